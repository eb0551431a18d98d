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
	codeBIN           = "00021"
	codeActivity      = "00026"
	codeNot3DS        = "00040"
	codeIssuerRefusal = "001" // + two digits
)

// comments are the COMMENTAIRE texts of each code, in French and sent in
// Latin-1. Where a public client's test suite recorded the text of the
// real pre-production platform, the text is that recording, byte for
// byte, and the comment names it; the others are the wording of the
// Paybox Direct manual's code table.
var comments = map[string]string{
	// lexik/LexikPayboxBundle Tests/Paybox/DirectPlus/RequestTest.php,
	// answers of the pre-production platform.
	codeOK:           "Demande traitée avec succès",
	codeNoAuthCentre: "PAYBOX : Connexion au centre d'autorisation échouée",
	codeCoherence:    "PAYBOX : Erreur de cohérence",
	codePlatform:     "PAYBOX : Erreur Paybox",
	// activemerchant test/remote/gateways/remote_paybox_direct_test.rb
	// test_unsuccessful_purchase; nexylan/paybox-direct
	// AuthorizeRequestTest::testCallInvalidPorteur (both live).
	codeCard:     "PAYBOX : Numéro de porteur invalide",
	codeQuestion: "PAYBOX : Numéro de question invalide",
	// activemerchant remote_paybox_direct_test.rb
	// test_invalid_login_without_rang (live): no spaces around the
	// slashes.
	codeAccess:    "PAYBOX : Accès refusé ou site/rang/clé invalide",
	codeDate:      "PAYBOX : Date invalide",
	codeExpiry:    "PAYBOX : Date de fin de validité incorrecte",
	codeType:      "PAYBOX : Type d'opération invalide",
	codeCurrency:  "PAYBOX : Devise inconnue",
	codeAmount:    "PAYBOX : Montant incorrect",
	codeReference: "PAYBOX : Référence commande invalide",
	codeVersion:   "PAYBOX : Cette version n'est plus soutenue",
	// activemerchant test/remote/gateways/remote_paybox_direct_3dsv2_test.rb
	// test_failed_purchase_invalid_ds_transaction_id (live): the
	// platform's words for a frame it cannot read, where the manual says
	// "incohérente".
	codeFrame:      "PAYBOX : Trame reçue invalide",
	codeReferenced: "PAYBOX : Erreur d'accès aux données précédemment référencées",
	// lexik RequestTest (00056 on an existing subscriber).
	codeSubscriberDup: "PAYBOX : Abonné déjà existant",
	// nexylan SubscriberDeleteRequestTest::testCallNotExistentSubscriber
	// (live).
	codeNoSubscriber: "PAYBOX : Abonné inexistant",
	codeNotFound:     "PAYBOX : Transaction non trouvée",
	"00019":          "PAYBOX : Réservé",
	codeCVVMissing:   "PAYBOX : Cryptogramme visuel non présent",
	// nexylan CreditRequestTest::testCallInvalidBearer (live).
	codeBIN:      "PAYBOX : Bin non autorisé pour cette opération",
	"00022":      "PAYBOX : Plafond atteint",
	"00023":      "PAYBOX : Porteur déjà passé aujourd'hui",
	"00024":      "PAYBOX : Code pays filtré pour ce commerçant",
	codeActivity: "PAYBOX : Code activité incorrect",
	codeNot3DS:   "PAYBOX : Porteur enrôlé mais non authentifié",
	"00097":      "PAYBOX : Timeout de connexion atteint",
	"00098":      "PAYBOX : Erreur de connexion interne",
	"00099":      "PAYBOX : Incohérence entre la question et la réponse. Refaire une nouvelle tentative ultérieurement.",
}

// Comments the platform gives instead of its code's usual one, in
// particular cases. Each is a recording of the real pre-production
// platform; the code it comes with was not recorded, and is the manual's
// code for the fault.
const (
	// activemerchant remote_paybox_direct_test.rb test_failed_capture and
	// test_failed_refund, remote_paybox_direct_plus_test.rb
	// test_failed_capture (live): NUMAPPEL and NUMTRANS sent empty. See
	// missingNumbers for the two numbers.
	commentMissing = "Mandatory values missing keyword:%d Type:%d"
	// activemerchant remote_paybox_direct_3ds_test.rb and
	// remote_paybox_direct_3dsv2_test.rb, test_failed_purchase_invalid_cavv,
	// test_failed_purchase_invalid_xid,
	// test_failed_purchase_longer_merchant_name (live).
	commentTooLong = "Some values exceed max length"
	// activemerchant remote_paybox_direct_test.rb test_invalid_login on
	// rang 100 (live): a CLE sent to an account that takes HMAC only.
	commentHMACRequired = "HMAC requis"
	// activemerchant remote_paybox_direct_test.rb test_failed_capture of
	// the years the platform answered in English (live); guichet gives it
	// to a 3-D Secure field whose value has the wrong form.
	commentInvalidData = "Invalid data"
	// activemerchant remote_paybox_direct_3ds_test.rb
	// test_failed_purchase_invalid_eci (live): 3-D Secure v1 data of a
	// failed authentication.
	commentRefused = "PAYBOX : Transaction refusée"
	// activemerchant remote_paybox_direct_3dsv2_test.rb
	// test_failed_purchase_invalid_eci and
	// test_unsuccessful_purchase_unauthentified_response_status (live):
	// 3-D Secure v2 data with an invalid signature, and with an
	// authentication that failed.
	commentBadSignature3DS = "Signature PARes 3DS invalide"
	commentBadStatus3DS    = "Statut PARes 3DS invalide"
)

