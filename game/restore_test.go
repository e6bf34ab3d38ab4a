package game

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// offline is st as it is once every player has left: nobody connected, nobody who left
// observing (observing is a choice made for one visit), everything else as it was.
func offline(st *State) *State {
	out := *st
	out.Players = append([]PlayerState(nil), st.Players...)
	for i, ps := range out.Players {
		if ps.Connected {
			out.Players[i].Connected, out.Players[i].Observing = false, false
		}
	}
	return &out
}

func TestRestartBringsBackEveryRoomAsItWas(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{})
	p := w.start()
	room := playSession(t, p.reg, w.clock)
	other, err := p.reg.Create("Other team", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, other.Join(carol))
	mustOK(t, other.Connect(carol.ID, nil))
	mustOK(t, other.Vote(carol.ID, 8))
	before, otherBefore := room.State(), other.State()

	p = w.restart(p)
	back := p.room(t, room.Code())
	if got, want := back.State(), offline(before); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the restart the room is\n%+v\nwant\n%+v", got, want)
	}
	if got, want := p.room(t, other.Code()).State(), offline(otherBefore); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the restart the other room is\n%+v\nwant\n%+v", got, want)
	}
	if p.reg.Len() != 2 {
		t.Fatalf("%d rooms after the restart, want 2", p.reg.Len())
	}
	// What the public state does not show: the votes of the open round, the passcode.
	for who, want := range map[Player]float64{alice: 5, bob: 3} {
		seat, err := back.Seat(who.ID)
		mustOK(t, err)
		if seat.Vote == nil || *seat.Vote != want {
			t.Errorf("%s's vote after the restart: %v, want %v", who.Username, seat.Vote, want)
		}
		if seat.Player.Alias != alias(back, who) || seat.Player.Alias != stateOf(t, before, who).Player.Alias {
			t.Errorf("%s's alias changed across the restart", who.Username)
		}
	}
	if err := back.CheckPasscode("open sesame"); err != nil {
		t.Errorf("the passcode no longer opens the room: %v", err)
	}
	if err := back.CheckPasscode("wrong"); err == nil {
		t.Error("a wrong passcode opens the room after the restart")
	}
	// The room's own deck is found under its id, and a new room's own deck gets another.
	deck, err := p.reg.Deck(before.Game.Deck.ID)
	mustOK(t, err)
	if !reflect.DeepEqual(deck, before.Game.Deck) {
		t.Fatalf("deck %d after the restart is %+v, want %+v", before.Game.Deck.ID, deck, before.Game.Deck)
	}
	fresh, err := p.reg.CreateWithCards("New", ownCards, GameSettings{})
	mustOK(t, err)
	if id := fresh.Game().Deck.ID; id == before.Game.Deck.ID {
		t.Fatalf("a new room's own deck took the restored room's id %d", id)
	}
	if fresh.Code() == room.Code() || fresh.Code() == other.Code() {
		t.Fatalf("a new room took the code %s of a restored one", fresh.Code())
	}

	// The room plays on: the same ids are seated, the round goes on with its votes, the
	// session record keeps its estimates.
	mustOK(t, back.Connect(alice.ID, &recorder{}))
	mustOK(t, back.Connect(bob.ID, &recorder{}))
	mustOK(t, back.Reveal(alice.ID))
	session, err := back.Session(alice.ID)
	mustOK(t, err)
	if len(session.Records) != 4 {
		t.Fatalf("%d rounds in the record, want 4", len(session.Records))
	}
	for i, want := range []string{"2", "3", "8 ☕", ""} {
		if got := session.Records[i].Estimate; got != want {
			t.Errorf("round %d's estimate is %q, want %q", i+1, got, want)
		}
	}
	last := session.Records[3]
	if last.TicketURL == nil || *last.TicketURL != "https://tracker.example/PROJ-4" || last.Results.Votes != 2 {
		t.Errorf("the round open at the restart was recorded as %+v", last)
	}
	mustOK(t, back.Durable(context.Background()))

	// Once more: what the restored room logged (the departures, the reveal) comes back too.
	want := offline(back.State())
	p = w.restart(p)
	if got := p.room(t, room.Code()).State(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a second restart the room is\n%+v\nwant\n%+v", got, want)
	}
}

