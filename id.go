package guichet

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// NewID returns prefix followed by 24 letters: 48 bits of the time in
// milliseconds, then 48 random bits. Identifiers made later sort after
// earlier ones, so the indexes they key grow at their right edge instead of
// dirtying pages all over the tree: with random identifiers, each durable
// commit writes several times more database pages.
func NewID(prefix string, now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return prefix + Letters(b[:])
}

// Letters writes bytes as hexadecimal digits spelled with the letters a to
// p, in the order of the digits they stand for, so that encodings sort as
// the bytes do. An identifier without digits never holds a run of them
// that MaskCards would take for a card number and mask in a log or an
// exchange, where the identifier must stay readable.
func Letters(b []byte) string {
	const alphabet = "abcdefghijklmnop"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = alphabet[c>>4], alphabet[c&15]
	}
	return string(out)
}
