package game

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// wantFibonacci is deck 1 as the protocol spells it, written out rather than taken from
// FibonacciDeck so that a change to either is caught.
var wantFibonacci = Deck{ID: 1, Name: "Fibonacci", Cards: []Card{
	{Label: "1/2", Value: 0.5}, {Label: "1", Value: 1}, {Label: "2", Value: 2},
	{Label: "3", Value: 3}, {Label: "5", Value: 5}, {Label: "8", Value: 8},
	{Label: "13", Value: 13}, {Label: "21", Value: 21}, {Label: "?", Value: 100, Special: true},
}}

func TestParseDecks_DefaultFile(t *testing.T) {
	data, err := os.ReadFile("../conf/decks.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := ParseDecks("conf/decks.json", data)
	if err != nil {
		t.Fatalf("the default decks file is refused: %v", err)
	}

	t.Run("deck 1 is exactly the Fibonacci deck", func(t *testing.T) {
		d, err := db.Deck(1)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(d, wantFibonacci) {
			t.Fatalf("deck 1 = %+v, want %+v", d, wantFibonacci)
		}
		if !reflect.DeepEqual(FibonacciDeck(), wantFibonacci) {
			t.Fatalf("FibonacciDeck() = %+v, want %+v", FibonacciDeck(), wantFibonacci)
		}
	})

	t.Run("decks are listed in id order", func(t *testing.T) {
		decks := db.Decks()
		if len(decks) < 2 {
			t.Fatalf("only %d decks in the default file", len(decks))
		}
		for i := 1; i < len(decks); i++ {
			if decks[i-1].ID >= decks[i].ID {
				t.Fatalf("decks out of id order: %d before %d", decks[i-1].ID, decks[i].ID)
			}
		}
	})
}

func TestParseDecks_Errors(t *testing.T) {
	const file = "custom-decks.json"
	tests := []struct {
		name    string
		data    string
		problem string // must appear in the error, after the file name
	}{
		{"malformed JSON is refused", `[{"id": 2, "name": "X",`, "not a JSON list of decks"},
		{"empty file is refused", ``, "not a JSON list of decks"},
		{"an object instead of a list is refused", `{"id": 2, "name": "X", "cards": [{"label": "1", "value": 1}]}`, "not a JSON list of decks"},
		{"data after the list is refused", `[] []`, "unexpected data after the list"},
		{"deck with an empty card list is refused", `[{"id": 2, "name": "X", "cards": []}]`, `deck "X" has no cards`},
		{"deck without a cards field is refused", `[{"id": 2, "name": "X"}]`, `deck "X" has no cards`},
		{"duplicate deck ids are refused", `[{"id": 2, "name": "A", "cards": [{"label": "1", "value": 1}]},
			{"id": 2, "name": "B", "cards": [{"label": "1", "value": 1}]}]`, "duplicate deck id 2"},
		{"id 0 is refused", `[{"id": 0, "name": "X", "cards": [{"label": "1", "value": 1}]}]`, "id must be 1 or more"},
		{"missing id is refused", `[{"name": "X", "cards": [{"label": "1", "value": 1}]}]`, "id must be 1 or more"},
		{"negative id is refused", `[{"id": -3, "name": "X", "cards": [{"label": "1", "value": 1}]}]`, "id must be 1 or more"},
		{"empty name is refused", `[{"id": 2, "name": "", "cards": [{"label": "1", "value": 1}]}]`, "name is empty"},
		{"blank name is refused", `[{"id": 2, "name": "  ", "cards": [{"label": "1", "value": 1}]}]`, "name is empty"},
		{"card without a label is refused", `[{"id": 2, "name": "X", "cards": [{"value": 1}]}]`, `deck "X" has a card without a label`},
		{"card with a blank label is refused", `[{"id": 2, "name": "X", "cards": [{"label": " ", "value": 1}]}]`, `deck "X" has a card without a label`},
		{"two cards with one value are refused", `[{"id": 2, "name": "X", "cards": [{"label": "S", "value": 3}, {"label": "M", "value": 3}]}]`,
			`deck "X": cards "S" and "M" have the same value 3`},
		{"a card without a value is refused", `[{"id": 2, "name": "X", "cards": [{"label": "?"}]}]`, `card "?" has no value`},
		{"a null file is refused", `null`, "not a JSON list of decks"},
		{"unknown deck field is refused", `[{"id": 2, "name": "X", "colour": "red", "cards": [{"label": "1", "value": 1}]}]`, `unknown field "colour"`},
		{"unknown card field is refused", `[{"id": 2, "name": "X", "cards": [{"label": "1", "value": 1, "emoji": "x"}]}]`, `unknown field "emoji"`},
		{"a string value is refused", `[{"id": 2, "name": "X", "cards": [{"label": "1", "value": "1"}]}]`, "not a JSON list of decks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := ParseDecks(file, []byte(tt.data))
			if err == nil {
				t.Fatalf("accepted, decks %+v", db.Decks())
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "decks file "+file+": ") {
				t.Errorf("error %q does not start by naming the file", msg)
			}
			if !strings.Contains(msg, tt.problem) {
				t.Errorf("error %q does not say %q", msg, tt.problem)
			}
		})
	}
}

