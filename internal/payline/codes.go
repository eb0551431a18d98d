package payline

import (
	"strconv"
	"strings"
)

// Result is a result triple of Payline's answers.
type Result struct{ Code, ShortMessage, LongMessage string }

// resultTable holds every result code the front may answer, with the
// platform's words. Merchants branch on the code and show, log or compare
// the messages, so each text is kept byte for byte as found, spelling
// mistakes included ("Successfull", "Aquirer", "custommer"...).
//
// Where the texts come from, best evidence first:
//   - [F] answers of the real platform recorded by Monext in its Java kit,
//     shared/vectors/payline/fixtures/**/*Response*.xml;
//   - [R] an answer recorded in a public client's test suite,
//     ck-developer/omnipay-payline tests/Mock/Direct/CaptureFailure.xml;
//   - [S] our Payconiq page, shared/seeds/003_01f9817668c04cb2.txt;
//   - Monext's documentation pages, named in each family's comment;
//   - [L1] the code list of an old Mangopay PHP client (class
//     Aamant\Mangopay\Errors, Errors.php), a copy of Payline's list of its
//     time; [L2] the error table of Monext's own Payline module for
//     PrestaShop 1.4 (v1.2, 2012); [L3] the Payline code map of the
//     PayGreen PrestaShop module (paygreen.php). These older lists give
//     texts only: their short messages predate ACCEPTED, REFUSED...
//
// A row marked "inferred" has no source for that part: it is written from
// the meaning of the code (shared/specs/payline.md §6) in the platform's
// style. Editorial spaces at the ends of documentation table cells are not
// kept.
var resultTable = []Result{
	// 00000 and 01xxx: the acquirer's answers (payline.md §6.1). Unless a
	// row says otherwise: https://docs.monext.fr/plugins/viewsource/viewpagesrc.action?pageId=747146980
	// (same words at https://support.payline.com/hc/fr/articles/360000848148).
	// 00000 is also recorded [F] (doAuthorizationResponse00000.xml and
	// every other payment operation's *Response00000.xml).
	{"00000", "ACCEPTED", "Transaction approved"},
	{"01100", "REFUSED", "Transaction refused"},
	{"01101", "REFUSED", "Card expired"},
	{"01102", "REFUSED", "Invalid birthdate"},
	{"01103", "REFUSED", "Referral - Contact your bank for authorization"},
	{"01108", "REFUSED", "Referral - Contact your bank for authorization"},
	{"01109", "ERROR", "Invalid merchant"},
	{"01110", "ERROR", "Invalid amount"},
	{"01111", "REFUSED", "Invalid card number"},
	{"01113", "REFUSED", "Transaction refused"},
	{"01114", "REFUSED", "This account does not exist"},
	{"01115", "REFUSED", "This function does not exist"},
	{"01116", "REFUSED", "Amount limit"},
	{"01117", "REFUSED", "Invalid PIN code"},
	{"01118", "REFUSED", "Card not registered"},
	{"01119", "REFUSED", "This transaction is not authorized"},
	{"01120", "REFUSED", "Transaction refused by terminal"},
	{"01121", "REFUSED", "Debit limit exceeded"},
	{"01122", "REFUSED", "Security violation"},
	{"01123", "REFUSED", "Debit transaction frequency exceeded"},
	{"01125", "REFUSED", "Inactive card"},
	{"01126", "REFUSED", "Invalid PIN format"},
	{"01128", "REFUSED", "Invalid ctrl PIN key"},
	{"01129", "REFUSED", "Counterfeit suspected"},
	{"01130", "REFUSED", "Invalid cvv2"},
	// 01131 to 01133: the 3-D Secure page words them "ERROR / 3DS
	// authentication required", "Revocation of this reccuring payment"
	// and "Revocation of all recurring payment for this card"; the
	// acquirer table's words are kept.
	{"01131", "REFUSED", "3DS authentification required"},
	{"01132", "REFUSED", "Revocation of this recurring payment."},
	{"01133", "REFUSED", "Revocation of all payment for this card"},
	{"01180", "ERROR", "Invalid bank"},
	{"01181", "ERROR", "Invalid currency"},
	{"01182", "ERROR", "Conversion rate is not found"},
	{"01183", "REFUSED", "Max amount exceeded"},
	{"01184", "REFUSED", "Max uses exceeded"},
	{"01185", "ERROR", "Used order"},
	{"01196", "ERROR", "Incomplete bank server response"},
	{"01197", "ERROR", "Aquirer communication error"},
	{"01198", "ERROR", "Aquirer configuration error"},
	{"01199", "ERROR", "System internal error (backend)"},
	{"01200", "REFUSED", "Transaction refused"},
	{"01201", "REFUSED", "Card expired"},
	{"01202", "REFUSED", "Fraud suspected by payment partner"},
	{"01206", "REFUSED", "Maximum nbr of attempts reached"},
	{"01207", "REFUSED", "Special condition"},
	{"01208", "REFUSED", "Card lost"},
	{"01209", "REFUSED", "Card stolen"},
	{"01280", "REFUSED", "Card bin not authorized"},
	// 014xx: cheque verification (FNCI), support.payline.com article above.
	{"01401", "REFUSED", "Opposition on the account (temporary)"},
	{"01402", "REFUSED", "Irregular cheque"},
	{"01403", "REFUSED", "Non referenced cheque"},
	{"01404", "REFUSED", "Wrong subscriber number (IDCF)"},
	{"01405", "ERROR", "FNCI server error"},
	{"01406", "ERROR", "Incorrect CMC7"},
	{"01407", "ERROR", "Incorrect IDC number"},
	{"01430", "ERROR", "Incorrect cheque number"},
	// 019xx: support.payline.com article above, whose table is cut
	// after "01915 REFUSED Oper"; the rest is marked.
	{"01902", "ERROR", "Acquirer Invalid transaction"},
	{"01904", "ERROR", "Acquirer bad format request"},
	{"01907", "ERROR", "Issuer server error"},
	{"01909", "ERROR", "Bank server Internal error"},
	{"01912", "ERROR", "Issuer server error"},
	{"01913", "ERROR", "Duplicated transaction"},
	{"01914", "ERROR", "Transaction can not be found"},
	{"01915", "REFUSED", "Operation refused"},                     // inferred after "Oper"; [L1] [L2] say "Transaction is refused"
	{"01917", "ERROR", "This transaction is not resetable"},       // text [L2]; short message inferred
	{"01940", "ERROR", "Bank server unavailable"},                 // text [L2]; short message inferred
	{"01941", "ERROR", "Bank server communication error"},         // text [L2]; short message inferred
	{"01942", "ERROR", "Invalid bank server response code"},       // text [L2]; short message inferred
	{"01943", "ERROR", "Invalid format for bank server response"}, // text [L2]; short message inferred

	// 02xxx: Payline's own processing (payline.md §6.2). Up to 02305:
	// https://docs.payline.com/pages/viewpage.action?pageId=747146993
	// (same table at https://docs.monext.fr/pages/viewpage.action?pageId=747146993);
	// the six Payconiq codes also [S].
	{"02000", "ONHOLD_PARTNER", "Transaction in progress, please wait for payment status."},
	{"02001", "ERROR", "Duplicate transaction"},
	{"02002", "ERROR", "Duplicate pending transaction"},
	{"02003", "REFUSED", "Issuer communication error. Transaction must be cancelled."},
	{"02004", "CANCELLED", "Issuer communication error. Transaction cancelled."},
	{"02005", "ONHOLD_PARTNER", "Transaction in progress, please wait for payment status."},
	{"02006", "ONHOLD_PARTNER", "Retry in progress, please wait for payment status."},
	{"02008", "CANCELLED", "Transaction canceled by user"},
	{"02009", "CANCELLED", "To be reversed, Payline fallback process"},
	{"02010", "ERROR", "Requested function not available"},
	{"02011", "ERROR", "To be reversed in fallback mode"},
	{"02012", "ERROR", "Unmatched partner return code"},
	{"02013", "ERROR", "Issuer communication error. Transaction cancelled."},
	{"02014", "CANCELLED", "Transaction handled by merchant"},
	{"02015", "REFUSED", "Transaction in progress, please wait for payment status."},
	{"02016", "ONHOLD_PARTNER", "Transaction hold on partner, please wait for payment method return"},
	{"02020", "REFUSED", "Transaction refused by partner"},
	{"02101", "ERROR", "System internal error (frontend)"},
	{"02102", "ERROR", "Acquirer server communication error"},
	{"02103", "ERROR", "Connection timeout, please try later"},
	{"02104", "ERROR", "Tokenizer internal error"},
	{"02105", "ERROR", "Capture sent for settlement before cancellation process"},
	{"02106", "ERROR", "Payment partner error"},
	{"02110", "ERROR", "The amount is invalid"},
	{"02201", "ERROR", "The seeked encryption key does not exist"},
	{"02202", "ERROR", "The used encryption key is out of date"},
	{"02203", "ERROR", "Too many active key pair"},
	{"02204", "ERROR", "Invalid merchantKeyName"},
	{"02301", "ERROR", "Transaction ID  is invalid."}, // two spaces, also [R]
	{"02302", "ERROR", "Transaction is invalid."},
	{"02303", "ERROR", "Invalid contract number."},
	{"02304", "ERROR", "No transaction found for this token"},
	{"02305", "ERROR", "Invalid field format"},
	// From 02306 the documentation page is cut; texts from the lists
	// [L1] [L2] [L3], short messages inferred unless a row says otherwise.
	{"02306", "INPROGRESS", "The consumer must fill in the payment information"}, // short message and "The" documented; rest inferred from [L1]'s French text
	{"02307", "ERROR", "Invalid custom page code"},
	{"02308", "ERROR", "Invalid value for"}, // [S]; the platform appends the field, see invalidValue
	{"02309", "ERROR", "CustomPaymentPageCode is inactive"},
	{"02310", "ERROR", "No transaction matching with search criteria"},
	{"02311", "ERROR", "Too many transactions match with search criteria"},
	{"02312", "ERROR", "Search criteria are invalid"},
	{"02313", "ERROR", "Transaction flag capturable is disabled"},
	{"02314", "ERROR", "Transaction flag refundable is disabled"},
	{"02317", "ERROR", "This token does not exist"},
	{"02318", "ERROR", "This token does not exist, please check your primary/secondary endpoints"},
	{"02319", "CANCELLED", "Payment cancelled by the buyer"}, // short message: Cetelem table, docs.monext.fr pageId=747147100
	{"02320", "ERROR", "The searched time interval is too long"},
	{"02321", "ERROR", "Invalid value for payment action"},
	{"02322", "ERROR", "Invalid cardholder name"},
	{"02323", "ERROR", "Birthdate must not be provided using 3DS"},
	{"02324", "REFUSED", "The session expired before the consumer has finished the transaction"}, // [S], text also [L3]
	{"02400", "ACCEPTED", "Mass operation successful"},                                           // inferred (accepted set)
	{"02401", "ERROR", "Some transaction failed"},
	{"02402", "INPROGRESS", "Waiting for treatment"},
	{"02403", "ERROR", "No mass treatment found"},
	{"02500", "ACCEPTED", "Operation Successfull"},             // [F] *Response02500.xml
	{"02501", "ACCEPTED", "Operation successful with warning"}, // short message: accepted set; text: result list of https://docs.payline.com/display/DT/Webservice+-+doScheduledWalletPaymentResponse
	{"02502", "ERROR", "Wallet with the same identifier exist"},
	{"02503", "ERROR", "Wallet does not exist"},
	{"02505", "ERROR", "Wallet is disabled"},
	{"02507", "ERROR", "Can not find payment record"},
	{"02508", "ERROR", "Payment record is disabled"},
	{"02509", "ERROR", "payment.amount must equals recurring.firstAmount + (recurring.billingLeft – 1) * recurring.amount"},
	{"02510", "ERROR", "Can not find payment record"},
	{"02511", "ERROR", "Wallet is not supported for this card"},
	{"02514", "ERROR", "Private data number is limited to 99"},
	{"02517", "ACCEPTED", "Can not disable some wallet(s)"}, // short message: accepted set
	{"02520", "ACCEPTED", "Can not enable some wallet(s)"},  // short message: accepted set
	{"02521", "ERROR", "Card already exist in this wallet"},
	{"02528", "ERROR", "SelectedContractList must be filled with only one contract"},
	{"02533", "INPROGRESS", "The consumer is not redirected on payment web pages"},                     // text [L3]
	{"02534", "REFUSED", "The consumer is not redirected on payment web pages and session is expired"}, // text [L3]
	{"02535", "REFUSED", "The session expired before the wallet operation"},                            // inferred from [L1]'s French text
	{"02536", "CANCELLED", "The consumer cancelled the operation"},                                     // inferred from [L1]'s French text
	{"02538", "ERROR", "Fullfill either card.number or card.token (not both)"},
	{"02539", "ERROR", "Expiration date is mandatory for this token format."},
	{"02540", "ERROR", "No card found for this token."},
	{"02541", "ERROR", "Card is not eligible"},
	{"02600", "ERROR", "Reset is not supported for transaction type"},
	{"02601", "ERROR", "Reset already done"},
	{"02602", "ERROR", "Authorization is already expired"},
	{"02603", "ERROR", "Authorization is not resetable"},
	{"02604", "ERROR", "This transaction does not exist"},
	{"02610", "ERROR", "The max amount is exceeded"},
	{"02611", "ERROR", "The min amount is not reached"},
	{"02612", "ERROR", "The amount provided is different from the original transaction"},
	{"02613", "ERROR", "The maximal sum of the capture/refund is exceeded"},
	{"02614", "REFUSED", "Invalid Luhn Key"},
	{"02615", "REFUSED", "Virtual card denied"},
	{"02616", "ACCEPTED", "Error while creating the wallet"}, // short message: accepted set
	{"02617", "ERROR", "The transaction is already captured"},
	{"02618", "ERROR", "The transaction is not yet captured"},
	{"02619", "ERROR", "You don’t have the reauthorization option"},
	{"02620", "ERROR", "Currency must be the same as the original authorization"},
	{"02621", "ERROR", "Operation not allowed on this site"},
	{"02622", "ERROR", "Reauthorization not allowed on virtual card"},
	{"02623", "REFUSED", "The maximum number of attempts is reached"},
	{"02624", "REFUSED", "Card expired"},
	{"02625", "REFUSED", "Invalid cart number format"},
	// 02640 and 02998: https://support.payline.com/hc/fr/articles/360000840207-Codes-retour-Presto-43-
	{"02640", "REFUSED", "Credit refused by custommer"},
	{"02998", "REFUSED", "Transaction refused"},

	// 03xxx: 3-D Secure (payline.md §6.4),
	// https://docs.monext.fr/display/DT/3DSV2+-+La+liste+des+impacts+Codes+retour;
	// 03000, 03022 and 03102 also [F] (verifyAuthenticationResponse03000.xml,
	// doAuthorizationResponse03022.xml, verifyEnrollmentResponse00000.xml).
	{"03000", "ACCEPTED", "Transaction accepted"},
	{"03001", "REFUSED", "Not enrolled"},
	{"03002", "ERROR", "Not participating or Attempt"},
	{"03003", "REFUSED", "Authentication failed"},
	{"03004", "ERROR", "Can not find verifyEnrollment call"},
	{"03005", "ERROR", "Transaction already exist"},
	{"03006", "ERROR", "Invalid PAres or CRes"},
	{"03007", "ERROR", "DS or ACS error"},
	{"03008", "ERROR", "Payline technical error"},
	{"03009", "ERROR", "3DS technical error"},
	{"03010", "ERROR", "Merchant data error"},
	{"03021", "ERROR", "Enrollment verification failed"},
	{"03022", "CANCELLED", "Authentication verification failed"},
	{"03030", "CANCELLED", "Challenge not completed"}, // inferred
	{"03100", "ACCEPTED", "3DS method requested before enrollment"},
	{"03101", "ACCEPTED", "Transaction accepted - Challenge requested"},
	{"03102", "ACCEPTED", "Transaction accepted - Cardholder authenticated"},
	{"03103", "ACCEPTED", "No 3DS method requested"},
	{"03200", "ERROR", "Inconsistency between threeDSMethodResult and md field values"},

	// 04xxx: the fraud module (payline.md §6.5),
	// https://docs.payline.com/pages/diffpagesbyversion.action?pageId=747153947&selectedPageVersions=5&selectedPageVersions=6
	{"04000", "ACCEPTED", "Transaction accepted"},
	{"04001", "PENDING_RISK", "Transaction accepted"},
	{"04002", "REFUSED", "Fraud detected"},
	{"04003", "PENDING_RISK", "Fraud suspected"},
	{"04101", "ERROR", "Missing field"},
	{"04102", "ERROR", "Incorrect RuleName"},
	{"04103", "ERROR", "Duplicate data"},
	{"04104", "ERROR", "Field value must be null"},
	{"04301", "REFUSED", "Data not found"},
	{"04302", "REFUSED", "Empty list"},
	{"04303", "ERROR", "Configuration not found"},
	{"04401", "REFUSED", "Do a 3DSecure authentication"},
	{"04901", "ERROR", "System error"},
	{"04902", "ERROR", "Unauthorized service access"},

	// 09xxx: access (payline.md §6.6). Texts [L1]; short messages inferred.
	{"09101", "ERROR", "Username/Password is incorrect"},
	{"09102", "ERROR", "Account is locked or inactive"},
	{"09104", "ERROR", "Client certificate is disabled"},
	{"09201", "ERROR", "You do not have permissions to make this API call"},
}

