package paybox

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guichet"
	"guichet/internal/core"
)

// findShop finds the shop of a Paybox SITE and RANG as sent, and its
// Paybox account. It returns a nil shop and a nil error when the values
// name no shop (malformed or unknown), and an error only when the store
// could not answer or the account cannot be read.
func findShop(ctx context.Context, svc *core.Service, site, rang string) (*guichet.Shop, *Account, error) {
	rang = normRang(rang)
	if _, ok := parseDigits(site, 7); !ok || len(site) != 7 || rang == "" {
		return nil, nil, nil
	}
	shop, err := svc.ShopByCredential(ctx, protocol, credentialKey(site, rang))
	if guichet.ErrorCode(err) == guichet.CodeNotFound {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	acct, ok, err := AccountOf(shop)
	if err != nil || !ok {
		return nil, nil, err
	}
	return shop, acct, nil
}

// parseDigits reads up to max decimal digits, nothing else.
func parseDigits(s string, max int) (int64, bool) {
	if s == "" || len(s) > max {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// parseQuestion reads NUMQUESTION: 1 to 2147483647, often zero-padded to
// ten digits.
func parseQuestion(s string) (int64, bool) {
	v, ok := parseDigits(s, 10)
	return v, ok && v >= 1 && v <= 2147483647
}

// normRang writes a RANG as the platform echoes it: two digits at least
// ("032" and "32" are the same rang, answered "32").
func normRang(s string) string {
	v, ok := parseDigits(s, 3)
	if !ok {
		return s
	}
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// normType pads a TYPE sent without its leading zeros ("56").
func normType(s string) (string, bool) {
	v, ok := parseDigits(s, 5)
	if !ok {
		return s, false
	}
	t := strconv.FormatInt(v, 10)
	return strings.Repeat("0", 5-len(t)) + t, true
}

// validDateQ accepts DDMMYYYY and DDMMYYYYHHMMSS dates that exist.
func validDateQ(s string) bool {
	layout := ""
	switch len(s) {
	case 8:
		layout = "02012006"
	case 14:
		layout = "02012006150405"
	default:
		return false
	}
	if _, ok := parseDigits(s, 14); !ok {
		return false
	}
	_, err := time.Parse(layout, s)
	return err == nil
}

// validActivity accepts the ACTIVITE codes the platform knows.
func validActivity(s string) bool {
	switch s {
	case "020", "021", "022", "023", "024", "027":
		return true
	}
	return false
}

// parseExpiry reads DATEVAL, MMYY.
func parseExpiry(s string) (month, year int, ok bool) {
	if len(s) != 4 {
		return 0, 0, false
	}
	v, ok := parseDigits(s, 4)
	if !ok {
		return 0, 0, false
	}
	month, year = int(v/100), 2000+int(v%100)
	return month, year, month >= 1 && month <= 12
}

// cvvOptional tells the cards that have no CVV: Maestro cards, of which
// the Paybox test platform has one.
func cvvOptional(pan string) bool {
	return strings.HasPrefix(pan, "6703") || strings.HasPrefix(pan, "6759")
}

// secretField tells the fields that hold a password or a signature, which
// the exchange log shows as "X"s, whatever the case a client wrote their
// names in.
func secretField(name string) bool {
	for _, secret := range []string{"CLE", "HMAC", "PBX_HMAC"} {
		if strings.EqualFold(name, secret) {
			return true
		}
	}
	return false
}

// maskForm renders a request for the exchange log: card numbers masked
// wherever they are (guichet.MaskCards), CVV fields left out whatever
// their case (guichet.CVVField), passwords and signatures replaced, and
// names and values decoded to text (wireText). They are escaped just enough
// for ParseForm (or any form decoder) to give them back, so that the back
// office can find a request by its REFERENCE or PBX_CMD even when they
// hold "&"; everything else stays as sent, readable. Each value is masked
// before it is escaped, as escaping a "+" between the groups of a card
// number would hide the number from the masker.
func maskForm(f Form) string {
	var b strings.Builder
	for _, p := range f {
		if guichet.CVVField(p.Name) {
			continue
		}
		v := wireText(p.Value)
		switch {
		case secretField(p.Name):
			v = strings.Repeat("X", min(len(v), 8))
		case strings.EqualFold(p.Name, "PORTEUR") || strings.EqualFold(p.Name, "PBX_PORTEUR"):
			v = maskDigits(v)
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(nameEscaper.Replace(guichet.MaskCards(wireText(p.Name))) + "=" + valueEscaper.Replace(guichet.MaskCards(v)))
	}
	return b.String()
}

// valueEscaper and nameEscaper escape the bytes that would change how a
// logged form splits or decodes. A value may hold "=", as only the first
// one of a pair separates.
var (
	valueEscaper = strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B")
	nameEscaper  = strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "=", "%3D")
)

// maskAnswer masks the card numbers of an answer: the one echoed in its
// PORTEUR, even malformed, and any other.
func maskAnswer(s string) string {
	i := strings.Index(s, "&PORTEUR=")
	if i >= 0 {
		start := i + len("&PORTEUR=")
		end := strings.IndexByte(s[start:], '&')
		if end < 0 {
			end = len(s) - start
		}
		s = s[:start] + maskDigits(s[start:start+end]) + s[start+end:]
	}
	return guichet.MaskCards(s)
}

// maskDigits masks a value that looks like a card number, of any length
// and with or without separators, and leaves handles alone: a malformed
// number is as secret as a valid one.
func maskDigits(v string) string {
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-' || r == '.':
			return -1
		}
		return 'x'
	}, v)
	if len(digits) >= 12 && !strings.Contains(digits, "x") {
		return guichet.MaskPAN(digits)
	}
	return v
}

// recordExchange writes a request of a front and its answer to the exchange
// log, timed from start, through the core, which masks and bounds it. The
// answer has gone out already, so a log that cannot be written is reported
// and does not fail the request; the request may have been cancelled by
// then, which the log must not be.
func recordExchange(ctx context.Context, svc *core.Service, log *slog.Logger, start time.Time, e guichet.Exchange) {
	e.ID, e.At, e.Duration = svc.NewID("exc_"), start, time.Since(start)
	if err := svc.RecordExchange(context.WithoutCancel(ctx), e); err != nil {
		log.Warn("exchange not recorded", "err", err)
	}
}

// maxLoggedSigned bounds the signed string logged at DEBUG on an HMAC
// refusal.
const maxLoggedSigned = 1 << 10

// logRefusedHMAC reports a refused signature. At INFO, a short line: the
// shop, the algorithm and how many fields and bytes were signed, which
// anyone can cause and so must stay small. At DEBUG, also the string guichet
// rebuilt and checked the signature against, for an integrator comparing it
// with theirs: card numbers masked, CVV fields left out and cut to 1 KiB,
// as the whole request is in the exchange log anyway (masked as well).
func logRefusedHMAC(ctx context.Context, log *slog.Logger, msg, shop string, f Form, hashField, signatureField string) {
	signed := SignedString(f, signatureField)
	hash := f.Value(hashField)
	if len(hash) > 16 {
		// A known algorithm's name is shorter; this one came from
		// anyone.
		hash = hash[:16] + "…"
	}
	attrs := []slog.Attr{slog.String("shop", shop), slog.String("hash", wireText(hash)),
		slog.Int("fields", len(f)), slog.Int("signed_bytes", len(signed))}
	if !log.Enabled(ctx, slog.LevelDebug) {
		log.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
		return
	}
	var kept Form
	for _, p := range f {
		if p.Name != signatureField && !guichet.CVVField(p.Name) {
			kept = append(kept, Pair{guichet.MaskCards(wireText(p.Name)), guichet.MaskCards(wireText(p.Value))})
		}
	}
	shown := SignedString(kept, "")
	if len(shown) > maxLoggedSigned {
		n := maxLoggedSigned
		for n > 0 && !utf8.RuneStart(shown[n]) {
			n--
		}
		shown = shown[:n] + "…"
	}
	log.LogAttrs(ctx, slog.LevelDebug, msg, append(attrs, slog.String("signed", wireText(shown)))...)
}
