package game

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Card is one card of a deck: the label shown on it and the value a vote for it carries.
type Card struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
	// Special marks a card that is not a number in meaning (?, coffee, infinity): it is
	// shown in the results but left out of the average, median, lowest and highest.
	Special bool `json:"special,omitempty"`
}

// Deck is a named, ordered set of cards.
type Deck struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Cards []Card `json:"cards"`
}

// UnmarshalJSON reads a card of a decks file, where both fields are required: a card
// without a value would silently be worth 0.
func (c *Card) UnmarshalJSON(data []byte) error {
	var raw struct {
		Label   *string  `json:"label"`
		Value   *float64 `json:"value"`
		Special bool     `json:"special"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	if raw.Label != nil {
		c.Label = *raw.Label
	}
	if raw.Value == nil {
		return fmt.Errorf("card %q has no value", c.Label)
	}
	c.Value = *raw.Value
	c.Special = raw.Special
	return nil
}

// HasValue reports whether some card of the deck carries value v.
func (d Deck) HasValue(v float64) bool {
	return slices.ContainsFunc(d.Cards, func(c Card) bool { return c.Value == v })
}

// DefaultDeckID is the deck every installation has: the reference's Fibonacci deck.
const DefaultDeckID = 1

// FibonacciDeck returns deck 1 exactly as the reference backend defines it; `?` is worth 100
// because the existing frontend averages every revealed vote. Our own results leave it
// out of the numbers.
func FibonacciDeck() Deck {
	return Deck{ID: DefaultDeckID, Name: "Fibonacci", Cards: []Card{
		{"1/2", 0.5, false}, {"1", 1, false}, {"2", 2, false}, {"3", 3, false}, {"5", 5, false},
		{"8", 8, false}, {"13", 13, false}, {"21", 21, false}, {"?", 100, true},
	}}
}

// CardByValue returns the deck's card that a vote of v stands for.
func (d Deck) CardByValue(v float64) (Card, bool) {
	for _, c := range d.Cards {
		if c.Value == v {
			return c, true
		}
	}
	return Card{}, false
}

// DeckDB gives read access to the decks rooms can be created with.
type DeckDB interface {
	// Decks lists every deck in id order.
	Decks() []Deck
	// Deck returns the deck with the given id, or an ENotFound error.
	Deck(id int) (Deck, error)
}

// MemoryDeckDB is a DeckDB held in memory, loaded once at start-up.
type MemoryDeckDB struct {
	decks []Deck // sorted by id; never modified after construction
}

// NewMemoryDeckDB checks decks and returns a store of them. The Fibonacci deck is added
// as deck 1 when decks lacks an id 1.
func NewMemoryDeckDB(decks []Deck) (*MemoryDeckDB, error) {
	seen := map[int]bool{}
	var out []Deck
	for i, d := range decks {
		if err := checkDeck(d); err != nil {
			return nil, fmt.Errorf("deck #%d (id %d): %w", i+1, d.ID, err)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("deck #%d: duplicate deck id %d", i+1, d.ID)
		}
		seen[d.ID] = true
		out = append(out, cloneDeck(d))
	}
	if !seen[DefaultDeckID] {
		out = append(out, FibonacciDeck())
	}
	slices.SortFunc(out, func(a, b Deck) int { return a.ID - b.ID })
	return &MemoryDeckDB{decks: out}, nil
}

// ParseDecks reads a decks file (a JSON list of decks) and returns a store of them. name
// names the file in errors, so that a bad file stops start-up with a useful message.
func ParseDecks(name string, data []byte) (*MemoryDeckDB, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var decks []Deck
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
		return nil, fmt.Errorf("decks file %s: not a JSON list of decks", name)
	}
	if err := dec.Decode(&decks); err != nil {
		return nil, fmt.Errorf("decks file %s: not a JSON list of decks: %w", name, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("decks file %s: unexpected data after the list of decks", name)
	}
	db, err := NewMemoryDeckDB(decks)
	if err != nil {
		return nil, fmt.Errorf("decks file %s: %w", name, err)
	}
	return db, nil
}

func checkDeck(d Deck) error {
	if d.ID < 1 {
		return fmt.Errorf("id must be 1 or more")
	}
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("name is empty")
	}
	return checkCards(d.Name, d.Cards)
}

func checkCards(deckName string, cards []Card) error {
	d := Deck{Name: deckName, Cards: cards}
	if len(d.Cards) == 0 {
		return fmt.Errorf("deck %q has no cards", d.Name)
	}
	values := map[float64]string{}
	for _, c := range d.Cards {
		if strings.TrimSpace(c.Label) == "" {
			return fmt.Errorf("deck %q has a card without a label", d.Name)
		}
		if math.IsNaN(c.Value) || math.IsInf(c.Value, 0) {
			return fmt.Errorf("deck %q: card %q has no finite value", d.Name, c.Label)
		}
		// A vote carries only a value, so two cards with one value could not be told apart.
		if other, dup := values[c.Value]; dup {
			return fmt.Errorf("deck %q: cards %q and %q have the same value %v", d.Name, other, c.Label, c.Value)
		}
		values[c.Value] = c.Label
	}
	return nil
}

func cloneDeck(d Deck) Deck {
	d.Cards = slices.Clone(d.Cards)
	return d
}

// Decks returns copies of every deck, in id order.
func (db *MemoryDeckDB) Decks() []Deck {
	out := make([]Deck, len(db.decks))
	for i, d := range db.decks {
		out[i] = cloneDeck(d)
	}
	return out
}

// Deck returns a copy of the deck with the given id.
func (db *MemoryDeckDB) Deck(id int) (Deck, error) {
	i, found := slices.BinarySearchFunc(db.decks, id, func(d Deck, id int) int { return d.ID - id })
	if !found {
		return Deck{}, Errorf(ENotFound, "No deck exists with ID %d", id)
	}
	return cloneDeck(db.decks[i]), nil
}
