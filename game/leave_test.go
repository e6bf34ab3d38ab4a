package game

import (
	"testing"
	"time"
)

func TestLeave(t *testing.T) {
	t.Run("the seat, the vote and the connections go", func(t *testing.T) {
		room, _, watcher := roomWith(t, RegistryConfig{}, GameSettings{Options: RoomOptions{AutoReveal: true}}, alice, carol)
		bobTab := &recorder{}
		mustOK(t, room.Connect(bob.ID, bobTab))
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.Vote(carol.ID, 5))

		mustOK(t, room.Leave(bob.ID))
		ev := lastOf(watcher, PlayerRemoved)
		if ev == nil || ev.Cause != LeftByChoice || ev.Player != seatedAs(room, bob) {
			t.Fatalf("PlayerRemoved %+v", ev)
		}
		if last := bobTab.events(); last[len(last)-1].Kind != PlayerRemoved {
			t.Fatal("bob's tab was not told")
		}
		n := len(bobTab.events())
		mustOK(t, room.Vote(alice.ID, 8))
		if len(bobTab.events()) != n {
			t.Fatal("bob's tab still hears the room")
		}
		st := room.State()
		if len(st.Players) != 2 || st.Round != RoundRevealed {
			t.Fatalf("%d players, round %v: want bob gone and the waiting round revealed", len(st.Players), st.Round)
		}
		_, err := room.Seat(bob.ID)
		wantCode(t, err, ENotSeated)
		wantCode(t, room.Leave(bob.ID), ENotSeated)
	})
	t.Run("a full room takes a new player once someone left", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Hour})
		room, err := reg.Create("", DefaultDeckID, GameSettings{MaxPlayers: 2})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Join(bob))
		mustOK(t, room.Connect(alice.ID, nil))
		mustOK(t, room.Connect(bob.ID, nil))
		wantCode(t, room.Join(carol), EConflict)
		mustOK(t, room.Leave(bob.ID))
		mustOK(t, room.Join(carol))
		t.Run("and the one who left may come back when there is room", func(t *testing.T) {
			wantCode(t, room.Join(bob), EConflict)
			mustOK(t, room.Leave(carol.ID))
			mustOK(t, room.Join(bob))
			if stateOf(t, room.State(), bob).Admin {
				t.Fatal("bob came back as facilitator")
			}
		})
	})
	t.Run("a facilitator who leaves passes the role to the longest connected", func(t *testing.T) {
		room, _, watcher := roomWith(t, RegistryConfig{FacilitatorTimeout: time.Minute}, GameSettings{}, alice, carol, bob)
		mustOK(t, room.Leave(alice.ID))
		ev := lastOf(watcher, FacilitatorChanged)
		if ev == nil || ev.Cause != FacilitatorLeft || ev.Player.ID != carol.ID {
			t.Fatalf("FacilitatorChanged %+v, want carol (connected before bob), FacilitatorLeft", ev)
		}
		st := room.State()
		if !stateOf(t, st, carol).Admin || stateOf(t, st, bob).Admin {
			t.Fatal("carol is not the facilitator")
		}
		mustOK(t, room.StartRound(carol.ID, nil))
		t.Run("the one who left joins again as a player", func(t *testing.T) {
			mustOK(t, room.Join(alice))
			if stateOf(t, room.State(), alice).Admin {
				t.Fatal("alice is facilitator again")
			}
		})
	})
	t.Run("with nobody here, the next to come becomes facilitator", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			come func(*Room) error
			who  Player
		}{
			{"a new player joining", func(r *Room) error { return r.Join(stranger) }, stranger},
			{"a seated player connecting", func(r *Room) error { return r.Connect(bob.ID, nil) }, bob},
		} {
			t.Run(tc.name, func(t *testing.T) {
				room, _, watcher := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
				mustOK(t, room.Leave(alice.ID))
				st := room.State()
				for _, p := range st.Players {
					if p.Admin {
						t.Fatalf("%s is facilitator with nobody here", p.Player.Username)
					}
				}
				wantCode(t, room.StartRound(bob.ID, nil), EForbidden)
				mustOK(t, tc.come(room))
				if !stateOf(t, room.State(), tc.who).Admin {
					t.Fatalf("%s did not become facilitator", tc.who.Username)
				}
				if tc.who == bob {
					if ev := lastOf(watcher, FacilitatorChanged); ev == nil || ev.Cause != FacilitatorLeft {
						t.Fatalf("FacilitatorChanged %+v", ev)
					}
				}
			})
		}
	})
	t.Run("the last to leave empties the room", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{}) // grace 0: deleted at once
		room, err := reg.Create("", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, &recorder{}))
		mustOK(t, room.Leave(alice.ID))
		if _, err := reg.Room(room.Code()); CodeOf(err) != ENotFound {
			t.Fatalf("the empty room is still open: %v", err)
		}
	})
}
