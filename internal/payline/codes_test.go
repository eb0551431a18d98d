package payline

import (
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// codesVectors is where the shared Payline vectors sit, seen from this
// package's directory.
const codesVectors = "../../../shared/vectors/payline"

// codesExpand lists the codes from..to (same width, both included).
func codesExpand(from, to string) []string {
	a, _ := strconv.Atoi(from)
	b, _ := strconv.Atoi(to)
	var out []string
	for n := a; n <= b; n++ {
		out = append(out, strconv.Itoa(100000 + n)[1:])
	}
	return out
}

// codesOfSpec are the codes shared/specs/payline.md §6 lists (6.1 to 6.6)
// and the Payconiq seed's.
func codesOfSpec() []string {
	codes := []string{
		// 6.1
		"00000", "01100", "01101", "01102", "01103", "01108", "01109", "01110", "01111",
		"01113", "01114", "01115", "01116", "01117", "01118", "01119", "01120", "01121",
		"01122", "01123", "01125", "01126", "01128", "01129", "01130", "01131", "01132",
		"01133", "01180", "01181", "01182", "01183", "01184", "01185", "01196", "01197",
		"01198", "01199", "01200", "01201", "01202", "01206", "01207", "01208", "01209",
		"01280", "01430", "01902", "01904", "01907", "01909", "01912", "01913", "01914",
		"01915", "01917",
		// 6.2
		"02000", "02001", "02002", "02003", "02004", "02005", "02006", "02008", "02009",
		"02010", "02011", "02012", "02013", "02014", "02015", "02016", "02020", "02101",
		"02102", "02103", "02104", "02105", "02106", "02110", "02301", "02302", "02303",
		"02304", "02305", "02306", "02307", "02308", "02309", "02313", "02314", "02317",
		"02318", "02319", "02320", "02321", "02322", "02323", "02324", "02400", "02401",
		"02402", "02403", "02500", "02501", "02502", "02503", "02505", "02507", "02508",
		"02509", "02510", "02511", "02514", "02517", "02520", "02521", "02528", "02533",
		"02534", "02535", "02536", "02538", "02539", "02540", "02541", "02640", "02998",
		// 6.4
		"03000", "03001", "03002", "03003", "03004", "03005", "03006", "03007", "03008",
		"03009", "03010", "03021", "03022", "03030", "03100", "03101", "03102", "03103",
		"03200",
		// 6.5
		"04000", "04001", "04002", "04003", "04101", "04102", "04103", "04104", "04301",
		"04302", "04303", "04401", "04901", "04902",
		// 6.6
		"09101", "09102", "09104", "09201",
		// Payconiq seed
		"02012", "02308", "02008", "02324", "02020", "02106",
	}
	for _, r := range [][2]string{
		{"01401", "01407"}, {"01940", "01943"}, {"02201", "02204"}, {"02310", "02312"},
		{"02600", "02604"}, {"02610", "02625"},
	} {
		codes = append(codes, codesExpand(r[0], r[1])...)
	}
	return codes
}

func TestCodeTableCoversSpec(t *testing.T) {
	shorts := map[string]bool{
		"ACCEPTED": true, "REFUSED": true, "ERROR": true, "CANCELLED": true,
		"INPROGRESS": true, "ONHOLD_PARTNER": true, "PENDING_RISK": true,
	}
	for _, code := range codesOfSpec() {
		r, ok := resultsByCode[code]
		if !ok {
			t.Errorf("code %s of the spec is missing", code)
			continue
		}
		if !shorts[r.ShortMessage] {
			t.Errorf("code %s: short message %q is not one of the platform's", code, r.ShortMessage)
		}
		if strings.TrimSpace(r.LongMessage) != r.LongMessage || r.LongMessage == "" {
			t.Errorf("code %s: long message %q is empty or padded", code, r.LongMessage)
		}
	}
}

func TestCodeTableSortedAndUnique(t *testing.T) {
	for i, r := range resultTable {
		if len(r.Code) != 5 || strings.Trim(r.Code, "0123456789") != "" {
			t.Errorf("row %d: code %q is not 5 digits", i, r.Code)
		}
		if i > 0 && resultTable[i-1].Code >= r.Code {
			t.Errorf("row %d: code %s follows %s", i, r.Code, resultTable[i-1].Code)
		}
	}
	if len(resultsByCode) != len(resultTable) {
		t.Errorf("%d rows give %d codes", len(resultTable), len(resultsByCode))
	}
}

// The Payconiq page's table, word for word.
func TestCodePayconiqSeed(t *testing.T) {
	for _, want := range []Result{
		{"02012", "ERROR", "Unmatched partner return code"},
		{"02308", "ERROR", "Invalid value for"},
		{"02008", "CANCELLED", "Transaction canceled by user"},
		{"02324", "REFUSED", "The session expired before the consumer has finished the transaction"},
		{"02020", "REFUSED", "Transaction refused by partner"},
		{"02106", "ERROR", "Payment partner error"},
	} {
		if got := result(want.Code); got != want {
			t.Errorf("result(%s) = %q, want %q", want.Code, got, want)
		}
	}
}

func TestCodeResultPanicsOnUnknownCode(t *testing.T) {
	for _, code := range []string{"", "99999", "XXXXX", "0000"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("result(%q) did not panic", code)
				}
			}()
			result(code)
		}()
	}
}

