package game

import (
	"crypto/rand"
	"fmt"
	"regexp"
)

// codeAlphabet is what generated room codes are made of: lower-case letters and digits
// without those people mistake for one another when they read a code aloud or type it
// from a screen (0 and o; 1, l and i). 31 characters, so each adds almost 5 bits.
const codeAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// Lengths of generated room codes.
//
// Why 8 by default: a room is found by guessing only if its code is guessed, and failed
// look-ups are limited per client address (the server's code look-up limit: 10 misses in
// a burst, then one every 6 s, about 14,400 a day). With 31^8 ≈ 8.5·10^11 codes and a
// full server of 10,000 rooms, a guess finds a room with a chance of about 1.2·10^-8, so
// one address needs some 16 years on average to find any room, and an attacker with a
// thousand addresses about a week. At 4 characters (the reference's length, 31^4 ≈ 9.2·10^5
// codes) the same server gives one room in about every hundred guesses, i.e. one every
// ten minutes from a single address: keep 4 for clients that insist on short codes only.
// At 10 characters (31^10 ≈ 8.2·10^14) the thousand addresses need some fifteen years.
const (
	MinCodeLength     = 4  // the reference's length
	MaxCodeLength     = 10 // the longest the API's code pattern accepts
	DefaultCodeLength = 8
)

// CodePattern is what a room code given by a client must look like. Generated codes of
// every length from MinCodeLength to MaxCodeLength match it.
var CodePattern = regexp.MustCompile(`^[a-z0-9]{4,10}$`)

// CodeGenerator returns a candidate room code; the registry retries on a collision.
type CodeGenerator func() string

// RandomCodes returns a generator of random codes of the given length, from
// MinCodeLength to MaxCodeLength.
func RandomCodes(length int) (CodeGenerator, error) {
	if length < MinCodeLength || length > MaxCodeLength {
		return nil, fmt.Errorf("a room code has %d to %d characters, not %d", MinCodeLength, MaxCodeLength, length)
	}
	return func() string { return randomCode(length) }, nil
}

// RandomCode draws a room code of DefaultCodeLength.
func RandomCode() string { return randomCode(DefaultCodeLength) }

// acceptedByte bounds the random bytes a code takes: the largest multiple of the
// alphabet's size that a byte holds. A byte at or above it is drawn again (rejection
// sampling), so that every character is exactly as likely as every other; with a plain
// modulo the first 8 characters would come up an eighth more often than the rest.
const acceptedByte = 256 / len(codeAlphabet) * len(codeAlphabet)

// randomCode draws a code of length characters from a cryptographic source, so that
// codes cannot be predicted from one another.
func randomCode(length int) string {
	code := make([]byte, 0, MaxCodeLength)
	// One read usually suffices: a byte is refused with a chance of 8/256.
	var buf [2 * MaxCodeLength]byte
	for len(code) < length {
		// rand.Read never fails on supported platforms (it panics instead).
		_, _ = rand.Read(buf[:])
		for _, b := range buf {
			if int(b) < acceptedByte && len(code) < length {
				code = append(code, codeAlphabet[int(b)%len(codeAlphabet)])
			}
		}
	}
	return string(code)
}

// ValidCode reports whether code has the shape of a room code.
func ValidCode(code string) bool { return CodePattern.MatchString(code) }