// resultsByCode indexes resultTable.
var resultsByCode = func() map[string]Result {
	m := make(map[string]Result, len(resultTable))
	for _, r := range resultTable {
		m[r.Code] = r
	}
	return m
}()

// result is the triple of a code. Codes are constants of this package, so
// an unknown one is a programming error: result panics on it.
func result(code string) Result {
	r, ok := resultsByCode[code]
	if !ok {
		panic("payline: unknown result code " + strconv.Quote(code))
	}
	return r
}

// invalidValue is the 02308 answer naming the offending field: the
// platform appends it to "Invalid value for" (the Payconiq page's text),
// as in "Invalid value for payment action", the wording of 02321. field
// is the name to show, e.g. "order.country"; empty gives the bare text.
func invalidValue(field string) Result {
	r := result("02308")
	if field != "" {
		r.LongMessage += " " + field
	}
	return r
}

// accepted reports whether a code means success: the documented set of
// the result object (https://docs.payline.com/pages/diffpagesbyversion.action?pageId=747148264&selectedPageVersions=14&selectedPageVersions=15),
// the one official merchant modules hard-code. Any other code is not
// accepted, 03101 and 04001 included.
func accepted(code string) bool {
	switch code {
	case "00000", "02400", "02500", "02501", "02517", "02520", "02616", "03000", "04000":
		return true
	}
	return false
}

