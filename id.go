package guichet

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// NewID returns prefix followed by 24 hexadecimal digits: 48 bits of the
// time in milliseconds, then 48 random bits. Identifiers made later sort
// after earlier ones, so the indexes they key grow at their right edge
// instead of dirtying pages all over the tree: with random identifiers,
// each durable commit writes several times more database pages.
func NewID(prefix string, now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return prefix + hex.EncodeToString(b[:])
}
