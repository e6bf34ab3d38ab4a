package game

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// panicky is a subscriber with a bug: it panics on the first reveal it is given.
type panicky struct {
	once sync.Once
}

func (p *panicky) Deliver(ev *Event) {
	if ev.Kind == Revealed {
		p.once.Do(func() { panic("a bug met in a timer") })
	}
}

// TestAPanicInARoomTimerIsReportedAndTheRoomCarriesOn: a room's timers are its own
// goroutines; a panic in one must end neither the process nor the room.
func TestAPanicInARoomTimerIsReportedAndTheRoomCarriesOn(t *testing.T) {
	type report struct {
		v     any
		stack string
	}
	var mu sync.Mutex
	var reports []report
	onPanic := func(v any, stack []byte) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, report{v, string(stack)})
	}
	timer := &RoundTimerSettings{Maximum: 2, Warning: 1}
	room, clock, _ := roomWith(t, RegistryConfig{OnPanic: onPanic},
		GameSettings{RoundTimer: timer, Options: RoomOptions{RevealOnTimer: true}}, alice, bob)
	_, err := room.Subscribe(&panicky{})
	mustOK(t, err)
	other, err := room.Subscribe(&recorder{}) // a second room-wide view, to see what follows
	mustOK(t, err)
	defer other()

	mustOK(t, room.StartRound(alice.ID, nil))
	clock.Advance(2 * time.Minute) // the round timer reveals, and the subscriber panics

	mu.Lock()
	got := append([]report(nil), reports...)
	mu.Unlock()
	if len(got) != 1 || got[0].v != "a bug met in a timer" || !strings.Contains(got[0].stack, "panicky") {
		t.Fatalf("reports %+v, want one with the panic and its stack", got)
	}

	// The room's lock was released: it goes on working, and its other timers run.
	done := make(chan struct{})
	go func() {
		defer close(done)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(bob.ID, 5))
		mustOK(t, room.Reveal(alice.ID))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the room stayed locked after the panic")
	}
	if st := room.State(); st.Round != RoundRevealed || st.RoundNumber != 2 {
		t.Fatalf("round %v number %d", st.Round, st.RoundNumber)
	}
	mustOK(t, room.StartRound(alice.ID, nil))
	clock.Advance(2 * time.Minute)
	if st := room.State(); st.Round != RoundRevealed || st.RoundNumber != 3 {
		t.Fatalf("the round timer did not reveal after the panic: round %v number %d", st.Round, st.RoundNumber)
	}
}

func TestAPanicInARegistryTimerIsReported(t *testing.T) {
	reported := make(chan any, 1)
	reg, clock := newTestRegistry(t, RegistryConfig{UnusedRoomTTL: time.Minute, OnPanic: func(v any, _ []byte) { reported <- v }})
	room, err := reg.Create("", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	_, err = room.Subscribe(&closePanics{})
	mustOK(t, err)
	clock.Advance(time.Minute) // the unused room is deleted, and its subscriber panics
	select {
	case v := <-reported:
		if v != "closing" {
			t.Fatalf("reported %v", v)
		}
	default:
		t.Fatal("the panic was not reported")
	}
	if _, err := reg.Room(room.Code()); CodeOf(err) != ENotFound || reg.Len() != 0 {
		t.Fatalf("the room whose closing panicked is still held: %v, %d rooms", err, reg.Len())
	}
	if _, err := reg.Create("", DefaultDeckID, GameSettings{}); err != nil {
		t.Fatalf("the registry does not work after the panic: %v", err)
	}
}

type closePanics struct{}

func (closePanics) Deliver(ev *Event) {
	if ev.Kind == RoomClosed {
		panic("closing")
	}
}