func TestCodeInvalidValue(t *testing.T) {
	if got, want := invalidValue("order.country"), (Result{"02308", "ERROR", "Invalid value for order.country"}); got != want {
		t.Errorf("invalidValue(order.country) = %q, want %q", got, want)
	}
	if got, want := invalidValue(""), result("02308"); got != want {
		t.Errorf("invalidValue(\"\") = %q, want %q", got, want)
	}
}

func TestCodeAccepted(t *testing.T) {
	set := []string{"00000", "02400", "02500", "02501", "02517", "02520", "02616", "03000", "04000"}
	for _, code := range set {
		if !accepted(code) {
			t.Errorf("accepted(%s) = false", code)
		}
		if r := result(code); r.ShortMessage != "ACCEPTED" {
			t.Errorf("code %s is accepted but its short message is %s", code, r.ShortMessage)
		}
	}
	for _, code := range []string{"", "XXXXX", "01100", "02306", "03101", "03102", "04001", "04003"} {
		if accepted(code) {
			t.Errorf("accepted(%s) = true", code)
		}
	}
	n := 0
	for _, r := range resultTable {
		if accepted(r.Code) {
			n++
		}
	}
	if n != len(set) {
		t.Errorf("%d rows are accepted, want %d", n, len(set))
	}
}

func TestCodeInternalError(t *testing.T) {
	for service, want := range map[string]string{
		"WebPayment":       "Erreur lors de l'appel au service WebPayment",
		"WebPaymentAPI":    "Erreur lors de l'appel au service WebPayment",
		"DirectPaymentAPI": "Erreur lors de l'appel au service DirectPaymentAPI",
		"ExtendedAPI":      "Erreur lors de l'appel au service ExtendedAPI",
	} {
		if got := internalError(service); got != (Result{"XXXXX", "EXCEPTION", want}) {
			t.Errorf("internalError(%s) = %q", service, got)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("internalError(WalletAPI) did not panic")
		}
	}()
	internalError("WalletAPI")
}

// codesElement is an XML element kept as a tree of local names.
type codesElement struct {
	name     string
	attrs    map[string]string
	text     string
	children []*codesElement
}

func (e *codesElement) child(name string) *codesElement {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// codesParse reads the XML file at path into a tree under an unnamed
// root.
func codesParse(t *testing.T, path string) *codesElement {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	root := &codesElement{}
	stack := []*codesElement{root}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return root
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &codesElement{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.text += string(tok)
		}
	}
}

// codesWalk calls f on e and every element below it.
func codesWalk(e *codesElement, f func(*codesElement)) {
	f(e)
	for _, c := range e.children {
		codesWalk(c, f)
	}
}

