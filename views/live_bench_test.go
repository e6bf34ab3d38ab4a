package views

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// BenchmarkRenderLiveAfterTenRounds renders what the room's stream publishes after a
// reveal late in a session: 50 players, their results and chart, and the tenth round of
// the record (the nine before it are in the browsers already). It is done once per
// change for the whole room.
func BenchmarkRenderLiveAfterTenRounds(b *testing.B) {
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		b.Fatal(err)
	}
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		b.Fatal(err)
	}
	players := make([]game.Player, 50)
	for i := range players {
		players[i] = game.Player{ID: uuid.New(), Username: fmt.Sprintf("player %d", i)}
		if err := room.Join(players[i]); err != nil {
			b.Fatal(err)
		}
		if err := room.Connect(players[i].ID, nil); err != nil {
			b.Fatal(err)
		}
	}
	cards := game.FibonacciDeck().Cards
	for round := range 10 {
		if err := room.StartRound(players[0].ID, nil); err != nil {
			b.Fatal(err)
		}
		for i, p := range players {
			if err := room.Vote(p.ID, cards[(i+round)%len(cards)].Value); err != nil {
				b.Fatal(err)
			}
		}
		if err := room.Reveal(players[0].ID); err != nil {
			b.Fatal(err)
		}
	}
	st := room.State()
	newest := DiffRecord(st.Records[:len(st.Records)-1], st.Records)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := LiveRoom(st, newest).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}
