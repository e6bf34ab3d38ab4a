package game

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"

	"github.com/google/uuid"
)

// A player's id is the only credential a connection shows, so it is a secret: only the
// player's own clients ever receive it. Everyone else names a seat by its alias, a UUID
// drawn from the id one way under a key the server keeps, so that knowing every alias in
// a room gives nobody a way in. The alias is stable for the seat's life (reconnects do
// not change it) and across instances that share the key.

// AliasKeySize is the length of the key aliases are drawn with.
const AliasKeySize = 32

// NewAliasKey returns a fresh random key for aliases.
func NewAliasKey() []byte {
	key := make([]byte, AliasKeySize)
	// rand.Read never fails on supported platforms (it panics instead).
	_, _ = rand.Read(key)
	return key
}

// aliasOf is the public alias of the player with the given id in the room with the given
// code: an HMAC of both, written as a version 4 UUID so that clients treat it as any id.
func aliasOf(key []byte, code string, id uuid.UUID) uuid.UUID {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("pokerd alias\x00"))
	mac.Write([]byte(code))
	mac.Write([]byte{0})
	mac.Write(id[:])
	var alias uuid.UUID
	copy(alias[:], mac.Sum(nil))
	alias[6] = alias[6]&0x0f | 0x40 // version 4
	alias[8] = alias[8]&0x3f | 0x80 // RFC 4122 variant
	return alias
}