// codesServices maps each operation to the word naming its service in an
// internal error, from the port types of the shared WSDL.
func codesServices(t *testing.T) map[string]string {
	t.Helper()
	doc := codesParse(t, filepath.Join(codesVectors, "wsdl", "WebPaymentAPI.wsdl"))
	defs := doc.child("definitions")
	if defs == nil {
		t.Fatal("WSDL without definitions")
	}
	// The platform calls WebPaymentAPI "WebPayment" in these messages.
	word := map[string]string{"WebPaymentAPI": "WebPayment", "DirectPaymentAPI": "DirectPaymentAPI", "ExtendedAPI": "ExtendedAPI"}
	services := map[string]string{}
	for _, pt := range defs.children {
		if pt.name != "portType" {
			continue
		}
		service, ok := word[pt.attrs["name"]]
		if !ok {
			t.Fatalf("unexpected port type %q", pt.attrs["name"])
		}
		for _, op := range pt.children {
			if op.name == "operation" {
				services[op.attrs["name"]] = service
			}
		}
	}
	if len(services) == 0 {
		t.Fatal("no operation in the WSDL's port types")
	}
	return services
}

// codesFixtureVariants are the recorded answers whose triple is not the
// table's row for their code, and what they say instead. unBlock answers
// 00000 with the long message of 02500.
var codesFixtureVariants = map[string]Result{
	"directpayment/unBlock/unBlockResponse00000.xml": {"00000", "ACCEPTED", "Operation Successfull"},
}

// Every result triple recorded by the platform is the table's (or
// internalError's) for its code.
func TestCodeRecordedAnswers(t *testing.T) {
	fixtures := filepath.Join(codesVectors, "fixtures")
	if _, err := os.Stat(fixtures); errors.Is(err, fs.ErrNotExist) {
		t.Skip("no shared vectors at", fixtures)
	}
	services := codesServices(t)
	seenVariant := map[string]bool{}
	checked := 0
	err := filepath.WalkDir(fixtures, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.Contains(d.Name(), "Response") || filepath.Ext(path) != ".xml" {
			return nil
		}
		rel, _ := filepath.Rel(fixtures, path)
		rel = filepath.ToSlash(rel)
		doc := codesParse(t, path)
		env := doc.child("Envelope")
		if env == nil || env.child("Body") == nil || len(env.child("Body").children) == 0 {
			t.Errorf("%s: no SOAP body", rel)
			return nil
		}
		answer := env.child("Body").children[0]
		res := answer.child("result")
		if res == nil || res.child("code") == nil || res.child("shortMessage") == nil || res.child("longMessage") == nil {
			t.Errorf("%s: no result triple in %s", rel, answer.name)
			return nil
		}
		got := Result{res.child("code").text, res.child("shortMessage").text, res.child("longMessage").text}
		var want Result
		switch v, ok := codesFixtureVariants[rel]; {
		case ok:
			seenVariant[rel] = true
			want = v
			if _, known := resultsByCode[got.Code]; !known {
				t.Errorf("%s: code %s is not in the table", rel, got.Code)
			}
		case got.Code == "XXXXX":
			op := strings.TrimSuffix(answer.name, "Response")
			service, ok := services[op]
			if !ok {
				t.Errorf("%s: operation %s is in no port type", rel, op)
				return nil
			}
			want = internalError(service)
		default:
			r, known := resultsByCode[got.Code]
			if !known {
				t.Errorf("%s: code %s is not in the table", rel, got.Code)
				return nil
			}
			want = r
		}
		if got != want {
			t.Errorf("%s: recorded %q, table says %q", rel, got, want)
		}
		// Results nested deeper (a billing record's) carry known codes.
		codesWalk(answer, func(e *codesElement) {
			if e == res || e.name != "result" || e.child("code") == nil {
				return
			}
			if _, known := resultsByCode[e.child("code").text]; !known {
				t.Errorf("%s: nested code %s is not in the table", rel, e.child("code").text)
			}
		})
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("no recorded answer found under", fixtures)
	}
	for rel := range codesFixtureVariants {
		if !seenVariant[rel] {
			t.Errorf("variant %s was not found among the fixtures", rel)
		}
	}
	t.Logf("%d recorded answers checked", checked)
}

