package soap

// This file declares the objects of the extended service's searches and
// alerts.

// TransactionList lists the transactions a search found.
type TransactionList struct {
	Transaction []Transaction `xsd:"transaction,optional,max=5000"`
}

// AssociatedTransactionsList lists the transactions related to a
// transaction.
type AssociatedTransactionsList struct {
	AssociatedTransactions []AssociatedTransactions `xsd:"associatedTransactions,optional,max=100"`
}

// AssociatedTransactions is a transaction related to the one
// getTransactionDetails describes, such as its capture or refund.
type AssociatedTransactions struct {
	TransactionID       string `xsd:"transactionId"`
	Type                string `xsd:"type"`
	Date                string `xsd:"date"`
	Amount              string `xsd:"amount"`
	Status              string `xsd:"status"`
	OriginTransactionID string `xsd:"originTransactionId"`
	Currency            string `xsd:"currency,optional,nillable"`
}

// StatusHistoryList lists the status changes of a transaction.
type StatusHistoryList struct {
	StatusHistory []StatusHistory `xsd:"statusHistory,optional,max=100"`
}

// StatusHistory is one change of a transaction's status.
type StatusHistory struct {
	TransactionID       string `xsd:"transactionId"`
	Date                string `xsd:"date"`
	Amount              string `xsd:"amount"`
	Fees                string `xsd:"fees"`
	Status              string `xsd:"status"`
	OriginTransactionID string `xsd:"originTransactionId"`
	AmountValue         string `xsd:"amountValue,optional,nillable"`
	AmountCurrency      string `xsd:"amountCurrency,optional,nillable"`
	FeesValue           string `xsd:"feesValue,optional,nillable"`
	FeesCurrency        string `xsd:"feesCurrency,optional,nillable"`
}

// CustomerTransHist lists the recent transactions of the customer of an
// alert.
type CustomerTransHist struct {
	CustomerTrans []CustomerTrans `xsd:"CustomerTrans,optional,max=unbounded"`
}

// CustomerTrans is one recent transaction of the customer of an alert.
type CustomerTrans struct {
	IsLCLFAlerted         string `xsd:"IsLCLFAlerted"`
	ExternalTransactionID string `xsd:"ExternalTransactionId"`
	ReferenceOrder        string `xsd:"ReferenceOrder"`
	CardCode              string `xsd:"CardCode"`
	TransactionDate       string `xsd:"TransactionDate"`
	Amount                string `xsd:"Amount"`
	Status                string `xsd:"Status"`
	PosLabel              string `xsd:"PosLabel"`
}

// PaymentMeansTransHist lists the recent transactions made with the means
// of payment of an alert.
type PaymentMeansTransHist struct {
	PaymentMeansTrans []PaymentMeansTrans `xsd:"PaymentMeansTrans,optional,max=unbounded"`
}

// PaymentMeansTrans is one recent transaction made with the means of
// payment of an alert.
type PaymentMeansTrans struct {
	IsLCLFAlerted         string `xsd:"IsLCLFAlerted"`
	ExternalTransactionID string `xsd:"ExternalTransactionId"`
	ReferenceOrder        string `xsd:"ReferenceOrder"`
	CustomerData          string `xsd:"CustomerData,optional,nillable"`
	TransactionDate       string `xsd:"TransactionDate"`
	Amount                string `xsd:"Amount"`
	Status                string `xsd:"Status"`
	PosLabel              string `xsd:"PosLabel"`
}

// AlertsTransHist lists the fraud alerts raised on a transaction.
type AlertsTransHist struct {
	AlertsTrans []AlertsTrans `xsd:"AlertsTrans,optional,max=unbounded"`
}

// AlertsTrans is one fraud alert: the rule that raised it and what it did.
type AlertsTrans struct {
	AlertID          string `xsd:"AlertId"`
	ExplanationLabel string `xsd:"ExplanationLabel"`
	ExplanationCode  string `xsd:"ExplanationCode"`
	RuleName         string `xsd:"RuleName"`
	RuleAction       string `xsd:"RuleAction,optional,nillable"`
	RuleCriteria     string `xsd:"RuleCriteria,optional,nillable"`
}
