package payline_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"guichet/internal/payline/soap"
)

// fixturesDir holds the requests Monext's Java kit sends and the answers
// the platform gave (payline.md §7), beside the checkout as CI has it.
var fixturesDir = filepath.Join("..", "..", "..", "shared", "vectors", "payline", "fixtures")

// services are the service each fixture folder's operations are sent to,
// as the SDKs route them.
var services = map[string]string{"webpayment": "WebPaymentAPI", "directpayment": "DirectPaymentAPI",
	"walletpayment": "DirectPaymentAPI", "extended": "ExtendedAPI"}

// replay says how one operation's recorded requests are replayed: the
// state to prepare, whose identifiers replace the fixtures' placeholders,
// and, where guichet's answer differs from the recording on purpose, the
// code it gives and why. A placeholder is the text before it, from the
// element's name or its closing ">", and the value: ">TrsIdyyyy" or
// "walletId>5".
type replay struct {
	prepare func(g *gateway) map[string]string
	code    string
	why     string
}

// authorized is a fresh authorization of the fixtures' amount.
func authorized(g *gateway) map[string]string {
	res := g.authorize(authorization("100", "100", "4970101122334455"))
	return map[string]string{">TrsIdyyyy": res.Transaction.ID}
}

// captured is a fresh payment captured at once.
func captured(g *gateway) map[string]string {
	res := g.authorize(authorization("101", "100", "4970101122334455"))
	return map[string]string{">TrsIdyyyy": res.Transaction.ID, ">OrderRefbbbb": "DIRECT-1"}
}

// unsupported are the operations guichet answers with 02010, "requested
// function not available": means of payment and services it does not
// offer (cheques, bank transfers, prepaid cards, card data encryption,
// its own 3-D Secure server calls, and the platform's session services).
var unsupported = map[string]bool{"doScoringCheque": true, "doBankTransfer": true, "getBalance": true,
	"getEncryptionKey": true, "isRegistered": true, "prepareSession": true, "verifyEnrollment": true,
	"verifyAuthentication": true, "getToken": true, "unBlock": true}

// The fixtures are replayed on the merchant they were recorded for, whose
// contracts they name.
var fixtureContracts = []string{"CB", "contractNumber", "CB firt", "APPLE_PAY firt", "CB wallet", "APPLE_PAY wallet"}

var replays = map[string]replay{
	"doCapture":             {prepare: authorized},
	"doReset":               {prepare: authorized},
	"doReAuthorization":     {prepare: authorized},
	"doRefund":              {prepare: captured},
	"getTransactionDetails": {prepare: captured},
	"transactionsSearch": {prepare: captured, code: "02305",
		why: "the recorded request's endDate is the placeholder \"endDate\", not a date"},
	"getWebPaymentDetails": {prepare: func(g *gateway) map[string]string {
		res := g.open(g.webPayment(cardNumber, "1000"))
		return map[string]string{">xxxxxtokenxxxxxx": res.Token}
	}, code: "02533", why: "the session's buyer has not reached the page yet"},
	"getAlertDetails": {code: "04301", why: "guichet's fraud screening raises no alerts"},

	"updateWallet":    {prepare: walletNamed("1")},
	"updateWebWallet": {prepare: walletNamed("5")},
	"getWebWallet": {prepare: func(g *gateway) map[string]string {
		return map[string]string{">xxxx-zzzz-yyyy": g.registerWebWallet("W-WEB")}
	}},
	"getWallet":                {prepare: walletNamed("5")},
	"getCards":                 {prepare: walletNamed("5")},
	"doImmediateWalletPayment": {prepare: walletNamed("5")},
	"disableWallet": {prepare: func(g *gateway) map[string]string {
		// The minimal request names WalletId1; the full one is a
		// createWallet request filed under disableWallet.
		g.createWallet("WalletId1", "4970101122334455")
		return nil
	}},
	"enableWallet": {prepare: func(g *gateway) map[string]string {
		g.createWallet("5", "4970101122334455")
		g.call("DirectPaymentAPI", &soap.DisableWalletRequest{ContractNumber: cardNumber,
			WalletIDList: &soap.WalletIDList{WalletID: []string{"5"}}})
		return nil
	}},
	"getPaymentRecord":     {prepare: paymentRecord},
	"disablePaymentRecord": {prepare: paymentRecord},
	"getBillingRecord":     {prepare: paymentRecord},
	"doRecurrentWalletPayment": {prepare: walletNamed("5"), code: "02308",
		why: "the recorded request asks for mode CPT, which is no schedule (NX or REC)"},
	"doScheduledWalletPayment": {prepare: walletNamed("5"), code: "02308",
		why: "the recorded request schedules the payment on 01/01/1990, in the past"},
	"updatePaymentRecord": {prepare: paymentRecord, code: "02305",
		why: "the recorded request's dates are the placeholders 99/99/9999 and \"today 00/00/0000\""},
	"updateBillingRecord": {prepare: paymentRecord, code: "02308",
		why: "the recorded request moves the instalment to 10/10/1010, in the past"},
}