func TestParseDecks_Accepted(t *testing.T) {
	t.Run("file without id 1 gets the Fibonacci deck as id 1", func(t *testing.T) {
		db, err := ParseDecks("f.json", []byte(`[{"id": 7, "name": "Tiny", "cards": [{"label": "S", "value": 1}, {"label": "L", "value": 2}]}]`))
		if err != nil {
			t.Fatal(err)
		}
		want := []Deck{wantFibonacci, {ID: 7, Name: "Tiny", Cards: []Card{{Label: "S", Value: 1}, {Label: "L", Value: 2}}}}
		if got := db.Decks(); !reflect.DeepEqual(got, want) {
			t.Fatalf("Decks() = %+v, want %+v", got, want)
		}
	})

	t.Run("empty list still has the Fibonacci deck", func(t *testing.T) {
		db, err := ParseDecks("f.json", []byte(`[]`))
		if err != nil {
			t.Fatal(err)
		}
		if got := db.Decks(); !reflect.DeepEqual(got, []Deck{wantFibonacci}) {
			t.Fatalf("Decks() = %+v, want only Fibonacci", got)
		}
	})

	t.Run("decks given out of order are listed by id", func(t *testing.T) {
		db, err := ParseDecks("f.json", []byte(`[
			{"id": 9, "name": "Nine", "cards": [{"label": "9", "value": 9}]},
			{"id": 3, "name": "Three", "cards": [{"label": "3", "value": 3}]}]`))
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, d := range db.Decks() {
			ids = append(ids, d.ID)
		}
		if !reflect.DeepEqual(ids, []int{1, 3, 9}) {
			t.Fatalf("ids = %v, want [1 3 9]", ids)
		}
	})
}

func TestMemoryDeckDB_Deck(t *testing.T) {
	db, err := NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id   int
		want string
	}{
		{999, "No deck exists with ID 999"},
		{0, "No deck exists with ID 0"},
		{-1, "No deck exists with ID -1"},
	} {
		t.Run("id "+strconv.Itoa(tt.id)+" is not found", func(t *testing.T) {
			_, err := db.Deck(tt.id)
			if CodeOf(err) != ENotFound {
				t.Fatalf("error %v has code %q, want %q", err, CodeOf(err), ENotFound)
			}
			if err.Error() != tt.want {
				t.Fatalf("message %q, want %q", err.Error(), tt.want)
			}
		})
	}

	t.Run("mutating a listed deck does not change the store", func(t *testing.T) {
		decks := db.Decks()
		decks[0].Name = "changed"
		decks[0].Cards[0] = Card{Label: "x", Value: -1}
		d, _ := db.Deck(1)
		d.Cards[1].Label = "changed"
		if got := db.Decks(); !reflect.DeepEqual(got, []Deck{wantFibonacci}) {
			t.Fatalf("store changed through a copy: %+v", got)
		}
		if got, _ := db.Deck(1); !reflect.DeepEqual(got, wantFibonacci) {
			t.Fatalf("store changed through a copy: %+v", got)
		}
	})

	t.Run("mutating the input does not change the store", func(t *testing.T) {
		in := []Deck{{ID: 2, Name: "Two", Cards: []Card{{Label: "a", Value: 1}}}}
		db, err := NewMemoryDeckDB(in)
		if err != nil {
			t.Fatal(err)
		}
		in[0].Cards[0].Label = "changed"
		if got, _ := db.Deck(2); got.Cards[0].Label != "a" {
			t.Fatalf("store changed through its input: %+v", got)
		}
	})
}
