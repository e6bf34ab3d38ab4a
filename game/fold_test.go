package game

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestStateIsTheFoldOfEvents replays what a room emitted into a fresh roomState and
// compares the result with the room's own state after every command. The RoomCreated
// event is emitted before anyone can subscribe, so it is rebuilt from the room's GameInfo.
func TestStateIsTheFoldOfEvents(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Minute, SeatRelease: 5 * time.Minute, MaxRecordRounds: 1})
	room, err := reg.Create("Fold", DefaultDeckID, GameSettings{RoundTimer: &RoundTimerSettings{Maximum: 3, Warning: 2}})
	mustOK(t, err)
	rec := &recorder{}
	room.Subscribe(rec)
	game := room.Game()
	tab1, tab2 := &recorder{}, &recorder{}

	steps := []struct {
		name string
		do   func() error
	}{
		{"created", func() error { return nil }},
		{"alice joins", func() error { return room.Join(alice) }},
		{"bob joins", func() error { return room.Join(bob) }},
		{"carol joins", func() error { return room.Join(carol) }},
		{"alice connects", func() error { return room.Connect(alice.ID, nil) }},
		{"bob connects twice", func() error {
			if err := room.Connect(bob.ID, tab1); err != nil {
				return err
			}
			return room.Connect(bob.ID, tab2)
		}},
		{"bob votes before a round", func() error { return room.Vote(bob.ID, 2) }},
		{"round starts with a ticket", func() error {
			clock.Advance(10 * time.Second)
			return room.StartRound(alice.ID, ptr("https://Example.com/T-1"))
		}},
		{"alice votes", func() error { return room.Vote(alice.ID, 13) }},
		{"carol observes and votes", func() error {
			if err := room.ToggleObserving(carol.ID); err != nil {
				return err
			}
			return room.Vote(carol.ID, 0.5)
		}},
		{"bob observes", func() error { return room.ToggleObserving(bob.ID) }},
		{"bob closes one tab", func() error { room.Disconnect(bob.ID, tab1); return nil }},
		{"bob votes", func() error { return room.Vote(bob.ID, 100) }},
		{"reveal", func() error { return room.Reveal(alice.ID) }},
		{"bob closes his last tab", func() error { room.Disconnect(bob.ID, tab2); return nil }},
		{"alice changes her vote after reveal", func() error { return room.Vote(alice.ID, 21) }},
		{"reveal again", func() error { return room.Reveal(alice.ID) }},
		{"bob uses his page without scripts, then leaves it for longer than the window", func() error {
			if err := room.Touch(bob.ID); err != nil {
				return err
			}
			clock.Advance(PresenceWindow)
			return nil
		}},
		{"round starts without a ticket", func() error {
			clock.Advance(time.Minute)
			return room.StartRound(alice.ID, nil)
		}},
		{"carol uses her page without scripts", func() error { return room.Touch(carol.ID) }},
		{"carol connects, her stream taking over from the page", func() error { return room.Connect(carol.ID, nil) }},
		{"the estimate of round 1 is set", func() error { return room.SetEstimate(alice.ID, 1, "13") }},
		{"auto-reveal is switched on, and the last voter votes", func() error {
			if err := room.SetOptions(alice.ID, RoomOptions{AutoReveal: true, HideNames: true}); err != nil {
				return err
			}
			return room.Vote(alice.ID, 5)
		}},
		{"alice hands the role to carol", func() error { return room.HandOff(alice.ID, alias(room, carol)) }},
		{"carol removes bob", func() error { return room.Remove(carol.ID, alias(room, bob)) }},
		{"the seats of two who never came are released", func() error {
			for _, p := range []Player{stranger, {ID: uuid.New(), Username: "dave"}} {
				if err := room.Join(p); err != nil {
					return err
				}
			}
			clock.Advance(5 * time.Minute)
			if n := len(room.State().Players); n != 2 {
				return fmt.Errorf("%d players after the release, want alice and carol", n)
			}
			return nil
		}},
		{"another round pushes the one before out of the record", func() error {
			if err := room.StartRound(carol.ID, nil); err != nil {
				return err
			}
			if err := room.Reveal(carol.ID); err != nil {
				return err
			}
			if recs := room.State().Records; len(recs) != 1 || recs[0].Number != 3 {
				return fmt.Errorf("the record holds %d rounds, want round 3 alone", len(recs))
			}
			return nil
		}},
		{"everyone leaves and the room closes", func() error {
			room.Disconnect(alice.ID, nil)
			room.Disconnect(carol.ID, nil)
			clock.Advance(time.Minute)
			return nil
		}},
	}
	for _, step := range steps {
		mustOK(t, step.do())
		fold := newRoomState()
		fold.apply(&Event{Seq: 1, Kind: RoomCreated, At: testStart.UTC(), Game: &game, RecordLimit: 1})
		wantSeq := uint64(2)
		for _, ev := range rec.events() {
			if ev.Kind == Snapshot {
				continue
			}
			if ev.Seq != wantSeq {
				t.Fatalf("after %q: event %v has Seq %d, want %d", step.name, ev.Kind, ev.Seq, wantSeq)
			}
			wantSeq++
			fold.apply(ev)
		}
		if got, want := fold.snapshot(), room.State(); !reflect.DeepEqual(got, want) {
			t.Fatalf("after %q the fold of the events is\n%+v\nbut the room's state is\n%+v", step.name, got, want)
		}
	}

	t.Run("the recorded history ends with the room closing", func(t *testing.T) {
		evs := rec.events()
		if last := evs[len(evs)-1]; last.Kind != RoomClosed {
			t.Fatalf("last event %v, want RoomClosed", last.Kind)
		}
	})
}
