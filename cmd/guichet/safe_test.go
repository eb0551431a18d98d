package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"guichet/internal/paybox"

	_ "modernc.org/sqlite" // to read the data directory's database
)

// oddCards are test card numbers, each sent only in places where no card
// number belongs, and cvvs values sent under CVV-like names.
var (
	oddCards = []string{"4012001037141112", "1111222233334444", "4012001038443335", "5555555555554444", "374907403001005",
		"4970101122334455", "4012888888881881", "4111111111111111"}
	cvvs = []string{"7391", "7392", "7393", "7394", "7395", "7396"}
)

// send sends a form body, or nothing with a GET, and drains the answer.
func send(t *testing.T, method, u, body string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
	}
}

// signedSystem signs a Paybox System form with the demo shops' HMAC key.
func signedSystem(fields [][2]string) string {
	var signed, sent []string
	for _, f := range fields {
		signed = append(signed, f[0]+"="+f[1])
		sent = append(sent, f[0]+"="+url.QueryEscape(f[1]))
	}
	sig, _ := paybox.Sign(paybox.DemoHMACKey, "SHA512", strings.Join(signed, "&"))
	return strings.Join(sent, "&") + "&PBX_HMAC=" + sig
}

// urlEncodeAll percent-encodes every byte of s, as some clients do.
func urlEncodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestServeCardsNeverInClear sends malformed requests carrying test card
// numbers where no card number belongs, to every Paybox door, at DEBUG log
// level, then looks for the numbers in clear in every file of the data
// directory (the SQLite database, its WAL, the keys) and in everything the
// server wrote.
func TestServeCardsNeverInClear(t *testing.T) {
	data := t.TempDir()
	base, stdout, stderr, stop := startServe(t, map[string]string{}, "-data", data)
	c := oddCards
	pppsBase := "VERSION=00104&TYPE=00003&SITE=1999888&RANG=32&NUMQUESTION=%d&DATEQ=" + time.Now().Format("02012006") + "&DEVISE=978&DATEVAL=1230&"
	q := 0
	ppps := func(rest string) string { q++; return fmt.Sprintf(pppsBase, 880000+q) + rest }
	systemFields := func(extra ...[2]string) [][2]string {
		return append([][2]string{{"PBX_SITE", "1999888"}, {"PBX_RANG", "32"}, {"PBX_IDENTIFIANT", "107904482"},
			{"PBX_TOTAL", "1250"}, {"PBX_DEVISE", "978"}}, extra...)
	}
	for _, r := range []struct{ method, path, body string }{
		// Paybox Direct, authenticated but malformed (no MONTANT), with
		// numbers under wrong names, in lower case, glued to letters,
		// spaced, dashed and URL-encoded, and CVVs in any case.
		{"POST", "/PPPS.php", ppps("CLE=1999888I&REFERENCE=abc" + c[0] + "def&porteur=" + c[1] + "&PORTEUR=" + c[2] + "X&cvv=" + cvvs[0] + "&Cvv2=" + cvvs[1])},
		{"POST", "/PPPS.php", ppps("CLE=1999888I&MONTANT=abc&CARTE=" + strings.Join([]string{c[3][:4], c[3][4:8], c[3][8:12], c[3][12:]}, "+") + "&CRYPTOGRAMME=" + cvvs[2])},
		{"POST", "/PPPS.php", ppps("CLE=1999888I&MONTANT=-1&PAN=" + urlEncodeAll(c[4]) + "&" + urlEncodeAll("cvc") + "=" + urlEncodeAll(cvvs[3]))},
		// Unauthenticated: a wrong CLE, then no site at all.
		{"POST", "/PPPS.php", ppps("CLE=wrong&MONTANT=100&REFERENCE=" + c[5] + "&PORTEUR=" + c[5][:4] + "-" + c[5][4:8] + "-" + c[5][8:12] + "-" + c[5][12:] + "&CVV=" + cvvs[4])},
		{"POST", "/PPPS.php", "x" + c[6] + "=" + c[7] + "&%%%"},
		// Paybox System: numbers in PBX_ fields of a form with a wrong
		// signature, and of a signed form refused for a bad parameter.
		{"POST", "/php/", "PBX_SITE=1999888&PBX_RANG=32&PBX_IDENTIFIANT=107904482&PBX_CMD=cmd-" + c[0] +
			"&PBX_PORTEUR=" + c[1] + "%40example.com&pbx_cvv=" + cvvs[5] + "&PBX_HMAC=00"},
		{"POST", "/cgi/MYchoix_pagepaiement.cgi", signedSystem(systemFields([2]string{"PBX_CMD", c[2]}, [2]string{"PBX_PORTEUR", "not an e-mail " + c[3]},
			[2]string{"PBX_CVV", cvvs[0]}))},
		{"GET", "/php/?" + signedSystem(systemFields([2]string{"PBX_CMD", "ref"}, [2]string{"PBX_DEVISE", "000"}, [2]string{"PBX_CARTE", c[4]})), ""},
		// ResAbon.cgi: a number as the subscription's reference, with a
		// wrong signature and with none.
		{"POST", "/cgi-bin/ResAbon.cgi", "VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=" + c[5] + "&CVV=" + cvvs[1] + "&TIME=1&HMAC=00"},
		{"GET", "/cgi-bin/ResAbon.cgi?VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=ref" + c[6] + "x", ""},
		// The card step of an order that does not exist, and paths.
		{"POST", "/paybox/order/" + c[7] + "/card", "number=" + c[0] + "&Card_Number=" + c[1] + "&CVC=" + cvvs[2]},
		{"GET", "/x" + c[2] + "y", ""},
	} {
		send(t, r.method, base+r.path, r.body)
	}
	// Listing the exchanges has the store write those still queued; the
	// files are searched while the server runs, the WAL with the latest
	// pages present, and again once it has stopped.
	if status, body := sandbox(t, base, data, "GET", "/_guichet/v1/exchanges", ""); status != http.StatusOK {
		t.Fatalf("exchanges: %d %s", status, body)
	}
	scanFiles(t, data, "running")
	stop()
	scanFiles(t, data, "stopped")

	// The banner on stdout names the demo shops' test card on purpose;
	// what the server logs is on stderr.
	if !strings.Contains(stdout.String(), "guichet") {
		t.Errorf("no banner")
	}
	logs := stderr.String()
	if !strings.Contains(logs, "HMAC refused") {
		t.Errorf("the refused signatures were not logged:\n%s", tail(logs, 20))
	}
	for _, pan := range c {
		for _, v := range panVariants(pan) {
			if strings.Contains(logs, v) {
				t.Errorf("the logs hold %q: %s", v, grep(logs, v))
			}
		}
	}
	// The CVVs are nowhere in the exchange log or the logs, under any
	// name. (The database file is not searched for them: four digits
	// occur in its binary pages by chance.)
	db, err := sql.Open("sqlite", filepath.Join(data, "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	var text string
	err = db.QueryRow(`SELECT count(*), coalesce(group_concat(operation || ' ' || reference || ' ' || code || ' ' || request || ' ' || response, x'0a'), '')
		FROM exchanges`).Scan(&n, &text)
	if err != nil {
		t.Fatal(err)
	}
	if n != 11 {
		t.Errorf("%d exchanges recorded, want 11", n)
	}
	for _, cvv := range cvvs {
		for _, where := range []string{logs, text} {
			if m := regexp.MustCompile(`[=":]` + cvv + `\b`).FindString(where); m != "" {
				t.Errorf("CVV %s found: %s", cvv, grep(where, cvv))
			}
		}
	}
	if !strings.Contains(text, "REFERENCE=abc401200XXXXXX1112def") {
		t.Errorf("the exchange log lost what it masked:\n%s", text)
	}
}

// panVariants are the ways a card number may be written in clear: whole,
// in groups, or percent-encoded.
func panVariants(pan string) []string {
	return []string{pan, pan[:4] + " " + pan[4:8], pan[:4] + "-" + pan[4:8], pan[:4] + "+" + pan[4:8], urlEncodeAll(pan[:8])}
}

// scanFiles looks for the odd cards in clear in every file of the data
// directory.
func scanFiles(t *testing.T, data, when string) {
	t.Helper()
	var files []string
	err := filepath.Walk(data, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, filepath.Base(path))
		for _, pan := range oddCards {
			for _, v := range panVariants(pan) {
				if bytes.Contains(b, []byte(v)) {
					t.Errorf("%s, %s holds %q", when, filepath.Base(path), v)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: searched %s", when, strings.Join(files, " "))
}

// exchangeBytes is the size of the exchanges table's text, read from the
// database file itself.
func exchangeBytes(t *testing.T, data string) (count, text int64) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(data, "guichet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT count(*), coalesce(sum(length(CAST(id AS BLOB)) + length(CAST(shop_id AS BLOB)) + length(CAST(protocol AS BLOB))
		+ length(CAST(operation AS BLOB)) + length(CAST(reference AS BLOB)) + length(CAST(code AS BLOB))
		+ length(CAST(request AS BLOB)) + length(CAST(response AS BLOB))), 0) FROM exchanges`).Scan(&count, &text)
	if err != nil {
		t.Fatal(err)
	}
	return count, text
}

// purgeNow runs the exchange log's purge through the sandbox API.
func purgeNow(t *testing.T, base, data string) (deleted, left struct{ Count, Bytes int64 }) {
	t.Helper()
	status, body := sandbox(t, base, data, "POST", "/_guichet/v1/exchanges/purge", "")
	var out struct{ Deleted, Left struct{ Count, Bytes int64 } }
	if err := json.Unmarshal(body, &out); err != nil || status != http.StatusOK {
		t.Fatalf("purge: %d %v", status, err)
	}
	return out.Deleted, out.Left
}

// TestServeExchangeLogBounded sends 600 unauthenticated requests with
// bodies as large as each door takes, as anyone could: the exchange log and
// the logs grow by a bounded amount for each. Restarted with a size limit,
// then with an age limit, the gateway purges what is past them.
func TestServeExchangeLogBounded(t *testing.T) {
	data := t.TempDir()
	base, _, stderr, stop := startServe(t, map[string]string{}, "-data", data, "-log-level", "info")
	before := len(stderr.String())
	pad := func(n int) string { return strings.Repeat("0123456789abcdef", n/16) }
	bodies := []struct{ path, body string }{
		{"/PPPS.php", "VERSION=00104&TYPE=00003&SITE=1999888&RANG=32&CLE=wrong&REFERENCE=" + pad(15<<10)},
		{"/php/", "PBX_SITE=1999888&PBX_RANG=32&PBX_IDENTIFIANT=107904482&PBX_CMD=x&PBX_SHOPPINGCART=" + pad(60<<10) + "&PBX_HMAC=00"},
		{"/cgi-bin/ResAbon.cgi", "VERSION=001&TYPE=001&SITE=1999888&MACH=032&IDENTIFIANT=107904482&REFERENCE=" + pad(7<<10) + "&TIME=1&HMAC=00"},
	}
	var sent int
	for i := range 600 {
		b := bodies[i%len(bodies)]
		sent += len(b.body)
		send(t, "POST", base+b.path, b.body)
	}
	logged := len(stderr.String()) - before
	deleted, left := purgeNow(t, base, data)
	stop()

	count, text := exchangeBytes(t, data)
	var files int64
	for _, name := range []string{"guichet.db", "guichet.db-wal"} {
		if info, err := os.Stat(filepath.Join(data, name)); err == nil {
			files += info.Size()
		}
	}
	t.Logf("600 requests, %d bytes sent: %d exchanges, %d bytes of text in the exchange log (%d counted), database files %d bytes, %d bytes logged",
		sent, count, text, left.Bytes, files, logged)
	if deleted.Count != 0 || count != 600 || left.Count != 600 {
		t.Errorf("%d exchanges kept (%d counted, %d deleted), want 600", count, left.Count, deleted.Count)
	}
	// Each exchange keeps 2 KiB of its request and of its answer (which
	// echoes the reference in ResAbon's case) and a few labels; each
	// refused signature logs one short line.
	const bound = 600 * 4608
	if text > bound || left.Bytes > bound {
		t.Errorf("the exchange log grew by %d bytes (%d counted), want at most %d", text, left.Bytes, bound)
	}
	if logged > 600*300 {
		t.Errorf("the server logged %d bytes, want at most %d:\n%s", logged, 600*300, tail(stderr.String(), 3))
	}

	// A size limit of 256 KiB keeps the newest exchanges that fit.
	base, _, _, stop = startServe(t, map[string]string{"GUICHET_EXCHANGE_MAX_BYTES": "256KiB"}, "-data", data, "-log-level", "info")
	_, left = purgeNow(t, base, data)
	stop()
	count, text = exchangeBytes(t, data)
	if left.Bytes > 256<<10 || text > 256<<10 || count == 0 || count >= 600 {
		t.Errorf("with 256 KiB at most: %d exchanges, %d bytes (%d counted)", count, text, left.Bytes)
	}

	// An age limit of a nanosecond keeps nothing recorded before.
	base, _, _, stop = startServe(t, map[string]string{}, "-data", data, "-exchange-max-age", "1ns")
	_, left = purgeNow(t, base, data)
	stop()
	if count, _ := exchangeBytes(t, data); count != 0 || left.Count != 0 {
		t.Errorf("with an age limit of 1ns: %d exchanges left (%d counted)", count, left.Count)
	}
}