// internalError is the answer of a technical failure inside a service:
// code XXXXX, short message EXCEPTION and a French sentence naming the
// service, as recorded [F] in every *ResponseInternalError.xml. service is
// "WebPayment" (the platform's word for WebPaymentAPI, which is also
// accepted), "DirectPaymentAPI" or "ExtendedAPI"; wallet operations
// belong to the API whose WSDL port type holds them. Any other service
// panics.
func internalError(service string) Result {
	switch service {
	case "WebPaymentAPI":
		service = "WebPayment"
	case "WebPayment", "DirectPaymentAPI", "ExtendedAPI":
	default:
		panic("payline: unknown service " + strconv.Quote(service))
	}
	return Result{"XXXXX", "EXCEPTION", "Erreur lors de l'appel au service " + service}
}

// simulatedAmounts are the amounts, in minor units, at which the
// homologation simulator answers an authorization (doWebPayment or
// doAuthorization) with a chosen acquirer code instead of approving it:
// 333.05 gives 01100 and so on. From Monext's page "Return Codes -
// Simulator" (https://docs.payline.com/display/DT/Return+Codes+-+Simulator
// and its earlier versions, e.g. https://docs.monext.fr/pages/viewpage.action?pageId=747154321):
// 01201 is 333.33 in one revision and 333.54 in another, both are kept.
var simulatedAmounts = map[int64]string{
	33300: "00000",
	33302: "01108",
	33303: "01109",
	33304: "01200",
	33305: "01100",
	33307: "01207",
	33308: "00000",
	33312: "01902",
	33313: "01110",
	33314: "01111",
	33315: "01912",
	33316: "01131",
	33330: "01904",
	33331: "01199",
	33333: "01201",
	33334: "01202",
	33338: "01206",
	33341: "01208",
	33343: "01209",
	33351: "01116",
	33354: "01201",
	33355: "01117",
	33356: "01118",
	33357: "01119",
	33358: "01120",
	33360: "01103",
	33361: "01121",
	33363: "01122",
	33391: "01907",
	33394: "01913",
	33396: "01909",
}

// simulatedCard applies the homologation simulator's card rule: a card
// number whose 10th digit is 9 asks for the acquirer code in digits 11 to
// 15, the last digit keeping the number Luhn-valid (497010346 9 01208 2
// answers 01208, "Card lost"). It gives the code and true only for a
// number of 16 to 19 digits asking for a known 01xxx code; the simulator
// honours it for CB, VISA and Mastercard cards, and checking the brand and
// the Luhn key is the caller's business.
func simulatedCard(pan string) (code string, ok bool) {
	if len(pan) < 16 || len(pan) > 19 {
		return "", false
	}
	for i := 0; i < len(pan); i++ {
		if pan[i] < '0' || pan[i] > '9' {
			return "", false
		}
	}
	if pan[9] != '9' {
		return "", false
	}
	code = pan[10:15]
	if !strings.HasPrefix(code, "01") {
		return "", false
	}
	if _, known := resultsByCode[code]; !known {
		return "", false
	}
	return code, true
}
