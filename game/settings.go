package game

import (
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// RoundTimerSettings sets the round timer, in whole minutes.
type RoundTimerSettings struct {
	Maximum int
	Warning int
}

// DefaultRoundTimer is what a room gets when it asks for a timer without saying more.
var DefaultRoundTimer = RoundTimerSettings{Maximum: 5, Warning: 4}

// MaxRoundTimerMinutes is the longest round timer: one day. Far below what would overflow
// a time.Duration (and so reveal a round at once), far above any meeting.
const MaxRoundTimerMinutes = 24 * 60

// Check reports a broken timer rule with a user-safe message.
func (s RoundTimerSettings) Check() error {
	switch {
	case s.Maximum < 2:
		return Errorf(EInvalid, "the round timer's maximum must be at least 2 minutes")
	case s.Maximum > MaxRoundTimerMinutes:
		return Errorf(EInvalid, "the round timer's maximum is at most %d minutes (one day)", MaxRoundTimerMinutes)
	case s.Warning < 1:
		return Errorf(EInvalid, "the round timer's warning must be at least 1 minute")
	case s.Warning >= s.Maximum:
		return Errorf(EInvalid, "the round timer's warning must come before its maximum")
	}
	return nil
}

// GameSettings are the options a room is created with.
type GameSettings struct {
	RoundTimer *RoundTimerSettings // nil: no round timer
	// MaxPlayers caps the seats of this room; 0 leaves only the server's cap.
	MaxPlayers int
	// Options are the room's rules; the facilitator may change them later.
	Options RoomOptions
	// Passcode, when set, is asked of everyone who takes a seat (see passcode.go).
	Passcode PasscodeHash
}

// RoomOptions are the rules of a room that its facilitator can change at any time. Each
// field has its row in RoomRules (rules.go), which every surface lists.
type RoomOptions struct {
	// AutoReveal reveals the round as soon as every connected, non-observing player has
	// voted.
	AutoReveal bool
	// RevealOnTimer reveals the round when its timer runs out; it needs a round timer.
	RevealOnTimer bool
	// FacilitatorFree lets every player start rounds and reveal, for teams whose
	// facilitator is the one who is late.
	FacilitatorFree bool
	// HideNames shows the revealed cards without names: nothing a room shows or keeps
	// links a name to a card of a round revealed while it is on (see State.NamesHidden).
	HideNames bool
	// AskConfidence lets each voter mark a vote "unsure"; the results count them.
	AskConfidence bool
}

// MaxPlayersLimit is the largest capacity a room can be created with.
const MaxPlayersLimit = 1000

// Check reports settings that cannot work together, with a user-safe message.
func (s GameSettings) Check() error {
	if s.RoundTimer != nil {
		if err := s.RoundTimer.Check(); err != nil {
			return err
		}
	}
	if s.MaxPlayers < 0 || s.MaxPlayers > MaxPlayersLimit {
		return Errorf(EInvalid, "a room holds between 1 and %d players", MaxPlayersLimit)
	}
	return s.checkRules(s.Options)
}

// FacilitatorTimeoutDefault is how long a facilitator may be away before the role passes
// on, unless the registry is told otherwise.
const FacilitatorTimeoutDefault = 2 * time.Minute

// MaxGameNameLength is the longest room name, in characters (not bytes).
const MaxGameNameLength = 100

// MaxTicketURLLength bounds a ticket link, in bytes: what browsers and trackers handle,
// while every round of the session record carries its link to every browser.
const MaxTicketURLLength = 2048

// NormalizeTicketURL checks that raw is an absolute http(s) URL with a host and returns it
// the way a browser would write it (scheme and host lower-cased, an empty path as "/").
// Only such links are ever stored, so no front end can be made to render a javascript: link.
func NormalizeTicketURL(raw string) (string, error) {
	if len(raw) > MaxTicketURLLength {
		return "", Errorf(EInvalid, "a ticket link has at most %d characters", MaxTicketURLLength)
	}
	bad := Errorf(EInvalid, "a ticket link must be an absolute http:// or https:// URL")
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n\x00\\") || !utf8.ValidString(raw) {
		return "", bad
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" || u.Host == "" || u.Hostname() == "" {
		return "", bad
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", bad
	}
	u.Host = strings.ToLower(u.Host)
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	// Escaping can make a link longer than what was typed (a byte becomes %XX): the
	// stored form is what must fit.
	out := u.String()
	if len(out) > MaxTicketURLLength {
		return "", Errorf(EInvalid, "a ticket link has at most %d characters", MaxTicketURLLength)
	}
	return out, nil
}
