package soap

import "reflect"

// The namespaces of Payline's two schemas. Request and response wrappers
// and their direct children are impl elements; everything declared inside
// a named object type is an obj element.
const (
	NamespaceImpl = "http://impl.ws.payline.experian.com"
	NamespaceObj  = "http://obj.ws.payline.experian.com"

	namespaceEnvelope = "http://schemas.xmlsoap.org/soap/envelope/"
	namespaceXSI      = "http://www.w3.org/2001/XMLSchema-instance"
	namespaceXSD      = "http://www.w3.org/2001/XMLSchema"
)

// ContentType is the media type of SOAP 1.1 messages, requests and answers
// alike.
const ContentType = "text/xml; charset=utf-8"

// A Message is the request or the answer of one operation: a pointer to
// one of the *Request or *Response types of this package.
type Message interface {
	// Operation returns the operation's name, such as "doWebPayment",
	// which is also its SOAPAction.
	Operation() string
}

// operation pairs the request and answer types of one operation.
type operation struct {
	name              string
	request, response reflect.Type
}

// messages lists every operation's request and answer, in the order of
// the vendor's port types: web payment, direct payment, extended.
var messages = [][2]Message{
	{new(DoWebPaymentRequest), new(DoWebPaymentResponse)},
	{new(GetWebPaymentDetailsRequest), new(GetWebPaymentDetailsResponse)},
	{new(ManageWebWalletRequest), new(ManageWebWalletResponse)},
	{new(CreateWebWalletRequest), new(CreateWebWalletResponse)},
	{new(UpdateWebWalletRequest), new(UpdateWebWalletResponse)},
	{new(GetWebWalletRequest), new(GetWebWalletResponse)},
	{new(DoAuthorizationRedirectRequest), new(DoAuthorizationRedirectResponse)},
	{new(DoAuthorizationRequest), new(DoAuthorizationResponse)},
	{new(DoCaptureRequest), new(DoCaptureResponse)},
	{new(DoReAuthorizationRequest), new(DoReAuthorizationResponse)},
	{new(DoDebitRequest), new(DoDebitResponse)},
	{new(DoRefundRequest), new(DoRefundResponse)},
	{new(DoResetRequest), new(DoResetResponse)},
	{new(DoCreditRequest), new(DoCreditResponse)},
	{new(CreateWalletRequest), new(CreateWalletResponse)},
	{new(UpdateWalletRequest), new(UpdateWalletResponse)},
	{new(GetWalletRequest), new(GetWalletResponse)},
	{new(GetCardsRequest), new(GetCardsResponse)},
	{new(DisableWalletRequest), new(DisableWalletResponse)},
	{new(EnableWalletRequest), new(EnableWalletResponse)},
	{new(DoImmediateWalletPaymentRequest), new(DoImmediateWalletPaymentResponse)},
	{new(DoScheduledWalletPaymentRequest), new(DoScheduledWalletPaymentResponse)},
	{new(DoRecurrentWalletPaymentRequest), new(DoRecurrentWalletPaymentResponse)},
	{new(GetPaymentRecordRequest), new(GetPaymentRecordResponse)},
	{new(DisablePaymentRecordRequest), new(DisablePaymentRecordResponse)},
	{new(VerifyEnrollmentRequest), new(VerifyEnrollmentResponse)},
	{new(VerifyAuthenticationRequest), new(VerifyAuthenticationResponse)},
	{new(DoScoringChequeRequest), new(DoScoringChequeResponse)},
	{new(GetEncryptionKeyRequest), new(GetEncryptionKeyResponse)},
	{new(GetMerchantSettingsRequest), new(GetMerchantSettingsResponse)},
	{new(GetBalanceRequest), new(GetBalanceResponse)},
	{new(GetTokenRequest), new(GetTokenResponse)},
	{new(UnBlockRequest), new(UnBlockResponse)},
	{new(UpdatePaymentRecordRequest), new(UpdatePaymentRecordResponse)},
	{new(GetBillingRecordRequest), new(GetBillingRecordResponse)},
	{new(UpdateBillingRecordRequest), new(UpdateBillingRecordResponse)},
	{new(DoBankTransferRequest), new(DoBankTransferResponse)},
	{new(IsRegisteredRequest), new(IsRegisteredResponse)},
	{new(PrepareSessionRequest), new(PrepareSessionResponse)},
	{new(GetTransactionDetailsRequest), new(GetTransactionDetailsResponse)},
	{new(TransactionsSearchRequest), new(TransactionsSearchResponse)},
	{new(GetAlertDetailsRequest), new(GetAlertDetailsResponse)},
}

