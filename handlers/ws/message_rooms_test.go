package ws

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// TestReleasedSeatsReachTheFrontendAsAState: the protocol has no message for seats let
// go, so the frontend redraws from a fresh STATE, which no longer lists them.
func TestReleasedSeatsReachTheFrontendAsAState(t *testing.T) {
	st := playedRoom(t, game.RoomOptions{}).State()
	gone := st.Players[2].Player
	st.Players, st.Votes = st.Players[:2], st.Votes[:2]
	frames := wsmsgFramesTo(&game.Event{Kind: game.SeatsReleased, Released: []game.Player{gone}, State: st, Votes: st.Votes}, st.Players[0].Player.ID)
	if len(frames) != 2 || !strings.HasPrefix(frames[0], `{"type":"STATE"`) || !strings.HasPrefix(frames[1], `{"type":"REVEALGAME"`) {
		t.Fatalf("frames %v, want a STATE and, the round being revealed, a REVEALGAME", frames)
	}
	for _, f := range frames {
		if strings.Contains(f, gone.ID.String()) || strings.Contains(f, gone.Alias.String()) {
			t.Fatalf("a frame still lists the released player: %s", f)
		}
	}
}

var (
	recAlice = game.Player{ID: uuid.MustParse("a11ce000-0000-4000-8000-000000000001"), Username: "alice"}
	recBob   = game.Player{ID: uuid.MustParse("b0b00000-0000-4000-8000-000000000002"), Username: "=HYPERLINK(\"http://evil\")"}
	recCarol = game.Player{ID: uuid.MustParse("ca401000-0000-4000-8000-000000000003"), Username: "carol"}
)

// playedRoom returns a Fibonacci room where alice (facilitator), bob and carol played two
// rounds: 3/5/? on a ticket, then 8/8/no vote with the estimate "8".
func playedRoom(t *testing.T, opts game.RoomOptions) *game.Room {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", 1, game.GameSettings{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []game.Player{recAlice, recBob, recCarol} {
		must(t, room.Join(p))
		must(t, room.Connect(p.ID, nil))
	}
	ticket := "https://tracker.example/PP-1"
	must(t, room.StartRound(recAlice.ID, &ticket))
	must(t, room.Vote(recAlice.ID, 3))
	must(t, room.Vote(recBob.ID, 5))
	must(t, room.Vote(recCarol.ID, 100))
	must(t, room.Reveal(recAlice.ID))
	must(t, room.StartRound(recAlice.ID, nil))
	must(t, room.Vote(recAlice.ID, 8))
	must(t, room.Vote(recBob.ID, 8))
	must(t, room.Reveal(recAlice.ID))
	must(t, room.SetEstimate(recAlice.ID, 2, "8"))
	return room
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
