package game

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
)

// fakes returns n players who are nobody's teammates.
func fakes(n int) []Player {
	out := make([]Player, n)
	for i := range out {
		out[i] = Player{ID: uuid.New(), Username: fmt.Sprintf("fake %d", i)}
	}
	return out
}

func seatedIDs(st *State) map[uuid.UUID]bool {
	ids := map[uuid.UUID]bool{}
	for _, p := range st.Players {
		ids[p.Player.ID] = true
	}
	return ids
}

func countKind(rec *recorder, kind EventKind) int {
	n := 0
	for _, ev := range rec.events() {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

func TestUnusedSeatsAreReleased(t *testing.T) {
	const release = 2 * time.Minute
	cfg := RegistryConfig{SeatRelease: release}

	t.Run("a seat never connected goes after the release time, in one event seen by all", func(t *testing.T) {
		room, clock, rec := roomWith(t, cfg, GameSettings{}, bob) // alice (facilitator) and carol never connect
		clock.Advance(release - 2*time.Second)                    // bob connected a second after the joins
		if n := len(room.State().Players); n != 3 {
			t.Fatalf("%d players before the release time, want 3", n)
		}
		clock.Advance(time.Second)
		ids := seatedIDs(room.State())
		if !ids[alice.ID] || !ids[bob.ID] || ids[carol.ID] {
			t.Fatalf("seated after the release time: alice %v bob %v carol %v; want alice (facilitator) and bob (connected)", ids[alice.ID], ids[bob.ID], ids[carol.ID])
		}
		evs := rec.events()
		last := evs[len(evs)-1]
		if last.Kind != SeatsReleased || len(last.Released) != 1 || last.Released[0] != seatedAs(room, carol) || last.State == nil || len(last.State.Players) != 2 {
			t.Fatalf("last event %v released %v with state %v", last.Kind, last.Released, last.State)
		}
		t.Run("and the released player may join again", func(t *testing.T) {
			mustOK(t, room.Join(carol))
			if !seatedIDs(room.State())[carol.ID] {
				t.Fatal("carol is not seated")
			}
		})
	})

	t.Run("a seat used to act without connecting is kept", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{})
		mustOK(t, room.Vote(carol.ID, 3)) // a browser without JavaScript never connects
		clock.Advance(time.Hour)
		ids := seatedIDs(room.State())
		if !ids[carol.ID] || ids[bob.ID] {
			t.Fatalf("carol (voted) seated %v, bob (idle) seated %v", ids[carol.ID], ids[bob.ID])
		}
	})

	t.Run("a player who left keeps their seat while nobody needs it", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{}, alice, bob)
		room.Disconnect(bob.ID, nil)
		clock.Advance(24 * time.Hour)
		if !seatedIDs(room.State())[bob.ID] {
			t.Fatal("bob's seat went although the room is not full")
		}
	})

	t.Run("never, with a zero release time", func(t *testing.T) {
		room, clock, _ := roomWith(t, RegistryConfig{}, GameSettings{})
		clock.Advance(24 * time.Hour)
		if n := len(room.State().Players); n != 3 {
			t.Fatalf("%d players, want 3", n)
		}
	})

	t.Run("a flood of joins is released in a bounded number of events", func(t *testing.T) {
		room, clock, rec := roomWith(t, cfg, GameSettings{}, alice)
		for _, p := range fakes(200) { // one join every 600 ms for two minutes
			mustOK(t, room.Join(p))
			clock.Advance(release / 200)
		}
		clock.Advance(2 * release)
		if n := len(room.State().Players); n != 1 {
			t.Fatalf("%d players left, want alice alone", n)
		}
		if n := countKind(rec, SeatsReleased); n > releaseSweeps+2 {
			t.Fatalf("%d SeatsReleased events for 200 seats, want at most about %d", n, releaseSweeps)
		}
	})
}

func TestAFullRoomMakesRoomForTheTeam(t *testing.T) {
	const release = 2 * time.Minute
	// A room of 10: alice (facilitator), bob, carol and 7 seats a script took.
	fill := func(t *testing.T) (*Room, *fakeClock, []Player) {
		t.Helper()
		room, clock, _ := roomWith(t, RegistryConfig{SeatRelease: release}, GameSettings{MaxPlayers: 10}, alice, bob, carol)
		taken := fakes(7)
		for _, p := range taken {
			mustOK(t, room.Join(p))
		}
		return room, clock, taken
	}
	teammate := Player{ID: uuid.New(), Username: "teammate"}

	t.Run("fake seats hold the room full only until their release time", func(t *testing.T) {
		room, clock, taken := fill(t)
		wantCode(t, room.Join(teammate), EConflict)
		clock.Advance(release)
		mustOK(t, room.Join(teammate))
		ids := seatedIDs(room.State())
		for _, p := range taken {
			if ids[p.ID] {
				t.Fatalf("%s is still seated", p.Username)
			}
		}
	})

	t.Run("a newcomer takes the seat of the player away longest, past the release time", func(t *testing.T) {
		room, clock, taken := fill(t)
		for _, p := range taken { // the script's seats connected once, then left
			mustOK(t, room.Connect(p.ID, nil))
		}
		for _, p := range taken {
			room.Disconnect(p.ID, nil)
			clock.Advance(time.Second)
		}
		room.Disconnect(carol.ID, nil)              // carol steps out for a moment
		clock.Advance(release - 8*time.Second)      // the first of the script's seats left release-1s ago
		wantCode(t, room.Join(teammate), EConflict) // nobody has been away long enough yet
		clock.Advance(time.Second)                  // now it has been away long enough
		mustOK(t, room.Join(teammate))
		ids := seatedIDs(room.State())
		if ids[taken[0].ID] || !ids[taken[1].ID] || !ids[carol.ID] || !ids[teammate.ID] {
			t.Fatalf("first taken seat %v, second %v, carol %v, teammate %v", ids[taken[0].ID], ids[taken[1].ID], ids[carol.ID], ids[teammate.ID])
		}
		if n := len(room.State().Players); n != 10 {
			t.Fatalf("%d players, want 10", n)
		}
	})

	t.Run("the facilitator's seat is never released", func(t *testing.T) {
		reg, clock := newTestRegistry(t, RegistryConfig{SeatRelease: release, EmptyRoomGrace: time.Hour})
		room, err := reg.Create("", DefaultDeckID, GameSettings{MaxPlayers: 2})
		mustOK(t, err)
		mustOK(t, room.Join(alice)) // she never connects: she runs the room over the API
		mustOK(t, room.Join(bob))
		mustOK(t, room.Connect(bob.ID, nil))
		clock.Advance(24 * time.Hour)
		wantCode(t, room.Join(carol), EConflict)
		if st := room.State(); !stateOf(t, st, alice).Admin {
			t.Fatal("alice is no longer the facilitator")
		}
	})
}
