package paybox

import (
	"guichet"
	"guichet/internal/core"
)

// codePending is the CODEREPONSE of a request the payment's provider has
// yet to settle: every KWIXO capture, cancellation and refund.
const codePending = "99999"

// kwixoStates are the names of the KWIXO states (guide §9.2, §9.3), which
// a pending answer's COMMENTAIRE repeats so that a merchant reading the
// exchange log sees where the operation stands.
var kwixoStates = map[string]string{
	"200": "CREDIT_UNDER_REVIEW", "201": "PAYMENT_OK",
	"300": "CONTROL_EXPERT_REJECT", "301": "SCORING_OK", "302": "SCORING_KO", "303": "SCORING_NEGATIVE",
	"400": "ABORT_TIMEOUT", "401": "PAYMENT_LIGHT_KO",
	"500": "ASK_FINANCING_BY_MERCHANT", "501": "CONFIRM_FINANCING", "502": "CONFIRM_CUSTOMER_DEBIT", "503": "CONFIRM_FINANCING_FAIL",
	"600": "MAKE_COMPLAINT", "601": "COMPLAINT_NEED_MERCHANT_ACTION", "602": "COMPLAINT_NEED_OTHER_ACTION", "603": "COMPLAINT_CLOSED",
	"700": "ASK_FOR_TOTAL_CANCELLATION_BY_MERCHANT", "701": "CONFIRM_CANCELLATION", "702": "CONFIRM_CANCELLATION_FAIL",
	"703": "AUTOMATIC_TOTAL_CANCELLATION",
	"800": "ASK_FOR_REFUND_BY_MERCHANT", "801": "CONFIRM_REFUND_DONE", "802": "CONFIRM_REFUND_FAIL",
}

// kwixoRefusals are the COMMENTAIRE texts of KWIXO's refusals, with the
// guide's class of each code: [KT] technical, [ID] identification, [RL]
// retry later, [KO] refused.
var kwixoRefusals = map[string]string{
	"101": "[KT] Paramètre invalide ou manquant, ou montant incorrect",
	"102": "[KT] Transaction inconnue",
	"103": "[ID] Identification impossible",
	"104": "[RL] Réessayer plus tard : analyse de la commande ou contrôle en cours",
	"105": "[KO] État de la transaction incompatible",
	"106": "[KO] Transaction déjà confirmée",
	"107": "[KO] Annulation partielle impossible sur une transaction confirmée",
	"108": "[KO] Transaction déjà annulée",
	"109": "[KO] Litige en cours",
	"110": "[KO] Seconde annulation partielle interdite",
	"111": "[KO] Annulation partielle déjà en cours",
	"112": "[KO] Annulation totale déjà en cours",
	"113": "[KO] Second remboursement interdit",
	"114": "[KO] Remboursement impossible sur un paiement à crédit",
	"115": "[KO] Montant du remboursement inférieur à 1 euro",
}

// kwixoRefused answers an operation KWIXO refused: CODEREPONSE is the
// guide's code on five digits, as the callbacks' E is.
func kwixoRefused(a *answer, ke *core.KwixoError) string {
	a.comment = "KWIXO : " + ke.Code + " " + kwixoRefusals[ke.Code]
	return kwixoCode(ke.Code)
}

// kwixoAsked answers an operation KWIXO took: pending, NUMTRANS being the
// new operation's number, which the callbacks' S repeats when KWIXO
// settles it.
func kwixoAsked(a *answer, t *guichet.Transaction, op *guichet.Operation) string {
	a.numAppel, a.numTrans = t.Number, op.Number
	a.comment = "Demande en attente de KWIXO"
	if name := kwixoStates[op.Code]; name != "" {
		a.comment += " : " + op.Code + " " + name
	}
	return codePending
}
