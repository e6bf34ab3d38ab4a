package game

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on a room's own cards, so that they still fit on a phone.
const (
	MaxCustomCards      = 20
	MaxCardLabelLength  = 12
	CustomDeckName      = "Custom cards"
	customCardSeparator = ","
)

// specialLabels are the cards that mean "no number" in every deck people type.
var specialLabels = map[string]bool{
	"?": true, "☕": true, "coffee": true, "∞": true, "inf": true, "infinity": true,
	"pass": true, "break": true, "🤷": true,
}

// ParseCustomCards reads the cards a room's creator typed, separated by commas, such as
// "XS, S, M, L, XL", "1, 2, 4, 8, ?" or "S=1, M=3, L=8". A card's value is, in order:
// the number after "=", the label itself when it is a number ("1/2" and "½" count), or
// else its place in the list (so T-shirt sizes are ordered). A label that is not a
// number in a deck that has numbers, and the usual markers (?, coffee, ∞, pass), are
// special: they are shown but left out of the numbers.
func ParseCustomCards(text string) ([]Card, error) {
	var items []string
	for item := range strings.SplitSeq(text, customCardSeparator) {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		if len(items) == MaxCustomCards {
			return nil, Errorf(EInvalid, "a room has at most %d cards", MaxCustomCards)
		}
		items = append(items, item)
	}
	if len(items) < 2 {
		return nil, Errorf(EInvalid, "type at least two cards, separated by commas")
	}

	type parsed struct {
		label    string
		value    float64
		hasValue bool // from "=" or a numeric label
		explicit bool // from "="
	}
	cards := make([]parsed, len(items))
	numeric := 0
	for i, item := range items {
		label, valueText, explicit := strings.Cut(item, "=")
		label = strings.TrimSpace(label)
		// Checked before any message quotes the label.
		if utf8.RuneCountInString(label) > MaxCardLabelLength {
			return nil, Errorf(EInvalid, "a card's label has at most %d characters", MaxCardLabelLength)
		}
		p := parsed{label: label, explicit: explicit}
		if explicit {
			v, ok := parseCardNumber(strings.TrimSpace(valueText))
			if !ok {
				return nil, Errorf(EInvalid, "the value of card %q must be a number", label)
			}
			p.value, p.hasValue = v, true
		} else if v, ok := parseCardNumber(label); ok {
			p.value, p.hasValue = v, true
			numeric++
		}
		cards[i] = p
	}

	out := make([]Card, len(cards))
	reserved := map[float64]string{} // values typed or read from labels
	for _, p := range cards {
		if p.hasValue {
			reserved[p.value] = p.label
		}
	}
	used := map[float64]string{}
	labels := map[string]bool{}
	for i, p := range cards {
		c := Card{Label: p.label, Value: p.value}
		switch {
		case p.hasValue:
		case specialLabels[strings.ToLower(p.label)] || numeric > 0:
			c.Special = true
		default:
			c.Value = float64(i + 1)
		}
		if c.Special && !p.explicit {
			c.Value = nextFreeValue(used, reserved)
		}
		if err := checkCustomLabel(c.Label, labels); err != nil {
			return nil, err
		}
		if other, dup := used[c.Value]; dup {
			return nil, Errorf(EInvalid, "cards %q and %q have the same value", other, c.Label)
		}
		used[c.Value] = c.Label
		labels[strings.ToLower(c.Label)] = true
		out[i] = c
	}
	return out, nil
}

func checkCustomLabel(label string, seen map[string]bool) error {
	switch {
	case label == "":
		return Errorf(EInvalid, "every card needs a label")
	case utf8.RuneCountInString(label) > MaxCardLabelLength:
		return Errorf(EInvalid, "a card's label has at most %d characters", MaxCardLabelLength)
	case seen[strings.ToLower(label)]:
		return Errorf(EInvalid, "the card %q is there twice", label)
	}
	return nil
}

// nextFreeValue gives a special card a whole value from 1000 up that no other card has.
func nextFreeValue(used, reserved map[float64]string) float64 {
	v := 1000.0
	for {
		_, taken := used[v]
		_, typed := reserved[v]
		if !taken && !typed {
			return v
		}
		v++
	}
}

// parseCardNumber reads "3", "0.5", "1/2" or "½" as a finite number.
func parseCardNumber(s string) (float64, bool) {
	switch s {
	case "½":
		return 0.5, true
	case "¼":
		return 0.25, true
	}
	if num, den, ok := strings.Cut(s, "/"); ok {
		n, err1 := strconv.ParseFloat(num, 64)
		d, err2 := strconv.ParseFloat(den, 64)
		if err1 != nil || err2 != nil || d == 0 {
			return 0, false
		}
		return finite(n / d)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return finite(v)
}

func finite(v float64) (float64, bool) {
	return v, !math.IsNaN(v) && !math.IsInf(v, 0)
}

// CustomDeck makes a room's own deck of cards; the registry gives it its id (0 until then).
func CustomDeck(id int, cards []Card) (Deck, error) {
	d := Deck{ID: id, Name: CustomDeckName, Cards: slices.Clone(cards)}
	if err := checkCards(d.Name, d.Cards); err != nil {
		return Deck{}, Errorf(EInvalid, "%s", err.Error())
	}
	// Two cards with one label could not be told apart on the table.
	labels := map[string]bool{}
	for _, c := range d.Cards {
		if err := checkCustomLabel(c.Label, labels); err != nil {
			return Deck{}, err
		}
		labels[strings.ToLower(c.Label)] = true
	}
	return d, nil
}
