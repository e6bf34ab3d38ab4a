package api

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/pokerd/pokerd/game"
)

// readCustomCards reads the optional top-level "cards" of POST /api/game: the room's own
// cards, either typed as text ("XS, S, M, L", read as the create form reads it) or as a
// list of {"label", "value", "special"?}. Missing or null: the room plays a configured
// deck. The cards are checked here as the room would check them, so that every problem
// is a 422 before anything is created.
func readCustomCards(body jsonObject, p *problems) ([]game.Card, bool) {
	loc := []any{"body", "cards"}
	var cards []game.Card
	switch v := body.value("cards").(type) {
	case nil:
		return nil, false
	case string:
		parsed, err := game.ParseCustomCards(v)
		if err != nil {
			p.add("value_error", loc, "Value error, "+err.Error(), v)
			return nil, true
		}
		cards = parsed
	case []any:
		var ok bool
		if cards, ok = readCardList(v, loc, p); !ok {
			return nil, true
		}
	default:
		p.add("cards_type", loc, "Input should be a valid string or a list of cards", v)
		return nil, true
	}
	if _, err := game.CustomDeck(0, cards); err != nil {
		p.add("value_error", loc, "Value error, "+err.Error(), body.value("cards"))
	}
	return cards, true
}

// readCardList reads a list of cards, each {"label": str, "value": number, "special"?: bool}.
func readCardList(items []any, loc []any, p *problems) ([]game.Card, bool) {
	switch {
	case len(items) < 2:
		p.add("too_short", loc, "List should have at least 2 items after validation, not "+strconv.Itoa(len(items)), items)
		return nil, false
	case len(items) > game.MaxCustomCards:
		p.add("too_long", loc, "List should have at most "+strconv.Itoa(game.MaxCustomCards)+" items after validation, not "+strconv.Itoa(len(items)), items)
		return nil, false
	}
	before := len(*p)
	cards := make([]game.Card, len(items))
	for i, item := range items {
		fields, isObject := item.(map[string]any)
		itemLoc := at(loc, i)
		if !isObject {
			p.add("model_type", itemLoc, "Input should be a valid dictionary or instance of Card", item)
			continue
		}
		obj := jsonObject{fields: rawFields(fields), input: fields}
		label, ok := obj.requiredString("label", game.MaxCardLabelLength, itemLoc, p)
		if ok && strings.TrimSpace(label) == "" {
			p.add("string_too_short", at(itemLoc, "label"), "String should have at least 1 character", label)
		}
		value, _ := obj.finiteNumber("value", itemLoc, p)
		cards[i] = game.Card{Label: strings.TrimSpace(label), Value: value, Special: obj.optionalBool("special", itemLoc, p)}
	}
	return cards, len(*p) == before
}

// rawFields re-encodes a decoded object's fields, so that the jsonObject helpers can
// read an object found inside a list.
func rawFields(fields map[string]any) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		out[k], _ = json.Marshal(v)
	}
	return out
}

// finiteNumber reads a required number; like pydantic's lax mode it takes "3" too.
func (o jsonObject) finiteNumber(name string, loc []any, p *problems) (float64, bool) {
	loc = at(loc, name)
	if !o.has(name) {
		p.add("missing", loc, "Field required", o.input)
		return 0, false
	}
	var text string
	switch v := o.value(name).(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	default:
		p.add("float_type", loc, "Input should be a valid number", v)
		return 0, false
	}
	if len(text) > maxNumberText {
		p.add("float_parsing", loc, "Input should be a valid number, this one is written in more than "+strconv.Itoa(maxNumberText)+" characters", o.value(name))
		return 0, false
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		p.add("float_parsing", loc, "Input should be a valid number, unable to parse string as a number", o.value(name))
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		p.add("finite_number", loc, "Input should be a finite number", o.value(name))
		return 0, false
	}
	return f, true
}
