package views

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

func TestHomeListsDecksAsText(t *testing.T) {
	decks := []game.Deck{
		game.FibonacciDeck(),
		{ID: 2, Name: `<script>alert("x")</script>`, Cards: []game.Card{{Label: "<b>XL</b>", Value: 8}}},
	}
	var buf bytes.Buffer
	if err := Home(decks).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if got := strings.Count(html, `data-testid="deck"`); got != 2 {
		t.Fatalf("%d decks shown, want 2", got)
	}
	if got := strings.Count(html, `data-testid="card"`); got != 10 {
		t.Fatalf("%d cards shown, want 10", got)
	}
	if strings.Contains(html, "<script>") || strings.Contains(html, "<b>XL") {
		t.Fatal("deck text was not escaped")
	}
	if !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, "&lt;b&gt;XL&lt;/b&gt;") {
		t.Fatal("escaped deck text missing")
	}
	if strings.Contains(html, "<script") {
		t.Fatal("the page carries a script")
	}
}
