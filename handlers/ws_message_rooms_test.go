package handlers

import (
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// TestReleasedSeatsReachTheFrontendAsAState: the protocol has no message for seats let
// go, so the frontend redraws from a fresh STATE, which no longer lists them.
func TestReleasedSeatsReachTheFrontendAsAState(t *testing.T) {
	st := playedRoom(t, game.RoomOptions{}).State()
	gone := st.Players[2].Player
	st.Players, st.Votes = st.Players[:2], st.Votes[:2]
	frames := wsmsgFrames(wsFrames(&game.Event{Kind: game.SeatsReleased, Released: []game.Player{gone}, State: st, Votes: st.Votes}))
	if len(frames) != 2 || !strings.HasPrefix(frames[0], `{"type":"STATE"`) || !strings.HasPrefix(frames[1], `{"type":"REVEALGAME"`) {
		t.Fatalf("frames %v, want a STATE and, the round being revealed, a REVEALGAME", frames)
	}
	for _, f := range frames {
		if strings.Contains(f, gone.ID.String()) {
			t.Fatalf("a frame still lists the released player: %s", f)
		}
	}
}