func TestRestartKeepsTheRoundTimersDeadline(t *testing.T) {
	timed := GameSettings{RoundTimer: &RoundTimerSettings{Maximum: 10, Warning: 8}, Options: RoomOptions{RevealOnTimer: true}}

	t.Run("the reveal comes at the old deadline", func(t *testing.T) {
		w := newLoggedWorld(t, RegistryConfig{})
		p := w.start()
		room, err := p.reg.Create("Timed", DefaultDeckID, timed)
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		mustOK(t, room.StartRound(alice.ID, nil))
		deadline := w.clock.Now().Add(10 * time.Minute).UTC()
		w.clock.Advance(4 * time.Minute)

		p = w.restart(p)
		back := p.room(t, room.Code())
		if d := back.State().RoundDeadline; d == nil || !d.Equal(deadline) {
			t.Fatalf("deadline after the restart %v, want %v", d, deadline)
		}
		w.clock.Advance(6*time.Minute - time.Second)
		if st := back.State(); st.Round != RoundVoting {
			t.Fatalf("revealed a second before the deadline (%s)", st.Round)
		}
		w.clock.Advance(time.Second)
		st := back.State()
		if st.Round != RoundRevealed || len(st.Records) != 1 || !st.Records[0].RevealedAt.Equal(deadline) {
			t.Fatalf("at the deadline: round %s, records %+v; want revealed at %v", st.Round, st.Records, deadline)
		}
	})

	t.Run("a deadline passed while the server was down reveals at once", func(t *testing.T) {
		w := newLoggedWorld(t, RegistryConfig{})
		p := w.start()
		room, err := p.reg.Create("Timed", DefaultDeckID, timed)
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.StartRound(alice.ID, nil))
		p.log.crash()
		w.clock.Advance(25 * time.Minute) // down for a while (the dead process's timers write nothing)

		p = w.start()
		st := p.room(t, room.Code()).State()
		if st.Round != RoundRevealed || len(st.Records) != 1 || !st.Records[0].RevealedAt.Equal(w.clock.Now().UTC()) {
			t.Fatalf("after the restart: round %s, records %+v; want revealed now", st.Round, st.Records)
		}
	})
}

func TestRestartRearmsTheFacilitatorsAwayTimer(t *testing.T) {
	const away = 2 * time.Minute
	setup := func(t *testing.T) (*loggedWorld, *process, *Room) {
		w := newLoggedWorld(t, RegistryConfig{FacilitatorTimeout: away})
		p := w.start()
		room, err := p.reg.Create("Away", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Join(bob))
		mustOK(t, room.Connect(alice.ID, nil))
		mustOK(t, room.Connect(bob.ID, nil))
		return w, p, room
	}
	admin := func(t *testing.T, room *Room) string {
		for _, ps := range room.State().Players {
			if ps.Admin {
				return ps.Player.Username
			}
		}
		t.Fatal("nobody is the facilitator")
		return ""
	}

	t.Run("a facilitator who was here when the server stopped has the whole time to come back", func(t *testing.T) {
		w, p, room := setup(t)
		p = w.restart(p)
		back := p.room(t, room.Code())
		mustOK(t, back.Connect(bob.ID, nil))
		w.clock.Advance(away - time.Second)
		if got := admin(t, back); got != "alice" {
			t.Fatalf("the role passed to %s before the facilitator's time was up", got)
		}
		w.clock.Advance(time.Second)
		if got := admin(t, back); got != "bob" {
			t.Fatalf("the facilitator is %s once alice was away too long, want bob", got)
		}
	})

	t.Run("a facilitator who had left keeps only what was left of their time", func(t *testing.T) {
		w, p, room := setup(t)
		room.Disconnect(alice.ID, nil)
		w.clock.Advance(90 * time.Second)
		p.log.crash()
		p = w.start()
		back := p.room(t, room.Code())
		mustOK(t, back.Connect(bob.ID, nil))
		w.clock.Advance(30*time.Second - time.Millisecond)
		if got := admin(t, back); got != "alice" {
			t.Fatalf("the role passed to %s too early", got)
		}
		w.clock.Advance(time.Millisecond)
		if got := admin(t, back); got != "bob" {
			t.Fatalf("the facilitator is %s two minutes after alice left, want bob", got)
		}
	})
}

