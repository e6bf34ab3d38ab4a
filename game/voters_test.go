package game

import (
	"testing"
	"time"
)

// Who counts as a voter, in every state a round goes through: the tally every screen
// shows, and whether everyone has voted (the Reveal button, auto-reveal) always agree.
func TestVoterTally(t *testing.T) {
	cfg := RegistryConfig{RevealGrace: 5 * time.Second}
	cases := []struct {
		name     string
		play     func(t *testing.T, room *Room, clock *fakeClock)
		want     Tally
		everyone bool
	}{
		{"before the first round nobody has voted", func(t *testing.T, room *Room, _ *fakeClock) {},
			Tally{Voted: 0, Voters: 3}, false},
		{"a round under way counts the players who are here", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(bob.ID, 3))
		}, Tally{Voted: 1, Voters: 3}, false},
		{"every player here has voted", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			for _, p := range []Player{alice, bob, carol} {
				mustOK(t, room.Vote(p.ID, 5))
			}
		}, Tally{Voted: 3, Voters: 3}, true},
		{"an observer is no voter", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.ToggleObserving(carol.ID))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Vote(bob.ID, 8))
		}, Tally{Voted: 2, Voters: 2}, true},
		{"an observer's vote is not waited for nor counted", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(carol.ID, 5))
			mustOK(t, room.ToggleObserving(carol.ID))
			mustOK(t, room.Vote(alice.ID, 5))
		}, Tally{Voted: 1, Voters: 2}, false},
		{"an offline player who has not voted is not waited for", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Vote(bob.ID, 5))
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Minute)
		}, Tally{Voted: 2, Voters: 2}, true},
		{"an offline player's kept vote counts", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(carol.ID, 5))
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Minute)
			mustOK(t, room.Vote(alice.ID, 5))
		}, Tally{Voted: 2, Voters: 3}, false},
		{"a voter who reloads the page keeps their vote through the grace", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(carol.ID, 5))
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Second)
		}, Tally{Voted: 1, Voters: 3}, false},
		{"a non-voter reloading is not counted while away (auto-reveal alone waits for them)", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Vote(bob.ID, 5))
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Second)
		}, Tally{Voted: 2, Voters: 2}, true},
		{"a non-voter back from a reload counts again", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Second)
			mustOK(t, room.Connect(carol.ID, nil))
		}, Tally{Voted: 1, Voters: 3}, false},
		{"a revealed round counts its votes but is not waiting", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Vote(bob.ID, 5))
			mustOK(t, room.Vote(carol.ID, 5))
			mustOK(t, room.Reveal(alice.ID))
		}, Tally{Voted: 3, Voters: 3}, false},
		{"a revealed round with a missing vote", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Reveal(alice.ID))
		}, Tally{Voted: 1, Voters: 3}, false},
		{"a new round clears the votes", func(t *testing.T, room *Room, _ *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 5))
			mustOK(t, room.Reveal(alice.ID))
			mustOK(t, room.StartRound(alice.ID, nil))
		}, Tally{Voted: 0, Voters: 3}, false},
		{"nobody here and no vote: no voter, so not everyone voted", func(t *testing.T, room *Room, clock *fakeClock) {
			mustOK(t, room.StartRound(alice.ID, nil))
			for _, p := range []Player{alice, bob, carol} {
				room.Disconnect(p.ID, nil)
			}
			clock.Advance(time.Minute)
		}, Tally{Voted: 0, Voters: 0}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			room, clock, _ := roomWith(t, cfg, GameSettings{}, alice, bob, carol)
			c.play(t, room, clock)
			st := room.State()
			if got := st.Tally(); got != c.want {
				t.Errorf("tally %+v, want %+v", got, c.want)
			}
			if got := st.EveryoneVoted(); got != c.everyone {
				t.Errorf("everyone voted %v, want %v", got, c.everyone)
			}
			// The room's own answer, which auto-reveal acts on, is the screens' answer.
			room.mu.Lock()
			own := room.state.everyoneVoted()
			room.mu.Unlock()
			if own != st.EveryoneVoted() {
				t.Errorf("the room says everyone voted %v, its state %v", own, st.EveryoneVoted())
			}
		})
	}
}
