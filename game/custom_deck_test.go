package game

import (
	"reflect"
	"testing"
)

func TestParseCustomCards(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []Card
	}{
		{"t-shirt sizes are ordered by their place", "XS, S, M, L, XL", []Card{
			{Label: "XS", Value: 1}, {Label: "S", Value: 2}, {Label: "M", Value: 3}, {Label: "L", Value: 4}, {Label: "XL", Value: 5},
		}},
		{"numbers are their own value", "1, 2, 4, 8", []Card{
			{Label: "1", Value: 1}, {Label: "2", Value: 2}, {Label: "4", Value: 4}, {Label: "8", Value: 8},
		}},
		{"halves and decimals are numbers, a near-number is not", "½, 1/2x, 0.25", []Card{
			{Label: "½", Value: 0.5}, {Label: "1/2x", Value: 1000, Special: true}, {Label: "0.25", Value: 0.25},
		}},
		{"a non-number among numbers is special", "1, 2, 3, ?, coffee", []Card{
			{Label: "1", Value: 1}, {Label: "2", Value: 2}, {Label: "3", Value: 3},
			{Label: "?", Value: 1000, Special: true}, {Label: "coffee", Value: 1001, Special: true},
		}},
		{"the usual markers are special among words too", "S, M, L, ☕", []Card{
			{Label: "S", Value: 1}, {Label: "M", Value: 2}, {Label: "L", Value: 3}, {Label: "☕", Value: 1000, Special: true},
		}},
		{"values can be given", "S=1, M = 3, L=8, XL=1/2", []Card{
			{Label: "S", Value: 1}, {Label: "M", Value: 3}, {Label: "L", Value: 8}, {Label: "XL", Value: 0.5},
		}},
		{"a special card's value avoids the typed ones", "1000, 1, ?", []Card{
			{Label: "1000", Value: 1000}, {Label: "1", Value: 1}, {Label: "?", Value: 1001, Special: true},
		}},
		{"empty items and spaces are dropped", " 1 ,, 2 , ", []Card{{Label: "1", Value: 1}, {Label: "2", Value: 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCustomCards(tc.text)
			mustOK(t, err)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseCustomCards_Refused(t *testing.T) {
	for _, tc := range []struct{ name, text string }{
		{"nothing typed", "  "},
		{"a single card", "5"},
		{"too many cards", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21"},
		{"a label twice", "S, M, s"},
		{"two cards with one value", "1, 1.0"},
		{"a value that is not a number", "S=small, M"},
		{"an infinite value", "S=1e999, M"},
		{"a label too long", "1, averyveryverylonglabel"},
		{"a value without a label", "=3, M"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCustomCards(tc.text)
			wantCode(t, err, EInvalid)
		})
	}
}

func TestRoomWithItsOwnCards(t *testing.T) {
	reg, _ := newTestRegistry(t, RegistryConfig{})
	cards, err := ParseCustomCards("XS, S, M, ?")
	mustOK(t, err)
	room, err := reg.CreateWithCards("Sizes", cards, GameSettings{})
	mustOK(t, err)
	deck := room.Game().Deck
	if deck.ID < firstCustomDeckID || deck.Name != CustomDeckName || len(deck.Cards) != 4 {
		t.Fatalf("deck %+v", deck)
	}

	t.Run("its deck is found by id, like a configured deck", func(t *testing.T) {
		got, err := reg.Deck(deck.ID)
		mustOK(t, err)
		if !reflect.DeepEqual(got, deck) {
			t.Fatalf("Deck(%d) = %+v", deck.ID, got)
		}
	})
	t.Run("votes must be one of its cards", func(t *testing.T) {
		mustOK(t, room.Join(alice))
		mustOK(t, room.Vote(alice.ID, 2))
		wantCode(t, room.Vote(alice.ID, 5), EInvalid)
	})
	t.Run("cards given one by one are checked too", func(t *testing.T) {
		for _, bad := range [][]Card{
			{{Label: "S", Value: 1}, {Label: "s", Value: 2}},
			{{Label: "S", Value: 1}, {Label: "M", Value: 1}},
			{{Label: "", Value: 1}, {Label: "M", Value: 2}},
			{{Label: "averyveryverylonglabel", Value: 1}, {Label: "M", Value: 2}},
		} {
			_, err := reg.CreateWithCards("", bad, GameSettings{})
			wantCode(t, err, EInvalid)
		}
	})
	t.Run("two rooms get two decks", func(t *testing.T) {
		other, err := reg.CreateWithCards("", cards, GameSettings{})
		mustOK(t, err)
		if other.Game().Deck.ID == deck.ID {
			t.Fatal("both rooms share a deck id")
		}
	})
	t.Run("the deck goes with its room", func(t *testing.T) {
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil) // grace 0: the room closes at once
		if _, err := reg.Deck(deck.ID); CodeOf(err) != ENotFound {
			t.Fatalf("deck of a closed room still found: %v", err)
		}
	})
}