// walletNamed is a wallet of the fixtures' identifier.
func walletNamed(id string) func(g *gateway) map[string]string {
	return func(g *gateway) map[string]string {
		if res := g.createWallet(id, "4970101122334455"); res.Result.Code != "02500" {
			g.t.Fatalf("createWallet %s: %+v", id, res.Result)
		}
		return nil
	}
}

// paymentRecord is a payment record in three instalments, the first paid,
// which the fixtures' record identifiers name; their billing record 6 is
// its first instalment, charged as the recorded one was.
func paymentRecord(g *gateway) map[string]string {
	walletNamed("5")(g)
	res := g.recurrent(recurrent("5", "NX", "3000", &soap.Recurring{FirstAmount: "1000", Amount: "1000", BillingCycle: "40", BillingLeft: "3"}))
	if res.Result.Code != "02500" {
		g.t.Fatalf("doRecurrentWalletPayment: %+v", res.Result)
	}
	return map[string]string{"paymentRecordId>paymentRecordId 5": res.PaymentRecordID, "paymentRecordId>recordId 123": res.PaymentRecordID,
		"billingRecordId>billingRecordId 6": "1"}
}

// TestFixtures sends every request Monext's Java kit recorded to guichet,
// with the fixtures' merchant configured, and compares each answer with
// the platform's recorded answer to the same operation: the result code,
// the order of the answer's elements, the presence of every element the
// platform filled, and the shape of its dates.
func TestFixtures(t *testing.T) {
	if _, err := os.Stat(fixturesDir); err != nil {
		t.Skipf("no vectors folder beside the checkout: %v", err)
	}
	requests, _ := filepath.Glob(filepath.Join(fixturesDir, "*", "*", "*Request*.xml"))
	if len(requests) < 60 {
		t.Fatalf("%d request fixtures, want them all", len(requests))
	}
	for _, path := range requests {
		folder := filepath.Base(filepath.Dir(filepath.Dir(path)))
		t.Run(strings.TrimSuffix(filepath.Base(path), ".xml"), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			req, err := soap.DecodeRequest(raw)
			if err != nil {
				t.Fatalf("the fixture is not read: %v", err)
			}
			op := req.Operation()
			var recorded *node
			if !unsupported[op] {
				recorded = recordedAnswer(t, filepath.Dir(path))
			}
			r := replays[op]
			g := newFixtureGateway(t)
			if r.prepare != nil {
				for placeholder, value := range r.prepare(g) {
					name := placeholder[:strings.LastIndex(placeholder, ">")+1]
					raw = bytes.ReplaceAll(raw, []byte(placeholder+"<"), []byte(name+value+"<"))
				}
			}
			status, out := g.post(services[folder], raw, merchantID, accessKey)
			if status != 200 {
				t.Fatalf("HTTP %d:\n%s", status, out)
			}
			ours := parseTree(t, out)
			if ours.name != op+"Response" {
				t.Fatalf("answer %s to %s", ours.name, op)
			}
			want := r.code
			switch {
			case unsupported[op]:
				want = "02010"
			case want == "":
				want = recorded.text("result/code")
			}
			if got := ours.text("result/code"); got != want {
				t.Fatalf("result %s %s (%s), want %s%s", got, ours.text("result/shortMessage"), ours.text("result/longMessage"), want, why(r))
			}
			if recorded == nil || want != recorded.text("result/code") {
				return // a refusal carries its result alone
			}
			compareTrees(t, recorded, ours)
		})
	}
}

