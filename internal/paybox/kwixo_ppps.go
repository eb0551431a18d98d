package paybox

import (
	"errors"

	"guichet"
)

// codePending is the CODEREPONSE of a request the payment's provider has
// yet to settle: every KWIXO capture, cancellation and refund.
const codePending = "99999"

// kwixoCodes are KWIXO's PPPS codes (guide §9.1) for the reasons of its
// refusals, with their COMMENTAIRE texts and the guide's class of each
// code: [KT] technical, [ID] identification, [RL] retry later, [KO]
// refused. A transaction KWIXO does not know (guichet.CodeNotFound) is
// 102.
var kwixoCodes = map[guichet.Reason]struct{ code, text string }{
	guichet.ReasonAmount:                {"101", "[KT] Paramètre invalide ou manquant, ou montant incorrect"},
	guichet.ReasonCurrency:              {"101", "[KT] Paramètre invalide ou manquant, ou montant incorrect"},
	guichet.ReasonNotSupported:          {"101", "[KT] Paramètre invalide ou manquant, ou montant incorrect"},
	guichet.ReasonWrongReference:        {"103", "[ID] Identification impossible"},
	guichet.ReasonUnderReview:           {"104", "[RL] Réessayer plus tard : analyse de la commande ou contrôle en cours"},
	guichet.ReasonState:                 {"105", "[KO] État de la transaction incompatible"},
	guichet.ReasonAlreadyCaptured:       {"106", "[KO] Transaction déjà confirmée"},
	guichet.ReasonPartialAfterCapture:   {"107", "[KO] Annulation partielle impossible sur une transaction confirmée"},
	guichet.ReasonAlreadyCancelled:      {"108", "[KO] Transaction déjà annulée"},
	guichet.ReasonDispute:               {"109", "[KO] Litige en cours"},
	guichet.ReasonRepeatedPartialCancel: {"110", "[KO] Seconde annulation partielle interdite"},
	guichet.ReasonPartialCancelPending:  {"111", "[KO] Annulation partielle déjà en cours"},
	guichet.ReasonTotalCancelPending:    {"112", "[KO] Annulation totale déjà en cours"},
	guichet.ReasonRepeatedRefund:        {"113", "[KO] Second remboursement interdit"},
	guichet.ReasonNotRefundable:         {"114", "[KO] Remboursement impossible sur un paiement à crédit"},
	guichet.ReasonRefundTooSmall:        {"115", "[KO] Montant du remboursement inférieur à 1 euro"},
}

// kwixoUnknownText is the COMMENTAIRE of 102, a transaction KWIXO does not
// know.
const kwixoUnknownText = "[KT] Transaction inconnue"

// kwixoRefused answers an operation KWIXO's rules refused, when err is
// such a refusal: CODEREPONSE is the guide's code on five digits, as the
// callbacks' E is.
func kwixoRefused(a *answer, err error) (string, bool) {
	var ge *guichet.Error
	if !errors.As(err, &ge) || ge.Method != "KWIXO" {
		return "", false
	}
	code, text := "102", kwixoUnknownText
	if ge.Code != guichet.CodeNotFound {
		c, ok := kwixoCodes[ge.Reason]
		if !ok {
			// A reason KWIXO's table lacks is a parameter it refuses.
			c = kwixoCodes[guichet.ReasonAmount]
		}
		code, text = c.code, c.text
	}
	a.comment = "KWIXO : " + code + " " + text
	return kwixoCode(code), true
}

// kwixoAsked answers an operation KWIXO took: pending, NUMTRANS being the
// new operation's number, which the callbacks' S repeats when KWIXO
// settles it.
func kwixoAsked(a *answer, t *guichet.Transaction, op *guichet.Operation) string {
	a.numAppel, a.numTrans = t.Number, op.Number
	a.comment = "Demande en attente de KWIXO"
	if name := guichet.ReviewStates[op.Code]; name != "" {
		a.comment += " : " + op.Code + " " + name
	}
	return codePending
}
