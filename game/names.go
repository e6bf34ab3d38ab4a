package game

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxUsernameLength is the longest player name, in characters after cleaning: the room
// name's limit, so that one rule serves every name a visitor types.
const MaxUsernameLength = MaxGameNameLength

// CleanName is a game or player name as it is stored and shown: without the characters
// that let a name pass for another or reorder the text around it. They are stripped
// rather than refused, since they often come along unseen when a name is pasted. Spaces
// are left as they are (the JSON API keeps names as sent; the pages trim them).
// Stripped: control characters (a tab or a line break too), the bidi embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the direction marks
// (U+200E, U+200F, U+061C), the zero-width characters (U+200B–U+200D, U+2060, U+FEFF);
// bytes that are not UTF-8 become U+FFFD. Every surface (JSON API, pages) cleans names
// with it, so a name reads the same everywhere.
func CleanName(name string) string {
	if !needsCleaning(name) {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range strings.ToValidUTF8(name, string(utf8.RuneError)) {
		if !strippedFromNames(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsCleaning(name string) bool {
	if !utf8.ValidString(name) {
		return true
	}
	for _, r := range name {
		if strippedFromNames(r) {
			return true
		}
	}
	return false
}

func strippedFromNames(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069: // embeddings, overrides, isolates
		return true
	case r == 0x200E, r == 0x200F, r == 0x061C: // direction marks
		return true
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF: // zero-width
		return true
	}
	return false
}

// CheckGameName reports a game name (already cleaned) that is too long.
func CheckGameName(name string) error {
	if utf8.RuneCountInString(name) > MaxGameNameLength {
		return Errorf(EInvalid, "a game name has at most %d characters", MaxGameNameLength)
	}
	return nil
}

// CheckUsername reports a player name (already cleaned) that is too long. An empty name
// is the front end's to refuse or not: the JSON API takes one, as the reference does.
func CheckUsername(name string) error {
	if utf8.RuneCountInString(name) > MaxUsernameLength {
		return Errorf(EInvalid, "a name has at most %d characters", MaxUsernameLength)
	}
	return nil
}
