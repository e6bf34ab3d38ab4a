package handlers

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// A room opened with a passcode seats only people who know it. The passcode travels in
// a form field or a JSON body, never in a query string, a log line or a Location: only
// the creator's own redirect to the room carries it, in the URL's fragment, which a
// browser never sends to any server (static/pokerd.js puts it into the share link).

// passcodeField is the name of the passcode in the pages' forms, the join body and
// game_settings.
const passcodeField = "passcode"

// passcodeSurface says where a passcode was asked for, which decides the advice given
// with a refusal.
type passcodeSurface int

const (
	passcodeFromPage passcodeSurface = iota
	passcodeFromAPI
)

// passcodeRefused decides whether the player with the given id may take a seat in the
// room, with the passcode typed: yes (nil) when the room has no passcode, when the id
// already holds a seat (a browser coming back, a client joining again: its id, a
// secret, is its proof), or when typed is the passcode. Otherwise it answers the refusal,
// a 403 whose detail says what to do.
//
// Every passcode refused passes here, and only here: a wrong passcode is a guess, to be
// counted against the client's budget of failed look-ups.
func (s *Server) passcodeRefused(c echo.Context, room *game.Room, id uuid.UUID, typed string, from passcodeSurface) error {
	if !room.HasPasscode() {
		return nil
	}
	if _, err := room.Seat(id); err == nil {
		return nil
	}
	key := s.clientKey(c)
	missing := game.CleanPasscode(typed) == ""
	if !missing {
		// A passcode is a guess: a wrong one spends the client's budget of failed
		// look-ups, so that guessing passcodes is as slow as guessing codes. An
		// address's passcodes are checked one at a time, each holding a miss until its
		// answer is known, so that guesses sent at once cannot all be checked on the
		// last one.
		done, wait, refused := s.lookups.beginGuess(c.Request().Context(), key)
		if refused {
			return s.refuseLookup(c, key, wait)
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
	s.log.Debug("passcode refused", "code", room.Code(), "client", key, "missing", missing)
	var detail string
	switch {
	case missing && from == passcodeFromAPI:
		detail = "This room needs a passcode; join it from the browser page, or send its passcode in \"passcode\""
	case missing:
		detail = "This room needs a passcode: ask the person who opened it"
	case from == passcodeFromAPI:
		detail = "That passcode is not the room's"
	default:
		detail = "That passcode is not the room's: check it with the person who opened the room (capitals count)"
	}
	return &apiError{status: http.StatusForbidden, detail: detail}
}

// roomWithPasscode is the path of a room for its creator's redirect: the passcode rides
// in the fragment, for the room page's share link, and never reaches a server.
func roomWithPasscode(code, passcode string) string {
	path := "/room/" + code
	if p := game.CleanPasscode(passcode); p != "" {
		path += "#" + url.Values{passcodeField: {p}}.Encode()
	}
	return path
}

// optionalPasscode reads an optional passcode (a string; null or absent: none) from a
// JSON object. A passcode longer than any room's is a problem; what it said is not
// echoed.
func optionalPasscode(o jsonObject, loc []any, p *problems) string {
	loc = at(loc, passcodeField)
	if o.value(passcodeField) == nil {
		return ""
	}
	typed, ok := o.value(passcodeField).(string)
	if !ok {
		p.add("string_type", loc, "Input should be a valid string", nil)
		return ""
	}
	if utf8.RuneCountInString(game.CleanPasscode(typed)) > game.MaxPasscodeLength {
		p.add("string_too_long", loc, "String should have at most "+strconv.Itoa(game.MaxPasscodeLength)+" characters", nil)
		return ""
	}
	return typed
}

// readNewPasscode reads the optional passcode of game_settings and hashes it.
func readNewPasscode(gs jsonObject, loc []any, p *problems) game.PasscodeHash {
	typed := optionalPasscode(gs, loc, p)
	h, err := game.HashPasscode(typed)
	if err != nil {
		p.add("value_error", at(loc, passcodeField), "Value error, "+err.Error(), nil)
	}
	return h
}

// hiddenPasscode stands for a passcode in what a problem echoes of a request.
const hiddenPasscode = "********"

// withoutPasscodes returns v, a decoded JSON value that a problem is to echo, with the
// value of every "passcode" field in it, at any depth, replaced by hiddenPasscode (a
// copy: v is left as it is), and whether there was one. A 422 echoes what was sent, and
// answers are logged by clients and proxies, where a passcode has no business.
func withoutPasscodes(v any) (any, bool) {
	switch v := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, field := range v {
			hidden, changed := withoutPasscodes(field)
			if k == passcodeField {
				hidden, changed = hiddenPasscode, true
			}
			if changed && out == nil {
				out = maps.Clone(v)
			}
			if changed {
				out[k] = hidden
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	case []any:
		var out []any
		for i, item := range v {
			hidden, changed := withoutPasscodes(item)
			if changed && out == nil {
				out = slices.Clone(v)
			}
			if changed {
				out[i] = hidden
			}
		}
		if out == nil {
			return v, false
		}
		return out, true
	}
	return v, false
}

// bodyWithoutPasscodes is a request body as a problem echoes it, as text: the body
// itself, or, when it is JSON with a passcode in it, that JSON with its passcodes hidden.
func bodyWithoutPasscodes(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(body)
	}
	hidden, changed := withoutPasscodes(v)
	if !changed {
		return string(body)
	}
	data, err := json.Marshal(hidden)
	if err != nil {
		return hiddenPasscode
	}
	return string(data)
}
