package paybox

import "guichet"

// The CODEREPONSE values of Paybox Direct. A refusal by the issuer is
// "001" followed by the issuer's two-digit code.
const (
	codeOK            = "00000"
	codeNoAuthCentre  = "00001"
	codeCoherence     = "00002"
	codePlatform      = "00003"
	codeCard          = "00004"
	codeQuestion      = "00005"
	codeAccess        = "00006"
	codeDate          = "00007"
	codeExpiry        = "00008"
	codeType          = "00009"
	codeCurrency      = "00010"
	codeAmount        = "00011"
	codeReference     = "00012"
	codeVersion       = "00013"
	codeFrame         = "00014"
	codeReferenced    = "00015"
	codeSubscriberDup = "00016"
	codeNoSubscriber  = "00017"
	codeNotFound      = "00018"
	codeCVVMissing    = "00020"
	codeActivity      = "00026"
	codeIssuerRefusal = "001" // + two digits
)

// comments are the COMMENTAIRE texts of each code, as the platform words
// them (in French, sent in Latin-1).
var comments = map[string]string{
	codeOK:            "Demande traitée avec succès",
	codeNoAuthCentre:  "PAYBOX : Connexion au centre d'autorisation échouée",
	codeCoherence:     "PAYBOX : Erreur de cohérence",
	codePlatform:      "PAYBOX : Erreur Paybox",
	codeCard:          "PAYBOX : Numéro de porteur invalide",
	codeQuestion:      "PAYBOX : Numéro de question invalide",
	codeAccess:        "PAYBOX : Accès refusé ou site / rang / clé invalide",
	codeDate:          "PAYBOX : Date invalide",
	codeExpiry:        "PAYBOX : Date de fin de validité incorrecte",
	codeType:          "PAYBOX : Type d'opération invalide",
	codeCurrency:      "PAYBOX : Devise inconnue",
	codeAmount:        "PAYBOX : Montant incorrect",
	codeReference:     "PAYBOX : Référence commande invalide",
	codeVersion:       "PAYBOX : Cette version n'est plus soutenue",
	codeFrame:         "PAYBOX : Trame reçue incohérente",
	codeReferenced:    "PAYBOX : Erreur d'accès aux données précédemment référencées",
	codeSubscriberDup: "PAYBOX : Abonné déjà existant",
	codeNoSubscriber:  "PAYBOX : Abonné inexistant",
	codeNotFound:      "PAYBOX : Transaction non trouvée",
	"00019":           "PAYBOX : Réservé",
	codeCVVMissing:    "PAYBOX : Cryptogramme visuel non présent",
	"00021":           "PAYBOX : Carte non autorisée",
	"00022":           "PAYBOX : Plafond atteint",
	"00023":           "PAYBOX : Porteur déjà passé aujourd'hui",
	"00024":           "PAYBOX : Code pays filtré pour ce commerçant",
	codeActivity:      "PAYBOX : Code activité incorrect",
	"00040":           "PAYBOX : Porteur enrôlé mais non authentifié",
	"00097":           "PAYBOX : Timeout de connexion atteint",
	"00098":           "PAYBOX : Erreur de connexion interne",
	"00099":           "PAYBOX : Incohérence entre la question et la réponse. Refaire une nouvelle tentative ultérieurement.",
}

// comment returns the COMMENTAIRE of a code.
func comment(code string) string {
	if c, ok := comments[code]; ok {
		return c
	}
	if len(code) == 5 && code[:3] == codeIssuerRefusal {
		return "PAYBOX : Transaction refusée par le centre d'autorisation"
	}
	return "PAYBOX : Erreur"
}

// codeOf maps an error of the core to a CODEREPONSE. notFound is the code
// for a missing transaction, which depends on the operation (00015 for an
// operation on an earlier transaction, 00018 for a search).
func codeOf(err error, notFound string) string {
	switch guichet.ErrorReason(err) {
	case guichet.ReasonDuplicate:
		return codeQuestion
	case guichet.ReasonAmount:
		return codeAmount
	case guichet.ReasonCurrency:
		return codeCoherence
	case guichet.ReasonCard:
		return codeCard
	case guichet.ReasonExpiry:
		return codeExpiry
	case guichet.ReasonTokenExists:
		return codeSubscriberDup
	case guichet.ReasonTokenMissing:
		return codeNoSubscriber
	case guichet.ReasonWrongReference:
		return codeReference
	case guichet.ReasonState:
		return codeReferenced
	}
	switch guichet.ErrorCode(err) {
	case guichet.CodeNotFound:
		return notFound
	case guichet.CodeInvalid:
		return codeCoherence
	case guichet.CodeConflict:
		return codeReferenced
	case guichet.CodeUnavailable:
		return codeNoAuthCentre
	case guichet.CodeUnauthorized:
		return codeAccess
	}
	return codePlatform
}
