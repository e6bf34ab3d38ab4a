package ws

import (
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/played"
)

// TestReleasedSeatsReachTheFrontendAsAState: the protocol has no message for seats let
// go, so the frontend redraws from a fresh STATE, which no longer lists them.
func TestReleasedSeatsReachTheFrontendAsAState(t *testing.T) {
	st := played.Room(t, game.RoomOptions{}).State()
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
