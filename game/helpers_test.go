package game

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
)

var (
	alice    = Player{ID: uuid.MustParse("a11ce000-0000-4000-8000-000000000001"), Username: "alice"}
	bob      = Player{ID: uuid.MustParse("b0b00000-0000-4000-8000-000000000002"), Username: "bob"}
	carol    = Player{ID: uuid.MustParse("ca401000-0000-4000-8000-000000000003"), Username: "carol"}
	stranger = Player{ID: uuid.MustParse("57a00000-0000-4000-8000-000000000004"), Username: "stranger"} // never joins
)

// testStart is not in UTC, so that tests can tell that the room stores UTC times.
var testStart = time.Date(2024, 5, 1, 14, 34, 56, 789012000, time.FixedZone("CEST", 2*60*60))

// recorder is a Subscriber that keeps every event it is given.
type recorder struct {
	mu  sync.Mutex
	evs []*Event
}

func (r *recorder) Deliver(ev *Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evs = append(r.evs, ev)
}

func (r *recorder) events() []*Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*Event(nil), r.evs...)
}

func (r *recorder) kinds() []EventKind {
	var out []EventKind
	for _, ev := range r.events() {
		out = append(out, ev.Kind)
	}
	return out
}

// codeSeq returns the given codes in turn, then repeats the last one.
func codeSeq(codes ...string) CodeGenerator {
	i := 0
	return func() string {
		c := codes[min(i, len(codes)-1)]
		i++
		return c
	}
}

// newTestRegistry fills in the Fibonacci-only deck store, a fake clock and a generator of
// distinct codes where cfg leaves them out.
func newTestRegistry(t *testing.T, cfg RegistryConfig) (*Registry, *fakeClock) {
	t.Helper()
	clock := newFakeClock(testStart)
	cfg.Clock = clock
	if cfg.Decks == nil {
		db, err := NewMemoryDeckDB(nil)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Decks = db
	}
	if cfg.NewCode == nil {
		n := 0
		cfg.NewCode = func() string { n++; return fmt.Sprintf("c%03d", n) }
	}
	return NewRegistry(cfg), clock
}

// newTestRoom returns a Fibonacci room that alice (the facilitator) and bob have joined.
// Its registry keeps empty rooms for an hour that the clock never reaches unless a test
// advances it, so closing the last connection does not delete the room.
func newTestRoom(t *testing.T) (*Room, *fakeClock) {
	t.Helper()
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Hour})
	room, err := reg.Create("Sprint 12", DefaultDeckID, GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	mustOK(t, room.Join(alice))
	mustOK(t, room.Join(bob))
	return room, clock
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code ErrorCode) {
	t.Helper()
	if CodeOf(err) != code {
		t.Fatalf("error %v has code %q, want %q", err, CodeOf(err), code)
	}
}

// stateOf returns the state of player p in st.
func stateOf(t *testing.T, st *State, p Player) PlayerState {
	t.Helper()
	for _, ps := range st.Players {
		if ps.Player.ID == p.ID {
			return ps
		}
	}
	t.Fatalf("player %s is not in the state", p.Username)
	return PlayerState{}
}

func ptr[T any](v T) *T { return &v }

// alias is how the others in the room name p (also for a player who is not seated).
func alias(room *Room, p Player) uuid.UUID { return aliasOf(room.aliasKey, room.Code(), p.ID) }

// seatedAs is p as the room seats it, with its alias.
func seatedAs(room *Room, p Player) Player {
	p.Alias = alias(room, p)
	return p
}
