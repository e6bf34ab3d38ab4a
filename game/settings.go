package game

import (
	"net/url"
	"strings"
)

// RoundTimerSettings sets the round timer, in whole minutes.
type RoundTimerSettings struct {
	Maximum int
	Warning int
}

// DefaultRoundTimer is what a room gets when it asks for a timer without saying more.
var DefaultRoundTimer = RoundTimerSettings{Maximum: 5, Warning: 4}

// Check reports a broken timer rule with a user-safe message.
func (s RoundTimerSettings) Check() error {
	switch {
	case s.Maximum < 2:
		return Errorf(EInvalid, "the round timer's maximum must be at least 2 minutes")
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
}

// MaxGameNameLength is the longest room name, in characters (not bytes).
const MaxGameNameLength = 100

// NormalizeTicketURL checks that raw is an absolute http(s) URL with a host and returns it
// the way a browser would write it (scheme and host lower-cased, an empty path as "/").
// Only such links are ever stored, so no front end can be made to render a javascript: link.
func NormalizeTicketURL(raw string) (string, error) {
	bad := Errorf(EInvalid, "a ticket link must be an absolute http:// or https:// URL")
	if strings.TrimSpace(raw) != raw || strings.ContainsAny(raw, " \t\r\n\x00\\") {
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
	return u.String(), nil
}
