package views

import (
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

func deckOf(labels ...string) game.Deck {
	d := game.Deck{Name: "test"}
	for i, l := range labels {
		d.Cards = append(d.Cards, game.Card{Label: l, Value: float64(i)})
	}
	return d
}

func TestCardShortcuts(t *testing.T) {
	t.Run("on a deck of numbers a digit is the card of that number, and other cards get no key", func(t *testing.T) {
		deck := deckOf("1/2", "1", "2", "3", "5", "8", "13", "21", "?")
		want := []string{"", "1", "2", "3", "5", "8", "", "", ""}
		for i := range deck.Cards {
			if got := cardShortcut(deck, i); got != want[i] {
				t.Errorf("card %s: key %q, want %q", deck.Cards[i].Label, got, want[i])
			}
		}
	})
	t.Run("on a deck of words the keys go by place, 1 to 9 then 0", func(t *testing.T) {
		labels := []string{"XS", "S", "M", "L", "XL", "XXL", "a", "b", "c", "d", "e"}
		deck := deckOf(labels...)
		want := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0", ""}
		for i := range deck.Cards {
			if got := cardShortcut(deck, i); got != want[i] {
				t.Errorf("card %s: key %q, want %q", deck.Cards[i].Label, got, want[i])
			}
		}
	})
}

func TestOwnRowSaysYou(t *testing.T) {
	st := fixedState(game.RoundVoting, 3)
	me := st.Players[1].Player.Alias.String()
	rows := strings.Split(renderString(t, playersFor(st, false, me)), "<li ")[1:]
	for i, row := range rows {
		if got, want := strings.Contains(row, `data-testid="you">(you)<`), i == 1; got != want {
			t.Errorf("row %d says (you): %v, want %v", i, got, want)
		}
	}
	if strings.Contains(renderString(t, Players(st, true)), "(you)") {
		t.Error("the list the stream sends to everyone says (you)")
	}
}
