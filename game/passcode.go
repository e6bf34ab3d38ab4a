package game

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"unicode/utf8"
)

// A room may have a passcode: then only people who know it (or already hold a seat) can
// take a seat, whoever learns the room's code. The room keeps a salted hash of it, never
// the passcode itself, so that nothing that copies a room's state (a snapshot, the
// events a store would keep, a memory dump) hands out a word people may use elsewhere.
//
// The hash is PBKDF2-HMAC-SHA-256 with a random salt per room, rather than a single
// SHA-256: a passcode is short and chosen by a person, and one fast hash would give it
// back to anyone holding the stored hash within seconds. The iteration count is modest,
// not the hundreds of thousands a long-lived account password earns, because every join
// attempt pays it on the server (joins are limited per address) and a room lives for a
// meeting. Guessing online is held back by those limits, not by the hash.

// Bounds on a passcode, in characters once cleaned: enough to say aloud, few enough to
// type on a phone.
const (
	MinPasscodeLength = 4
	MaxPasscodeLength = 64
)

const (
	passcodeSaltSize   = 16
	passcodeIterations = 10_000
)

// PasscodeHash is what a room keeps of its passcode. The zero value means no passcode.
type PasscodeHash struct {
	salt [passcodeSaltSize]byte
	hash [sha256.Size]byte
	set  bool
}

// HashPasscode cleans what the room's creator typed (see CleanPasscode) and hashes it
// with a fresh salt. Nothing (or only spaces) means no passcode; a passcode outside
// MinPasscodeLength…MaxPasscodeLength characters is refused with a user-safe message.
func HashPasscode(typed string) (PasscodeHash, error) {
	p := CleanPasscode(typed)
	if p == "" {
		return PasscodeHash{}, nil
	}
	if n := utf8.RuneCountInString(p); n < MinPasscodeLength || n > MaxPasscodeLength {
		return PasscodeHash{}, Errorf(EInvalid, "A passcode has %d to %d characters", MinPasscodeLength, MaxPasscodeLength)
	}
	h := PasscodeHash{set: true}
	// rand.Read never fails on supported platforms (it panics instead).
	_, _ = rand.Read(h.salt[:])
	h.hash = derivePasscode(p, h.salt)
	return h, nil
}

// IsSet reports whether there is a passcode.
func (h PasscodeHash) IsSet() bool { return h.set }

// Matches reports whether typed is the passcode, cleaned as it was when it was set. The
// digests compared have a fixed size and are compared in constant time, so how long the
// comparison takes tells nothing of how much of a guess was right.
func (h PasscodeHash) Matches(typed string) bool {
	if !h.set {
		return false
	}
	p := CleanPasscode(typed)
	if utf8.RuneCountInString(p) > MaxPasscodeLength {
		return false // never set that long; and no work that grows with what was sent
	}
	got := derivePasscode(p, h.salt)
	return subtle.ConstantTimeCompare(got[:], h.hash[:]) == 1
}

func derivePasscode(p string, salt [passcodeSaltSize]byte) [sha256.Size]byte {
	key, err := pbkdf2.Key(sha256.New, p, salt[:], passcodeIterations, sha256.Size)
	if err != nil {
		// Only FIPS 140-only mode refuses these parameters (a salt under 16 bytes, a key
		// under 14): ours are neither.
		panic("pokerd: deriving a passcode hash: " + err.Error())
	}
	var out [sha256.Size]byte
	copy(out[:], key)
	return out
}

// cleanPasscode is a passcode as it is hashed: cleaned as names are (see CleanName), so
// that a character that came along unseen when it was pasted does not make it differ,
// and without spaces around it. Case and the spaces inside count.
func CleanPasscode(typed string) string {
	return strings.TrimSpace(CleanName(typed))
}

// HasPasscode reports whether the room was created with a passcode.
func (r *Room) HasPasscode() bool { return r.passcodeHash().IsSet() }

// CheckPasscode lets a newcomer in when the room has no passcode or typed is it, and
// refuses them (EForbidden) otherwise. Someone who already holds a seat proves it with
// their id instead; that is the caller's to check (see Seat). The hash is worked out
// outside the room's lock, which the room's players must never wait on.
func (r *Room) CheckPasscode(typed string) error {
	h := r.passcodeHash()
	switch {
	case !h.IsSet():
		return nil
	case CleanPasscode(typed) == "":
		return Errorf(EForbidden, "This room needs a passcode")
	case !h.Matches(typed):
		return Errorf(EForbidden, "That passcode is not the room's")
	}
	return nil
}

func (r *Room) passcodeHash() PasscodeHash {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.game.Settings.Passcode
}
