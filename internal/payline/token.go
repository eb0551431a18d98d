package payline

import (
	"crypto/rand"
	"strconv"
	"time"
)

// tokenAlphabet is what the random part of a web payment token is drawn
// from, letters and digits as in the platform's tokens.
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newToken makes the token of a web payment session as the platform's
// look: twenty random letters and digits, then the time in milliseconds
// (recorded: 16RjWdtpDkFVfZkGV4031701964772640). The time is moved by a
// millisecond when its thirteen digits would pass the Luhn check, and
// follows a letter, so that the exchange log's card masker leaves tokens
// alone.
func newToken(now time.Time) string {
	b := make([]byte, 20)
	rand.Read(b)
	for i := range b {
		b[i] = tokenAlphabet[int(b[i])%len(tokenAlphabet)]
	}
	// A letter before the time keeps its digits a run of their own.
	b[19] = tokenAlphabet[int(b[19])%52]
	ms := now.UnixMilli()
	for luhnDigit(strconv.FormatInt(ms/10, 10)) == int(ms%10) {
		ms++
	}
	return string(b) + strconv.FormatInt(ms, 10)
}
