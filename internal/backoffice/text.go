package backoffice

import (
	"html/template"
	"strings"
)

// texts are the back office's words in French and English, by key.
var texts = map[string]map[string]string{
	"fr": {
		"backOffice": "Back office guichet", "skip": "Aller au contenu", "signIn": "Connexion", "signOut": "Déconnexion",
		"user": "Utilisateur", "password": "Mot de passe", "wrongPassword": "Nom d’utilisateur ou mot de passe incorrect.",
		"tooManyAttempts": "Trop de tentatives : réessayez dans quinze minutes.",
		"journal":         "Journal des transactions", "filters": "Filtres", "filter": "Filtrer", "shop": "Boutique", "front": "Protocole",
		"all": "Tous", "status": "État", "reference": "Référence", "amount": "Montant", "card": "Carte", "from": "Du", "to": "Au",
		"review": "État KWIXO", "date": "Date", "method": "Moyen", "info": "?", "actions": "Actions", "next": "Page suivante",
		"noTransaction": "Aucune transaction ne correspond.", "open": "Ouvrir",
		"status.authorized": "Autorisée", "status.captured": "Capturée", "status.cancelled": "Annulée", "status.refunded": "Remboursée",
		"status.refused": "Refusée", "status.credited": "Créditée", "status.verified": "Vérifiée", "status.waiting": "En attente",
		"op.authorize": "Autorisation", "op.capture": "Capture", "op.cancel": "Annulation", "op.refund": "Remboursement",
		"op.credit": "Crédit", "op.update_amount": "Modification du montant", "op.verify": "Vérification", "op.validate": "Validation",
		"do.capture": "Capturer", "do.cancel": "Annuler", "do.refund": "Rembourser",
		"transaction": "Transaction", "number": "Numéro", "captured": "Capturé / remboursé", "threeDS": "3-D Secure",
		"authCode": "Autorisation", "created": "Créée le", "order": "Commande", "customer": "Client", "operations": "Opérations",
		"approved": "Acceptée", "yes": "oui", "no": "non", "code": "Code", "ref": "Identifiant",
		"notifications": "Notifications", "url": "Adresse", "attempts": "Tentatives", "resend": "Renvoyer",
		"noNotification": "Aucune notification.", "exchanges": "Échanges", "download": "Télécharger", "noExchange": "Aucun échange enregistré.",
		"audit": "Historique des actions", "noAudit": "Aucune action du back office.", "who": "Qui", "what": "Quoi",
		"done.capture": "Capture effectuée.", "done.cancel": "Annulation effectuée.", "done.refund": "Remboursement effectué.",
		"done.resend": "Notification renvoyée.", "notAllowed": "Impossible maintenant",
		"unknownOperation": "Opération inconnue.", "staleForm": "Ce formulaire a déjà été envoyé : rechargez la page.",
		"clock": "Horloge de la boutique", "now": "Heure de la boutique", "offset": "Avance", "advance": "Avancer l’horloge",
		"advanceBy": "Avancer de (par exemple 30m, 24h)", "ran": "Tâches exécutées", "badDuration": "Durée invalide : écrivez par exemple 30m ou 48h.",
		"testOnly": "Seule l’horloge d’une boutique de TEST peut avancer.", "mode": "Mode",
		"forbidden": "Accès refusé", "forbiddenText": "Ce formulaire n’a pas été envoyé depuis une page de votre session.",
		"notFound": "Introuvable", "notFoundText": "Cette page n’existe pas, ou vous n’y avez pas accès.",
		"unavailable": "Indisponible", "unavailableText": "Le service est momentanément indisponible : réessayez.",
		"dispute": "Litige KWIXO", "dispute.open": "Ouvrir un litige", "dispute.answer": "Répondre au litige",
		"dispute.close": "Clore le litige", "done.dispute": "Litige mis à jour.",
		"settings": "Réglages du contrat", "saved": "Réglages enregistrés.", "save": "Enregistrer",
		"captureDelay": "Délai de remise en banque (jours)", "autoCaptureDays": "Capture automatique après (jours, 0 : non)",
		"notifyAttempts": "Tentatives de notification (0 : onze sur deux jours)", "threeDSRequired": "3-D Secure sur la page de paiement",
		"cvvRequired": "Cryptogramme obligatoire", "credentials": "Identifiants des protocoles (JSON : adresses de notification, contrats, moyens de paiement, clés)",
		"savedCredential": "Identifiants enregistrés",
		"upcoming":        "Travail à venir", "due": "Échéance", "work": "Tâche", "nothingToCome": "Rien de prévu.",
		"job.deliver": "Notification", "job.review": "État KWIXO", "job.capture": "Capture différée", "job.kwixo": "Issue d’une opération KWIXO",
		"job.instalment": "Paiement en plusieurs fois", "job.subscription": "Abonnement", "job.recurring": "Paiement récurrent",
		"job.authorize": "Autorisation différée", "job.forget-card": "Oubli de la carte en attente",
		"history": "Historique des états", "noHistory": "Aucun état enregistré.", "shipping": "Livraison", "cart": "Panier",
		"resetTitle": "Remettre la boutique à zéro", "resetButton": "Remettre à zéro",
		"resetText":    "Oublie les transactions, commandes, cartes, notifications et tâches de la boutique, et remet son horloge à l’heure ; garde ses identifiants et ses réglages.",
		"confirmReset": "Je confirme la remise à zéro", "resetDone": "Transactions oubliées",
		"back": "Retour au journal", "language": "English", "languageCode": "en",
	},
	"en": {
		"backOffice": "guichet back office", "skip": "Skip to content", "signIn": "Sign in", "signOut": "Sign out",
		"user": "User", "password": "Password", "wrongPassword": "Wrong user name or password.",
		"tooManyAttempts": "Too many attempts: try again in fifteen minutes.",
		"journal":         "Transaction journal", "filters": "Filters", "filter": "Filter", "shop": "Shop", "front": "Protocol",
		"all": "All", "status": "Status", "reference": "Reference", "amount": "Amount", "card": "Card", "from": "From", "to": "To",
		"review": "KWIXO state", "date": "Date", "method": "Method", "info": "?", "actions": "Actions", "next": "Next page",
		"noTransaction": "No transaction matches.", "open": "Open",
		"status.authorized": "Authorized", "status.captured": "Captured", "status.cancelled": "Cancelled", "status.refunded": "Refunded",
		"status.refused": "Refused", "status.credited": "Credited", "status.verified": "Verified", "status.waiting": "Waiting",
		"op.authorize": "Authorization", "op.capture": "Capture", "op.cancel": "Cancellation", "op.refund": "Refund",
		"op.credit": "Credit", "op.update_amount": "Amount change", "op.verify": "Verification", "op.validate": "Validation",
		"do.capture": "Capture", "do.cancel": "Cancel", "do.refund": "Refund",
		"transaction": "Transaction", "number": "Number", "captured": "Captured / refunded", "threeDS": "3-D Secure",
		"authCode": "Authorization", "created": "Created", "order": "Order", "customer": "Customer", "operations": "Operations",
		"approved": "Approved", "yes": "yes", "no": "no", "code": "Code", "ref": "Identifier",
		"notifications": "Notifications", "url": "URL", "attempts": "Attempts", "resend": "Resend",
		"noNotification": "No notification.", "exchanges": "Exchanges", "download": "Download", "noExchange": "No exchange recorded.",
		"audit": "Action history", "noAudit": "No back-office action.", "who": "Who", "what": "What",
		"done.capture": "Captured.", "done.cancel": "Cancelled.", "done.refund": "Refunded.",
		"done.resend": "Notification sent again.", "notAllowed": "Not possible now",
		"unknownOperation": "Unknown operation.", "staleForm": "This form was sent already: reload the page.",
		"clock": "Shop clock", "now": "Shop time", "offset": "Ahead by", "advance": "Advance the clock",
		"advanceBy": "Advance by (for example 30m, 24h)", "ran": "Jobs run", "badDuration": "Invalid duration: write 30m or 48h, say.",
		"testOnly": "Only a TEST shop's clock may be advanced.", "mode": "Mode",
		"forbidden": "Forbidden", "forbiddenText": "This form was not sent from a page of your session.",
		"notFound": "Not found", "notFoundText": "This page does not exist, or you may not see it.",
		"unavailable": "Unavailable", "unavailableText": "The service is unavailable for a moment: try again.",
		"dispute": "KWIXO dispute", "dispute.open": "Open a dispute", "dispute.answer": "Answer the dispute",
		"dispute.close": "Close the dispute", "done.dispute": "Dispute updated.",
		"settings": "Contract settings", "saved": "Settings saved.", "save": "Save",
		"captureDelay": "Remittance delay (days)", "autoCaptureDays": "Automatic capture after (days, 0: none)",
		"notifyAttempts": "Notification attempts (0: eleven over two days)", "threeDSRequired": "3-D Secure on the payment page",
		"cvvRequired": "Security code required", "credentials": "Protocol credentials (JSON: notification URLs, contracts, means of payment, keys)",
		"savedCredential": "Credentials saved",
		"upcoming":        "Work to come", "due": "Due", "work": "Work", "nothingToCome": "Nothing planned.",
		"job.deliver": "Notification", "job.review": "KWIXO state", "job.capture": "Deferred capture", "job.kwixo": "Outcome of a KWIXO operation",
		"job.instalment": "Instalment", "job.subscription": "Subscription", "job.recurring": "Recurring payment",
		"job.authorize": "Deferred authorization", "job.forget-card": "Pending card forgotten",
		"history": "State history", "noHistory": "No state recorded.", "shipping": "Shipping", "cart": "Cart",
		"resetTitle": "Reset the shop", "resetButton": "Reset",
		"resetText":    "Forgets the shop's transactions, orders, cards, notifications and due work, and sets its clock back to real time; keeps its credentials and settings.",
		"confirmReset": "I confirm the reset", "resetDone": "Transactions forgotten",
		"back": "Back to the journal", "language": "Français", "languageCode": "fr",
	},
}

var funcs = template.FuncMap{
	// t looks a key up, falling back to the key itself so that a missing
	// text shows where it is missing.
	"t": func(m map[string]string, key string) string {
		if s, ok := m[key]; ok {
			return s
		}
		return key
	},
	"join":  strings.Join,
	"money": amount,
}
