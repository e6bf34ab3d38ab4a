package views

import (
	"strconv"

	"github.com/pokerd/pokerd/game"
)

// byLabel reports whether digit keys pick cards by their label: a deck with a card
// labelled with a single digit is a deck of numbers, where pressing 8 must vote 8, not
// the eighth card. Decks of words (T-shirt sizes) have no such card, and there the keys
// pick by position.
func byLabel(deck game.Deck) bool {
	for _, c := range deck.Cards {
		if isDigit(c.Label) {
			return true
		}
	}
	return false
}

func isDigit(s string) bool { return len(s) == 1 && s[0] >= '0' && s[0] <= '9' }

// cardShortcut is the key that picks the i-th card of the deck: its label on a deck of
// numbers (cards such as 13 or ? get none), else its position, 1…9 then 0 for the tenth.
func cardShortcut(deck game.Deck, i int) string {
	if byLabel(deck) {
		if label := deck.Cards[i].Label; isDigit(label) {
			return label
		}
		return ""
	}
	switch {
	case i < 9:
		return strconv.Itoa(i + 1)
	case i == 9:
		return "0"
	}
	return ""
}

// cardKeysHelp says what the digit keys do on this deck.
func cardKeysHelp(deck game.Deck) string {
	if byLabel(deck) {
		return "a digit picks the card with that number"
	}
	return "1…9 and 0 pick a card by its place"
}
