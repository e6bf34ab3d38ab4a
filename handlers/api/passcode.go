package api

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// A passcode in a JSON body: read, checked for length, hashed for a new room, and never
// echoed in a problem (see web/passcode.go for the check at the door).

// optionalPasscode reads an optional passcode (a string; null or absent: none) from a
// JSON object. A passcode longer than any room's is a problem; what it said is not
// echoed.
func optionalPasscode(o jsonObject, loc []any, p *problems) string {
	loc = at(loc, web.PasscodeField)
	if o.value(web.PasscodeField) == nil {
		return ""
	}
	typed, ok := o.value(web.PasscodeField).(string)
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
		p.add("value_error", at(loc, web.PasscodeField), "Value error, "+err.Error(), nil)
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
			if k == web.PasscodeField {
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