func TestRestartRearmsTheReleaseOfUnusedSeats(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{SeatRelease: 2 * time.Minute})
	p := w.start()
	room, err := p.reg.Create("Seats", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	mustOK(t, room.Connect(alice.ID, nil))
	mustOK(t, room.Join(bob)) // never connects
	w.clock.Advance(time.Minute)

	p = w.restart(p)
	back := p.room(t, room.Code())
	w.clock.Advance(time.Minute - time.Second)
	if back.seated() != 2 {
		t.Fatalf("%d seats before bob's seat was due, want 2", back.seated())
	}
	w.clock.Advance(time.Second)
	if _, err := back.Seat(bob.ID); CodeOf(err) != ENotSeated {
		t.Fatalf("bob's unused seat two minutes after his join: %v, want it let go", err)
	}
}

func TestRestoreRefusesAnotherAliasKey(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{})
	p := w.start()
	room, err := p.reg.Create("Keyed", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	p.log.crash()

	w.cfg.AliasKey = NewAliasKey()
	p = w.startUnchecked()
	err = p.reg.Restore(context.Background())
	if err == nil || !strings.Contains(err.Error(), room.Code()) || !strings.Contains(err.Error(), "alias key") {
		t.Fatalf("Restore with another alias key: %v, want an error naming room %s and the key", err, room.Code())
	}
	if !w.store.holds(room.Code()) {
		t.Fatal("the refused room's history was deleted")
	}
}

func TestRestoreRefusesADamagedHistory(t *testing.T) {
	for name, damage := range map[string]func([]LoggedEvent) []LoggedEvent{
		"an event that cannot be read": func(recs []LoggedEvent) []LoggedEvent {
			recs[2].Data = []byte(`{"v":1,`)
			return recs
		},
		"a gap": func(recs []LoggedEvent) []LoggedEvent { return append(recs[:2], recs[3:]...) },
		"a vote by nobody seated": func(recs []LoggedEvent) []LoggedEvent {
			data, err := EncodeEvent(&Event{Kind: VoteCast, Player: stranger, Value: 3, At: testStart})
			if err != nil {
				panic(err)
			}
			return append(recs, LoggedEvent{Seq: recs[len(recs)-1].Seq + 1, Kind: VoteCast, Data: data})
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newLoggedWorld(t, RegistryConfig{})
			p := w.start()
			room, err := p.reg.Create("Damaged", DefaultDeckID, GameSettings{})
			mustOK(t, err)
			mustOK(t, room.Join(alice))
			mustOK(t, room.Connect(alice.ID, nil))
			mustOK(t, room.Vote(alice.ID, 3))
			p.log.crash()
			w.store.mu.Lock()
			w.store.rooms[room.Code()] = damage(w.store.rooms[room.Code()])
			w.store.mu.Unlock()

			p = w.startUnchecked()
			err = p.reg.Restore(context.Background())
			if err == nil || !strings.Contains(err.Error(), room.Code()) {
				t.Fatalf("Restore of a damaged history: %v, want an error naming room %s", err, room.Code())
			}
		})
	}
}