// The amounts of payline.md §5, as the simulator page gives them.
func TestCodeSimulatedAmounts(t *testing.T) {
	spec := map[string]string{
		"333.00": "00000", "333.08": "00000", "333.05": "01100", "333.60": "01103",
		"333.02": "01108", "333.03": "01109", "333.13": "01110", "333.14": "01111",
		"333.51": "01116", "333.55": "01117", "333.56": "01118", "333.57": "01119",
		"333.58": "01120", "333.61": "01121", "333.63": "01122", "333.31": "01199",
		"333.04": "01200", "333.33": "01201", "333.54": "01201", "333.34": "01202",
		"333.38": "01206", "333.07": "01207", "333.41": "01208", "333.43": "01209",
		"333.12": "01902", "333.30": "01904", "333.91": "01907", "333.96": "01909",
		"333.15": "01912", "333.16": "01131", "333.94": "01913",
	}
	if len(simulatedAmounts) != len(spec) {
		t.Errorf("%d simulated amounts, the spec has %d", len(simulatedAmounts), len(spec))
	}
	for amount, code := range spec {
		minor, err := strconv.ParseInt(strings.Replace(amount, ".", "", 1), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := simulatedAmounts[minor]; got != code {
			t.Errorf("simulatedAmounts[%d] = %q, want %q", minor, got, code)
		}
	}
	for minor, code := range simulatedAmounts {
		if _, known := resultsByCode[code]; !known || (code != "00000" && !strings.HasPrefix(code, "01")) {
			t.Errorf("simulatedAmounts[%d] = %q, not a known acquirer code", minor, code)
		}
	}
}

// codesLuhnDigit is the check digit that makes digits+it Luhn-valid.
func codesLuhnDigit(digits string) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func TestCodeSimulatedCard(t *testing.T) {
	// The simulator page's examples, whose last digit is the Luhn key.
	for pan, want := range map[string]string{
		"4970103469012082": "01208",
		"4970103469011084": "01108",
		"4970103469012066": "01206",
	} {
		if codesLuhnDigit(pan[:15]) != pan[15] {
			t.Errorf("%s is not Luhn-valid", pan)
		}
		if got, ok := simulatedCard(pan); !ok || got != want {
			t.Errorf("simulatedCard(%s) = %q, %v, want %q", pan, got, ok, want)
		}
	}
	// Built the same way from other test numbers.
	for _, c := range []struct{ prefix, code string }{
		{"497010346", "01100"}, {"497010112", "01116"}, {"413000000", "01119"},
		{"513000000", "01209"}, {"497010346", "01902"},
	} {
		body := c.prefix + "9" + c.code
		pan := body + string(codesLuhnDigit(body))
		if got, ok := simulatedCard(pan); !ok || got != c.code {
			t.Errorf("simulatedCard(%s) = %q, %v, want %q", pan, got, ok, c.code)
		}
		long := c.prefix + "9" + c.code + "123"
		long += string(codesLuhnDigit(long))
		if got, ok := simulatedCard(long); !ok || got != c.code {
			t.Errorf("simulatedCard(%s) = %q, %v, want %q", long, got, ok, c.code)
		}
	}
	for _, pan := range []string{
		"4970101122334455",     // 10th digit 1
		"4970101122334471",     // 10th digit 1
		"4970103468012083",     // 10th digit 8
		"4970103469019990",     // 01999 is no code
		"4970103469023088",     // 02308 is no acquirer code
		"4970103469000005",     // 00000 is no 01xxx code
		"497010346901208",      // 15 digits
		"49701034690120820000", // 20 digits
		"4970 1034 6901 2082",  // spaces
		"",
	} {
		if code, ok := simulatedCard(pan); ok {
			t.Errorf("simulatedCard(%q) = %q, true", pan, code)
		}
	}
}
