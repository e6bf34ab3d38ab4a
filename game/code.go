package game

import (
	"crypto/rand"
	"regexp"
)

// codeAlphabet is the set of characters a generated room code is made of.
const codeAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// RandomCodeLength is the length of generated room codes, as the reference backend makes them.
const RandomCodeLength = 4

// CodePattern is what a room code given by a client must look like.
var CodePattern = regexp.MustCompile(`^[a-z0-9]{4,10}$`)

// CodeGenerator returns a candidate room code; the registry retries on a collision.
type CodeGenerator func() string

// RandomCode draws a room code from a cryptographic source, so codes cannot be predicted.
func RandomCode() string {
	var b [RandomCodeLength]byte
	// rand.Read never fails on supported platforms (it panics instead).
	_, _ = rand.Read(b[:])
	for i := range b {
		// 256 is not a multiple of 36; the bias (≤ 1/256) does not matter for a room code.
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b[:])
}

// ValidCode reports whether code has the shape of a room code.
func ValidCode(code string) bool { return CodePattern.MatchString(code) }
