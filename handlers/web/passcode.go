package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// A room opened with a passcode seats only people who know it. The passcode travels in
// a form field or a JSON body, never in a query string, a log line or a Location: only
// the creator's own redirect to the room carries it, in the URL's fragment, which a
// browser never sends to any server (static/pokerd.js puts it into the share link).

// PasscodeField is the name of the passcode in the pages' forms, the join body and
// game_settings.
const PasscodeField = "passcode"

// PasscodeSurface says where a passcode was asked for, which decides the advice given
// with a refusal.
type PasscodeSurface int

const (
	PasscodeFromPage PasscodeSurface = iota
	PasscodeFromAPI
)

// PasscodeRefused decides whether the player with the given id may take a seat in the
// room, with the passcode typed: yes (nil) when the room has no passcode, when the id
// already holds a seat (a browser coming back, a client joining again: its id, a
// secret, is its proof), or when typed is the passcode. Otherwise it answers the refusal,
// a 403 whose detail says what to do.
//
// Every passcode refused passes here, and only here: a wrong passcode is a guess, to be
// counted against the client's budget of failed look-ups.
func (g *Gate) PasscodeRefused(c echo.Context, room *game.Room, id uuid.UUID, typed string, from PasscodeSurface) error {
	if !room.HasPasscode() {
		return nil
	}
	if _, err := room.Seat(id); err == nil {
		return nil
	}
	key := g.ClientKey(c)
	missing := game.CleanPasscode(typed) == ""
	if !missing {
		// A passcode is a guess: a wrong one spends the client's budget of failed
		// look-ups, so that guessing passcodes is as slow as guessing codes. An
		// address's passcodes are checked one at a time, each holding a miss until its
		// answer is known, so that guesses sent at once cannot all be checked on the
		// last one.
		done, wait, refused := g.lookups.beginGuess(c.Request().Context(), key)
		if refused {
			return g.refuseLookup(c, key, wait)
		}
		// done runs even if the check panics: the address's turn must not stay taken.
		right := func() (right bool) {
			defer func() { done(right) }()
			return room.CheckPasscode(typed) == nil
		}()
		if right {
			return nil
		}
	}
	// The passcode is never logged, only that one was refused.
	g.log.Debug("passcode refused", "code", room.Code(), "client", key, "missing", missing)
	var detail string
	switch {
	case missing && from == PasscodeFromAPI:
		detail = "This room needs a passcode; join it from the browser page, or send its passcode in \"passcode\""
	case missing:
		detail = "This room needs a passcode: ask the person who opened it"
	case from == PasscodeFromAPI:
		detail = "That passcode is not the room's"
	default:
		detail = "That passcode is not the room's: check it with the person who opened the room (capitals count)"
	}
	return &Error{Status: http.StatusForbidden, Detail: detail}
}

// RoomWithPasscode is the path of a room for its creator's redirect: the passcode rides
// in the fragment, for the room page's share link, and never reaches a server.
func RoomWithPasscode(code, passcode string) string {
	path := "/room/" + code
	if p := game.CleanPasscode(passcode); p != "" {
		path += "#" + url.Values{PasscodeField: {p}}.Encode()
	}
	return path
}
