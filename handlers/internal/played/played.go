// Package played holds what the wire and WebSocket tests share: a room played through
// two rounds by three players, and the JSON shape of a STATE to decode frames into.
package played

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

var (
	Alice = game.Player{ID: uuid.MustParse("a11ce000-0000-4000-8000-000000000001"), Username: "alice"}
	Bob   = game.Player{ID: uuid.MustParse("b0b00000-0000-4000-8000-000000000002"), Username: "=HYPERLINK(\"http://evil\")"}
	Carol = game.Player{ID: uuid.MustParse("ca401000-0000-4000-8000-000000000003"), Username: "carol"}
)

// Room returns a Fibonacci room where alice (facilitator), bob and carol played two
// rounds: 3/5/? on a ticket, then 8/8/no vote with the estimate "8".
func Room(t testing.TB, opts game.RoomOptions) *game.Room {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", 1, game.GameSettings{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []game.Player{Alice, Bob, Carol} {
		Must(t, room.Join(p))
		Must(t, room.Connect(p.ID, nil))
	}
	ticket := "https://tracker.example/PP-1"
	Must(t, room.StartRound(Alice.ID, &ticket))
	Must(t, room.Vote(Alice.ID, 3))
	Must(t, room.Vote(Bob.ID, 5))
	Must(t, room.Vote(Carol.ID, 100))
	Must(t, room.Reveal(Alice.ID))
	Must(t, room.StartRound(Alice.ID, nil))
	Must(t, room.Vote(Alice.ID, 8))
	Must(t, room.Vote(Bob.ID, 8))
	Must(t, room.Reveal(Alice.ID))
	Must(t, room.SetEstimate(Alice.ID, 2, "8"))
	return room
}

// Must fails the test on an error.
func Must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// GameState is a STATE payload as protocol.md writes it.
type GameState struct {
	Game struct {
		Name         string          `json:"name"`
		DeckID       int             `json:"deck_id"`
		GameSettings json.RawMessage `json:"game_settings"`
		Code         string          `json:"code"`
	} `json:"game"`
	PlayerStates map[string]struct {
		Player struct {
			ID       string `json:"id"`
			Username string `json:"username"`
		} `json:"player"`
		IsConnected bool `json:"is_connected"`
		IsAdmin     bool `json:"is_admin"`
		IsObserving bool `json:"is_observing"`
		HasVoted    bool `json:"has_voted"`
	} `json:"player_states"`
	TicketURL  *string `json:"ticket_url"`
	RoundState string  `json:"round_state"`
	RoundStart *string `json:"round_start"`
	// Story is pokerd's addition: the round's story, null when none; always present.
	Story *Story `json:"story"`
}

// Story is a round's story as the WebSocket writes it.
type Story struct {
	ID    int     `json:"id,omitempty"`
	Key   string  `json:"key"`
	Title string  `json:"title"`
	Link  *string `json:"link"`
}