// namedType is a complex type of the obj schema.
type namedType struct {
	name string
	typ  reflect.Type
}

func named[T any](name string) namedType { return namedType{name, reflect.TypeFor[T]()} }

// namedTypes lists the obj schema's complex types in the vendor's order,
// those no operation uses included, so that the generated WSDL declares
// the same 83 types. A struct type missing here is an inline type of the
// element that uses it.
var namedTypes = []namedType{
	named[Result]("result"),
	named[CardOut]("cardOut"),
	named[ExtendedCardType]("extendedCardType"),
	named[Order]("order"),
	named[Key]("key"),
	named[Details]("details"),
	named[OrderDetail]("orderDetail"),
	named[PrivateData]("privateData"),
	named[MiscDataPair]("miscDataPair"),
	named[Transaction]("transaction"),
	named[Scoring]("scoring"),
	named[FraudResultDetails]("fraudResultDetails"),
	named[Payment]("payment"),
	named[Authorization]("authorization"),
	named[PaymentData]("paymentData"),
	named[Card]("card"),
	named[Buyer]("buyer"),
	named[Owner]("owner"),
	named[Address]("address"),
	named[AddressOwner]("addressOwner"),
	named[Capture]("capture"),
	named[Refund]("refund"),
	named[SelectedContractList]("selectedContractList"),
	named[PrivateDataList]("privateDataList"),
	named[MiscData]("miscData"),
	named[AVS]("avs"),
	named[ContractNumberWalletList]("contractNumberWalletList"),
	named[CardsList]("cardsList"),
	named[CaptureAuthorizationList]("captureAuthorizationList"),
	named[RefundAuthorizationList]("refundAuthorizationList"),
	named[ResetAuthorizationList]("resetAuthorizationList"),
	named[FailedListObject]("failedListObject"),
	named[FailedObject]("failedObject"),
	named[Recurring]("recurring"),
	named[RecurringForUpdate]("recurringForUpdate"),
	named[BillingRecord]("billingRecord"),
	named[BillingRecordList]("billingRecordList"),
	named[BillingRecordForUpdate]("billingRecordForUpdate"),
	named[Wallet]("wallet"),
	named[Cards]("cards"),
	named[WalletIDList]("walletIdList"),
	named[TransactionList]("transactionList"),
	named[Authentication3DSecure]("authentication3DSecure"),
	named[ConnectionData]("connectionData"),
	named[ScoringCheque]("scoringCheque"),
	named[AddressInterlocutor]("addressInterlocutor"),
	named[Interlocutor]("interlocutor"),
	named[Option]("option"),
	named[IBAN]("iban"),
	named[RIB]("rib"),
	named[BankAccount]("bankAccount"),
	named[BankAccountData]("bankAccountData"),
	named[TechnicalData]("technicalData"),
	named[Contract]("contract"),
	named[CustomPaymentPageCode]("customPaymentPageCode"),
	named[TicketSend]("ticketSend"),
	named[PointOfSell]("pointOfSell"),
	named[VirtualTerminal]("virtualTerminal"),
	named[VirtualTerminalFunction]("virtualTerminalFunction"),
	named[Cheque]("cheque"),
	named[Contribution]("contribution"),
	named[AssociatedTransactions]("associatedTransactions"),
	named[AssociatedTransactionsList]("associatedTransactionsList"),
	named[StatusHistory]("statusHistory"),
	named[StatusHistoryList]("statusHistoryList"),
	named[PaymentAdditional]("paymentAdditional"),
	named[PaymentAdditionalList]("paymentAdditionalList"),
	named[CustomerTransHist]("CustomerTransHist"),
	named[CustomerTrans]("CustomerTrans"),
	named[PaymentMeansTransHist]("PaymentMeansTransHist"),
	named[PaymentMeansTrans]("PaymentMeansTrans"),
	named[AlertsTransHist]("AlertsTransHist"),
	named[AlertsTrans]("AlertsTrans"),
	named[Creditor]("creditor"),
	named[SubMerchant]("subMerchant"),
	named[Media]("media"),
	named[RoutingRule]("routingRule"),
	named[ThreeDSInfo]("threeDSInfo"),
	named[Browser]("browser"),
	named[SDK]("sdk"),
	named[MerchantAuthentication]("merchantAuthentication"),
	named[SDKChallenge]("sdkChallenge"),
	named[Reattempt]("reattempt"),
}