// issuerLabels are the COMMENTAIRE of a refusal by the issuer (001xx): the
// label of the issuer's code, without the "PAYBOX :" of the platform's own
// errors. activemerchant remote_paybox_direct_3dsv2_test.rb recorded the
// labels of 14 and 15 forced with ERRORCODETEST (live); the others are the
// labels of the Paybox manual's table of issuer codes, whose wording
// those two follow.
var issuerLabels = map[string]string{
	"00": "Transaction approuvée ou traitée avec succès",
	"01": "Contacter l'émetteur de carte",
	"02": "Contacter l'émetteur de carte",
	"03": "Commerçant invalide",
	"04": "Conserver la carte",
	"05": "Ne pas honorer",
	"07": "Conserver la carte, conditions spéciales",
	"08": "Approuver après identification du porteur",
	"12": "Transaction invalide",
	"13": "Montant invalide",
	"14": "Numéro de porteur invalide",
	"15": "Emetteur de carte inconnu",
	"17": "Annulation client",
	"19": "Répéter la transaction ultérieurement",
	"20": "Réponse erronée (erreur dans le domaine serveur)",
	"24": "Mise à jour de fichier non supportée",
	"25": "Impossible de localiser l'enregistrement dans le fichier",
	"26": "Enregistrement dupliqué, ancien enregistrement remplacé",
	"27": "Erreur en « edit » sur champ de mise à jour fichier",
	"28": "Accès interdit au fichier",
	"29": "Mise à jour de fichier impossible",
	"30": "Erreur de format",
	"33": "Carte expirée",
	"38": "Nombre d'essais code confidentiel dépassé",
	"41": "Carte perdue",
	"43": "Carte volée",
	"51": "Provision insuffisante ou crédit dépassé",
	"54": "Date de validité de la carte dépassée",
	"55": "Code confidentiel erroné",
	"56": "Carte absente du fichier",
	"57": "Transaction non permise à ce porteur",
	"58": "Transaction interdite au terminal",
	"59": "Suspicion de fraude",
	"60": "L'accepteur de carte doit contacter l'acquéreur",
	"61": "Dépasse la limite du montant de retrait",
	"63": "Règles de sécurité non respectées",
	"68": "Réponse non parvenue ou reçue trop tard",
	"75": "Nombre d'essais code confidentiel dépassé",
	"76": "Porteur déjà en opposition, ancien enregistrement conservé",
	"90": "Arrêt momentané du système",
	"91": "Emetteur de cartes inaccessible",
	"94": "Demande dupliquée",
	"96": "Mauvais fonctionnement du système",
	"97": "Echéance de la temporisation de surveillance globale",
}

// unknownIssuerCode is the COMMENTAIRE of an issuer code the platform has
// no label for: activemerchant remote_paybox_direct_3dsv2_test.rb
// recorded it for ERRORCODETEST=00189 (live), although the manual lists
// 89 for Paybox System.
const unknownIssuerCode = "*** Code erreur en retour de la banque inconnu ***"

// commentOf returns the COMMENTAIRE of a code.
func commentOf(code string) string {
	if c, ok := comments[code]; ok {
		return c
	}
	if len(code) == 5 && code[:3] == codeIssuerRefusal {
		if label, ok := issuerLabels[code[3:]]; ok {
			return label
		}
		return unknownIssuerCode
	}
	return "PAYBOX : Erreur"
}

// missingNumbers gives the two numbers of the platform's answer to an
// operation sent without NUMAPPEL or NUMTRANS: the platform's keyword for
// them (13) and its internal number of the operation type. The recordings
// show Type:1 for 00002, Type:13 for 00014 and Type:20 for 00052 (Type:18
// in older ones): the position of the TYPE in the platform's list of
// types, counted from 0, with two types added before the Direct Plus ones
// since the older recordings. The other rows follow that rule.
var missingNumbers = map[string]int{
	"00002": 1, "00005": 4, "00013": 12, "00014": 13,
	"00052": 20, "00055": 23,
}

// numbersKeyword is the platform's keyword number of NUMAPPEL and NUMTRANS
// in its "Mandatory values missing" answers.
const numbersKeyword = 13

// reasonCodes map the core's refusals to Paybox Direct's CODEREPONSE, where
// the reason decides it; codeOf falls back on the error's code. KWIXO's
// reasons have their own table (kwixoCodes).
var reasonCodes = map[guichet.Reason]string{
	guichet.ReasonDuplicate:      codeQuestion,
	guichet.ReasonAmount:         codeAmount,
	guichet.ReasonCurrency:       codeCoherence,
	guichet.ReasonCard:           codeCard,
	guichet.ReasonExpiry:         codeExpiry,
	guichet.ReasonTokenExists:    codeSubscriberDup,
	guichet.ReasonTokenMissing:   codeNoSubscriber,
	guichet.ReasonTokenCancelled: codeNoSubscriber,
	guichet.ReasonWrongReference: codeReference,
	guichet.ReasonState:          codeReferenced,
	guichet.ReasonExpired:        codeReferenced,
	guichet.ReasonTokenActive:    codeReferenced,
	guichet.ReasonNotCaptured:    codeReferenced,
	// A schedule Paybox Direct would take is checked by Paybox System's
	// pages, which show their own messages: here it is a value the
	// platform finds incoherent.
	guichet.ReasonSchedule: codeCoherence,
}

// codeOf maps an error of the core to a CODEREPONSE. notFound is the code
// for a missing transaction, which depends on the operation (00015 for an
// operation on an earlier transaction, 00018 for a search).
func codeOf(err error, notFound string) string {
	if code, ok := reasonCodes[guichet.ErrorReason(err)]; ok {
		return code
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