func why(r replay) string {
	if r.why == "" {
		return ""
	}
	return ": " + r.why
}

// newFixtureGateway is a gateway whose demo merchant also holds the
// contracts the fixtures name.
func newFixtureGateway(t *testing.T) *gateway {
	g := newGateway(t)
	g.addContracts(fixtureContracts...)
	return g
}

// recordedAnswer is the platform's recorded answer of an operation's
// folder: the accepted one, not the technical error.
func recordedAnswer(t *testing.T, dir string) *node {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*Response*.xml"))
	sort.Strings(files)
	for _, f := range files {
		if strings.Contains(f, "InternalError") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n := parseTree(t, raw)
		if code := n.text("result/code"); code == "00000" || code == "02500" || code == "03000" {
			return n
		}
	}
	t.Fatalf("no accepted answer recorded in %s", dir)
	return nil
}

// node is an element of an answer, by its local name.
type node struct {
	name     string
	value    string
	nil      bool
	children []*node
}

// parseTree reads the body's wrapper element of a SOAP envelope.
func parseTree(t *testing.T, raw []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(raw))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("answer not read: %v\n%s", err, raw)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			n := &node{name: e.Name.Local}
			for _, a := range e.Attr {
				n.nil = n.nil || a.Name.Local == "nil" && a.Value == "true"
			}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
			}
			stack = append(stack, n)
			if len(stack) == 3 { // Envelope, Body, the wrapper
				root = n
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].value += strings.TrimSpace(string(e))
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
	if root == nil {
		t.Fatalf("no body element:\n%s", raw)
	}
	return root
}

// child is the first child of a name.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// text is the text at a path of children, "" when absent.
func (n *node) text(path string) string {
	for _, name := range strings.Split(path, "/") {
		if n = n.child(name); n == nil {
			return ""
		}
	}
	return n.value
}

// filled reports whether an element holds a value: text, or a child that
// does.
func (n *node) filled() bool {
	if n.nil {
		return false
	}
	if n.value != "" {
		return true
	}
	for _, c := range n.children {
		if c.filled() {
			return true
		}
	}
	return false
}

// notProduced are the elements the platform fills that guichet leaves out,
// with why: what a sandbox without those services cannot know.
var notProduced = map[string]string{
	"avs":                    "no address verification service",
	"country":                "the issuer country of a card the simulator does not publish is not known",
	"walletId":               "the replayed payments are not wallet payments",
	"linkedTransactionId":    "no linked transactions",
	"authentication3DSecure": "3-D Secure runs on guichet's own page; no MPI data to return",
	"bank":                   "the issuing bank of a test card is not known",
	"product":                "the card product of a test card is not known",
	"panType":                "no network tokens",
	"media":                  "the buyer's device is not detected",
	"score":                  "no fraud scoring",
}

var dateShape = regexp.MustCompile(`^\d\d/\d\d/\d\d(\d\d)?( \d\d:\d\d(:\d\d)?)?$`)

// compareTrees checks ours against the recorded answer: the same order of
// the elements both have, every element the platform filled present, and
// dates of the same shape.
func compareTrees(t *testing.T, recorded, ours *node) {
	t.Helper()
	var walk func(path string, r, o *node)
	walk = func(path string, r, o *node) {
		pos := -1
		for _, rc := range r.children {
			idx := -1
			for i, oc := range o.children {
				if oc.name == rc.name {
					idx = i
					break
				}
			}
			if idx < 0 {
				if _, known := notProduced[rc.name]; !known && rc.filled() {
					t.Errorf("%s%s: the platform fills it, guichet leaves it out", path, rc.name)
				}
				continue
			}
			if idx < pos {
				t.Errorf("%s%s: out of the recorded order", path, rc.name)
			}
			pos = idx
			oc := o.children[idx]
			if dateShape.MatchString(rc.value) && !sameShape(rc.value, oc.value) {
				t.Errorf("%s%s = %q, recorded as %q", path, rc.name, oc.value, rc.value)
			}
			if len(rc.children) > 0 {
				walk(path+rc.name+"/", rc, oc)
			}
		}
	}
	walk("", recorded, ours)
}

// sameShape compares two values digit for digit class.
func sameShape(a, b string) bool {
	shape := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return '9'
			}
			return r
		}, s)
	}
	return shape(a) == shape(b)
}