// schema is everything the codec and the WSDL generator know, built once
// from the tables above and the struct tags.
var schema = newSchema()

// schemaIndex indexes the operations and the model.
type schemaIndex struct {
	model      *model
	operations []operation
	// elements maps the local name of a wrapper element, such as
	// "doWebPaymentRequest", to its Go type.
	elements map[string]reflect.Type
	// wrappers maps a message type to its wrapper element's local name.
	wrappers map[reflect.Type]string
}

func newSchema() *schemaIndex {
	s := &schemaIndex{
		elements: make(map[string]reflect.Type),
		wrappers: make(map[reflect.Type]string),
	}
	for _, pair := range messages {
		req, resp := pair[0], pair[1]
		name := req.Operation()
		if resp.Operation() != name {
			panic("payline soap: " + name + " paired with an answer to " + resp.Operation())
		}
		op := operation{name, reflect.TypeOf(req).Elem(), reflect.TypeOf(resp).Elem()}
		s.operations = append(s.operations, op)
		if _, dup := s.elements[name+"Request"]; dup {
			panic("payline soap: operation " + name + " listed twice")
		}
		s.elements[name+"Request"] = op.request
		s.elements[name+"Response"] = op.response
		s.wrappers[op.request] = name + "Request"
		s.wrappers[op.response] = name + "Response"
	}
	s.model = newModel(namedTypes, s.operations)
	// Every answer carries a result; NewResponse relies on it.
	for _, op := range s.operations {
		ct := s.model.types[op.response]
		if f := ct.byName["result"]; f == nil || f.typ == nil || f.typ.goType != reflect.TypeFor[Result]() || f.repeated {
			panic("payline soap: answer to " + op.name + " has no result")
		}
	}
	return s
}

// Operations returns the names of the 42 operations, web payment first,
// then direct payment, then extended.
func Operations() []string {
	names := make([]string, len(schema.operations))
	for i, op := range schema.operations {
		names[i] = op.name
	}
	return names
}

// NewRequest returns a new, empty request of operation op, or nil if op
// is not an operation.
func NewRequest(op string) Message {
	return newMessage(op + "Request")
}

// NewResponse returns the answer to operation op carrying only result,
// the shape of Payline's answer to a call it refuses or fails, or nil if
// op is not an operation. The other required elements of the answer are
// then written empty.
func NewResponse(op string, result *Result) Message {
	m := newMessage(op + "Response")
	if m != nil && result != nil {
		f := schema.model.types[reflect.TypeOf(m).Elem()].byName["result"]
		reflect.ValueOf(m).Elem().Field(f.index).Set(reflect.ValueOf(result))
	}
	return m
}

func newMessage(element string) Message {
	t, ok := schema.elements[element]
	if !ok {
		return nil
	}
	return reflect.New(t).Interface().(Message)
}