func TestSnapshotsKeepReplayShort(t *testing.T) {
	play := func(t *testing.T, every int) (*loggedWorld, *State, int64) {
		w := newLoggedWorld(t, RegistryConfig{SnapshotEvery: every, AliasKey: []byte("one key for both worlds")})
		p := w.start()
		room := playSession(t, p.reg, w.clock)
		p = w.restart(p)
		st := p.room(t, room.Code()).State()
		st.Game.Settings.Passcode = PasscodeHash{} // salted at random in each world
		return w, st, w.store.replayed.Load()
	}
	const every = 5
	w, withSnapshots, replayed := play(t, every)
	_, without, replayedAll := play(t, 1_000_000)
	if !reflect.DeepEqual(withSnapshots, without) {
		t.Fatalf("from snapshots the room came back as\n%+v\nfrom its events alone as\n%+v", withSnapshots, without)
	}
	if replayedAll < 5*every || replayed >= every {
		t.Fatalf("replayed %d events with a snapshot every %d, %d without; want fewer than %d and at least %d",
			replayed, every, replayedAll, every, 5*every)
	}
	snapshots := 0
	for _, rec := range w.store.records("room001") {
		if rec.Snapshot {
			snapshots++
		}
	}
	if want := int(replayedAll) / every; snapshots < want {
		t.Fatalf("%d snapshots in the log, want at least %d", snapshots, want)
	}
}

func TestDurableWaitsForTheCommit(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{})
	w.store.hold = true
	p := w.start()
	room, err := p.reg.Create("Durable", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := room.Durable(ctx); err == nil {
		t.Fatal("Durable returned before the join was committed")
	}
	w.store.commit()
	mustOK(t, room.Durable(context.Background()))
}

func TestAnEventTheLogCannotTakeIsCountedAndTheRoomGoesOn(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{})
	p := w.start()
	room, err := p.reg.Create("Odd", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	mustOK(t, room.Join(bob))
	// No command emits what JSON cannot carry (votes are checked against the deck): the
	// event a bug elsewhere could make is made here by hand.
	room.mu.Lock()
	room.emit(&Event{Kind: VoteCast, Player: room.state.byID[alice.ID].player, Value: inf()})
	room.mu.Unlock()
	if n := p.reg.Stats().LogFailures; n != 2 {
		t.Fatalf("LogFailures = %d, want 2 (the event, then the snapshot in its place)", n)
	}
	mustOK(t, room.Vote(bob.ID, 3))
	mustOK(t, room.Durable(context.Background()))
	if seat, err := room.Seat(bob.ID); err != nil || seat.Vote == nil {
		t.Fatalf("the room did not go on: %v", err)
	}
}

func inf() float64 { var zero float64; return 1 / zero }

func TestASnapshotMendsAHistoryTheLogLostPartOf(t *testing.T) {
	for _, deaf := range []bool{false, true} {
		w := newLoggedWorld(t, RegistryConfig{})
		w.store.deaf = deaf
		p := w.start()
		room, err := p.reg.Create("Lossy", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		w.store.mu.Lock()
		w.store.lose = 1
		w.store.mu.Unlock()
		mustOK(t, room.Vote(alice.ID, 3)) // lost by the log
		mustOK(t, room.Join(bob))
		want := offline(room.State())

		p.log.crash()
		p = w.startUnchecked()
		err = p.reg.Restore(context.Background())
		if deaf {
			// A log that cannot ask for a snapshot leaves a hole nothing can be rebuilt past.
			if err == nil || !strings.Contains(err.Error(), "gap") {
				t.Fatalf("Restore over a hole in the history: %v, want an error saying so", err)
			}
			continue
		}
		mustOK(t, err)
		if got := p.room(t, room.Code()).State(); !reflect.DeepEqual(got, want) {
			t.Fatalf("after the lost event the room came back as\n%+v\nwant\n%+v", got, want)
		}
		seat, err := p.room(t, room.Code()).Seat(alice.ID)
		mustOK(t, err)
		if seat.Vote == nil || *seat.Vote != 3 {
			t.Fatalf("alice's vote, the event the log lost, came back as %v", seat.Vote)
		}
	}
}
