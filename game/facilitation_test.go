package game

import (
	"testing"
	"time"
)

// roomWith creates a Fibonacci room with the given settings; alice (facilitator), bob
// and carol join, and the listed players connect, in that order.
func roomWith(t *testing.T, cfg RegistryConfig, settings GameSettings, connected ...Player) (*Room, *fakeClock, *recorder) {
	t.Helper()
	if cfg.EmptyRoomGrace == 0 {
		cfg.EmptyRoomGrace = time.Hour
	}
	reg, clock := newTestRegistry(t, cfg)
	room, err := reg.Create("Team", DefaultDeckID, settings)
	mustOK(t, err)
	for _, p := range []Player{alice, bob, carol} {
		mustOK(t, room.Join(p))
	}
	for _, p := range connected {
		clock.Advance(time.Second) // so that "connected longest" is well defined
		mustOK(t, room.Connect(p.ID, nil))
	}
	rec := &recorder{}
	_, err = room.Subscribe(rec)
	mustOK(t, err)
	return room, clock, rec
}

func lastRevealCause(t *testing.T, rec *recorder) (Cause, bool) {
	t.Helper()
	evs := rec.events()
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == Revealed {
			return evs[i].Cause, true
		}
	}
	return 0, false
}

func TestAutoReveal(t *testing.T) {
	auto := GameSettings{Options: RoomOptions{AutoReveal: true}}

	t.Run("reveals when the last connected voter votes", func(t *testing.T) {
		room, _, rec := roomWith(t, RegistryConfig{}, auto, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		if st := room.State(); st.Round != RoundVoting || st.EveryoneVoted() {
			t.Fatalf("revealed after one of two votes: %v, everyone voted %v", st.Round, st.EveryoneVoted())
		}
		mustOK(t, room.Vote(bob.ID, 5)) // carol never connected: she does not hold the round up
		if st := room.State(); st.Round != RoundRevealed {
			t.Fatalf("round %v after every connected player voted", st.Round)
		}
		if cause, ok := lastRevealCause(t, rec); !ok || cause != AllVoted {
			t.Fatalf("reveal cause %v (%v), want AllVoted", cause, ok)
		}
	})
	t.Run("an observer does not hold the round up", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, auto, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.ToggleObserving(bob.ID))
		if st := room.State(); st.Round != RoundRevealed {
			t.Fatalf("round %v once the only non-voter observes", st.Round)
		}
	})
	t.Run("a non-voter who leaves no longer holds the round up", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, auto, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		room.Disconnect(bob.ID, nil)
		if st := room.State(); st.Round != RoundRevealed {
			t.Fatalf("round %v once the only non-voter left", st.Round)
		}
	})
	t.Run("off, the room only says everyone has voted", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.Vote(bob.ID, 5))
		if st := room.State(); st.Round != RoundVoting || !st.EveryoneVoted() {
			t.Fatalf("round %v, everyone voted %v", st.Round, st.EveryoneVoted())
		}
		t.Run("and switching it on then reveals at once", func(t *testing.T) {
			mustOK(t, room.SetOptions(alice.ID, RoomOptions{AutoReveal: true}))
			if st := room.State(); st.Round != RoundRevealed {
				t.Fatalf("round %v", st.Round)
			}
		})
	})
	t.Run("votes before the first round reveal nothing", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, auto, alice)
		mustOK(t, room.Vote(alice.ID, 3))
		if st := room.State(); st.Round != RoundInit || st.EveryoneVoted() {
			t.Fatalf("round %v, everyone voted %v", st.Round, st.EveryoneVoted())
		}
	})
}

func TestRevealOnTimer(t *testing.T) {
	timer := &RoundTimerSettings{Maximum: 3, Warning: 2}

	t.Run("the server reveals when the round's time is up", func(t *testing.T) {
		room, clock, rec := roomWith(t, RegistryConfig{}, GameSettings{RoundTimer: timer, Options: RoomOptions{RevealOnTimer: true}}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		deadline := room.State().RoundDeadline
		if deadline == nil || !deadline.Equal(clock.Now().Add(3*time.Minute)) {
			t.Fatalf("deadline %v, want three minutes from now", deadline)
		}
		clock.Advance(3*time.Minute - time.Second)
		if room.State().Round != RoundVoting {
			t.Fatal("revealed before the time was up")
		}
		clock.Advance(time.Second)
		if room.State().Round != RoundRevealed {
			t.Fatal("not revealed when the time was up")
		}
		if cause, _ := lastRevealCause(t, rec); cause != TimerRanOut {
			t.Fatalf("cause %v, want TimerRanOut", cause)
		}
	})
	t.Run("a restarted round gets its full time", func(t *testing.T) {
		room, clock, _ := roomWith(t, RegistryConfig{}, GameSettings{RoundTimer: timer, Options: RoomOptions{RevealOnTimer: true}}, alice)
		mustOK(t, room.StartRound(alice.ID, nil))
		clock.Advance(2 * time.Minute)
		mustOK(t, room.StartRound(alice.ID, nil))
		clock.Advance(2 * time.Minute) // the first round's time is up, not this one's
		if room.State().Round != RoundVoting {
			t.Fatal("the first round's timer revealed the second round")
		}
		clock.Advance(time.Minute)
		if room.State().Round != RoundRevealed {
			t.Fatal("the second round was not revealed at its own deadline")
		}
		if n := clock.Pending(); n != 0 {
			t.Fatalf("%d timers still pending after the round was revealed", n)
		}
	})
	t.Run("without the rule the round stays open past its time", func(t *testing.T) {
		room, clock, _ := roomWith(t, RegistryConfig{}, GameSettings{RoundTimer: timer}, alice)
		mustOK(t, room.StartRound(alice.ID, nil))
		clock.Advance(10 * time.Minute)
		if room.State().Round != RoundVoting {
			t.Fatal("revealed without the rule")
		}
		t.Run("and switching the rule on past the deadline reveals at once", func(t *testing.T) {
			mustOK(t, room.SetOptions(alice.ID, RoomOptions{RevealOnTimer: true}))
			if room.State().Round != RoundRevealed {
				t.Fatal("not revealed")
			}
		})
	})
	t.Run("the rule needs a round timer", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		_, err := reg.Create("", DefaultDeckID, GameSettings{Options: RoomOptions{RevealOnTimer: true}})
		wantCode(t, err, EInvalid)
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
		wantCode(t, room.SetOptions(alice.ID, RoomOptions{RevealOnTimer: true}), EInvalid)
	})
}

func TestFacilitatorFreeRoom(t *testing.T) {
	room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{Options: RoomOptions{FacilitatorFree: true}}, alice, bob)
	mustOK(t, room.StartRound(bob.ID, nil))
	mustOK(t, room.Reveal(carol.ID))
	mustOK(t, room.SetEstimate(bob.ID, 1, "5"))
	if _, err := room.Session(bob.ID); err != nil {
		t.Fatalf("a player of a facilitator-free room cannot take the record: %v", err)
	}
	t.Run("the rules stay the facilitator's", func(t *testing.T) {
		wantCode(t, room.SetOptions(bob.ID, RoomOptions{}), EForbidden)
		wantCode(t, room.Remove(bob.ID, alias(room, carol)), EForbidden)
		wantCode(t, room.HandOff(bob.ID, alias(room, bob)), EForbidden)
	})
	t.Run("in an ordinary room only the facilitator runs rounds", func(t *testing.T) {
		mustOK(t, room.SetOptions(alice.ID, RoomOptions{}))
		wantCode(t, room.StartRound(bob.ID, nil), EForbidden)
		wantCode(t, room.Reveal(bob.ID), EForbidden)
		wantCode(t, room.SetEstimate(bob.ID, 1, "8"), EForbidden)
		_, err := room.Session(bob.ID)
		wantCode(t, err, EForbidden)
	})
}

func TestHandOff(t *testing.T) {
	t.Run("the facilitator passes the role to a connected player", func(t *testing.T) {
		room, _, rec := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.HandOff(alice.ID, alias(room, bob)))
		st := room.State()
		if stateOf(t, st, alice).Admin || !stateOf(t, st, bob).Admin {
			t.Fatalf("admins after hand-off: alice %v bob %v", stateOf(t, st, alice).Admin, stateOf(t, st, bob).Admin)
		}
		evs := rec.events()
		last := evs[len(evs)-1]
		if last.Kind != FacilitatorChanged || last.Player != seatedAs(room, bob) || last.Cause != ByHand || last.State == nil || !stateOf(t, last.State, bob).Admin {
			t.Fatalf("last event %v %v %v", last.Kind, last.Player, last.Cause)
		}
		wantCode(t, room.Reveal(alice.ID), EForbidden)
		mustOK(t, room.Reveal(bob.ID))
	})
	for _, tc := range []struct {
		name    string
		by, to  Player
		errCode ErrorCode
	}{
		{"not to an offline player", alice, carol, EConflict},
		{"not to themself", alice, alice, EInvalid},
		{"not to a stranger", alice, stranger, ENotSeated},
		{"not by someone else", bob, bob, EForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
			wantCode(t, room.HandOff(tc.by.ID, alias(room, tc.to)), tc.errCode)
			if !stateOf(t, room.State(), alice).Admin {
				t.Fatal("alice lost the role")
			}
		})
	}
}

func TestFacilitatorAwayHandsOff(t *testing.T) {
	timeout := 2 * time.Minute
	cfg := RegistryConfig{FacilitatorTimeout: timeout}

	t.Run("to the player connected longest, once the timeout has passed", func(t *testing.T) {
		room, clock, rec := roomWith(t, cfg, GameSettings{}, alice, carol, bob) // carol arrives before bob
		room.Disconnect(alice.ID, nil)
		clock.Advance(timeout - time.Second)
		if !stateOf(t, room.State(), alice).Admin {
			t.Fatal("the role passed before the timeout")
		}
		clock.Advance(time.Second)
		st := room.State()
		if !stateOf(t, st, carol).Admin || stateOf(t, st, alice).Admin {
			t.Fatalf("after the timeout: alice %v carol %v bob %v", stateOf(t, st, alice).Admin, stateOf(t, st, carol).Admin, stateOf(t, st, bob).Admin)
		}
		evs := rec.events()
		if last := evs[len(evs)-1]; last.Kind != FacilitatorChanged || last.Cause != AwayTimeout {
			t.Fatalf("last event %v cause %v", last.Kind, last.Cause)
		}
		t.Run("and the old facilitator comes back as a player", func(t *testing.T) {
			mustOK(t, room.Connect(alice.ID, nil))
			if stateOf(t, room.State(), alice).Admin {
				t.Fatal("alice took the role back")
			}
		})
	})
	t.Run("to the player connected longest, not the one who joined last", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{}, alice, bob, carol)
		room.Disconnect(alice.ID, nil)
		clock.Advance(timeout)
		if !stateOf(t, room.State(), bob).Admin {
			t.Fatal("bob, here the longest, did not get the role")
		}
	})
	t.Run("to the player connected longest, though they opened a second tab since", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{}, alice, carol, bob) // carol arrives before bob
		clock.Advance(time.Minute)
		mustOK(t, room.Connect(carol.ID, &recorder{})) // a second tab, after bob arrived
		clock.Advance(time.Minute)
		room.Disconnect(carol.ID, nil) // and she closes the first one
		room.Disconnect(alice.ID, nil)
		clock.Advance(timeout)
		if st := room.State(); !stateOf(t, st, carol).Admin {
			t.Fatalf("the role went to bob (%v), not to carol, here since before him", stateOf(t, st, bob).Admin)
		}
	})
	t.Run("not when the facilitator is back in time", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{}, alice, bob)
		room.Disconnect(alice.ID, nil)
		clock.Advance(timeout / 2)
		mustOK(t, room.Connect(alice.ID, nil))
		clock.Advance(timeout)
		if !stateOf(t, room.State(), alice).Admin {
			t.Fatal("the role passed although alice came back")
		}
		t.Run("and a later absence gets the full timeout again", func(t *testing.T) {
			room.Disconnect(alice.ID, nil)
			clock.Advance(timeout - time.Second)
			if !stateOf(t, room.State(), alice).Admin {
				t.Fatal("the role passed early")
			}
			clock.Advance(time.Second)
			if !stateOf(t, room.State(), bob).Admin {
				t.Fatal("the role did not pass")
			}
		})
	})
	t.Run("to the first player who connects, when nobody was there at the timeout", func(t *testing.T) {
		room, clock, _ := roomWith(t, cfg, GameSettings{}) // alice joined first but never connected
		clock.Advance(time.Hour)
		mustOK(t, room.Connect(bob.ID, nil))
		if st := room.State(); !stateOf(t, st, alice).Admin {
			t.Fatal("the role passed at once, before bob had waited the timeout")
		}
		clock.Advance(timeout)
		if !stateOf(t, room.State(), bob).Admin {
			t.Fatal("bob did not become facilitator")
		}
	})
	t.Run("never, with a zero timeout", func(t *testing.T) {
		room, clock, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		room.Disconnect(alice.ID, nil)
		clock.Advance(24 * time.Hour)
		if !stateOf(t, room.State(), alice).Admin {
			t.Fatal("the role passed")
		}
	})
}

func TestRemovePlayer(t *testing.T) {
	room, _, watcher := roomWith(t, RegistryConfig{}, GameSettings{Options: RoomOptions{AutoReveal: true}}, alice, carol)
	bobTab := &recorder{}
	mustOK(t, room.Connect(bob.ID, bobTab))
	mustOK(t, room.StartRound(alice.ID, nil))
	mustOK(t, room.Vote(alice.ID, 3))
	mustOK(t, room.Vote(carol.ID, 5))

	mustOK(t, room.Remove(alice.ID, alias(room, bob)))
	st := room.State()
	for _, p := range st.Players {
		if p.Player.ID == bob.ID {
			t.Fatal("bob is still in the room")
		}
	}
	t.Run("the removed player's connections are told, then hear nothing more", func(t *testing.T) {
		evs := bobTab.events()
		if last := evs[len(evs)-1]; last.Kind != PlayerRemoved || last.Player != seatedAs(room, bob) {
			t.Fatalf("bob's last event %v %v", last.Kind, last.Player)
		}
	})
	t.Run("the room carries on without them: the waiting round reveals", func(t *testing.T) {
		if st.Round != RoundRevealed {
			t.Fatalf("round %v", st.Round)
		}
		if cause, _ := lastRevealCause(t, watcher); cause != AllVoted {
			t.Fatalf("cause %v", cause)
		}
		if n := len(st.Current().Votes); n != 2 {
			t.Fatalf("the record has %d votes, want alice's and carol's", n)
		}
	})
	t.Run("their seat is gone, and a later disconnect changes nothing", func(t *testing.T) {
		_, err := room.Seat(bob.ID)
		wantCode(t, err, ENotSeated)
		room.Disconnect(bob.ID, bobTab)
		room.Disconnect(bob.ID, nil)
		if got := room.State(); !stateOf(t, got, alice).Connected || !stateOf(t, got, carol).Connected {
			t.Fatal("the others were disconnected")
		}
	})
	t.Run("they may join again, as a player", func(t *testing.T) {
		mustOK(t, room.Join(bob))
		if stateOf(t, room.State(), bob).Admin {
			t.Fatal("bob came back as facilitator")
		}
	})
	t.Run("the facilitator cannot remove themself, nor can others remove anyone", func(t *testing.T) {
		wantCode(t, room.Remove(alice.ID, alias(room, alice)), EInvalid)
		wantCode(t, room.Remove(carol.ID, alias(room, bob)), EForbidden)
		wantCode(t, room.Remove(alice.ID, alias(room, stranger)), ENotSeated)
	})
}

func TestRemovingTheLastConnectedPlayerEmptiesTheRoom(t *testing.T) {
	reg, _ := newTestRegistry(t, RegistryConfig{}) // grace 0: deleted at once
	room, err := reg.Create("", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	mustOK(t, room.Join(bob))
	mustOK(t, room.Connect(bob.ID, nil))
	// The facilitator acts over an API that keeps no connection open.
	mustOK(t, room.Remove(alice.ID, alias(room, bob)))
	if _, err := reg.Room(room.Code()); CodeOf(err) != ENotFound {
		t.Fatalf("the empty room is still open: %v", err)
	}
}

func TestRoomCapacity(t *testing.T) {
	for _, tc := range []struct {
		name            string
		serverCap, room int
		seats           int
	}{
		{"the room's own cap", 0, 2, 2},
		{"the server's cap when it is lower", 2, 5, 2},
		{"the room's cap when it is lower", 5, 2, 2},
		{"no cap", 0, 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg, _ := newTestRegistry(t, RegistryConfig{MaxPlayersPerRoom: tc.serverCap})
			room, err := reg.Create("", DefaultDeckID, GameSettings{MaxPlayers: tc.room})
			mustOK(t, err)
			for i, p := range []Player{alice, bob, carol} {
				err := room.Join(p)
				if i < tc.seats {
					mustOK(t, err)
				} else {
					wantCode(t, err, EConflict)
				}
			}
			t.Run("a seated player may join again", func(t *testing.T) {
				mustOK(t, room.Join(alice))
			})
		})
	}
	t.Run("a cap out of range is refused", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		for _, n := range []int{-1, MaxPlayersLimit + 1} {
			_, err := reg.Create("", DefaultDeckID, GameSettings{MaxPlayers: n})
			wantCode(t, err, EInvalid)
		}
	})
}

func TestSessionRecord(t *testing.T) {
	room, clock, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
	play := func(ticket *string, a, b float64) {
		mustOK(t, room.StartRound(alice.ID, ticket))
		clock.Advance(90 * time.Second)
		mustOK(t, room.Vote(alice.ID, a))
		mustOK(t, room.Vote(bob.ID, b))
		mustOK(t, room.Reveal(alice.ID))
	}
	play(ptr("https://tracker.example/PP-1"), 3, 5)
	play(nil, 8, 8)
	mustOK(t, room.StartRound(alice.ID, nil)) // a round that is never revealed is not recorded
	play(nil, 1, 2)

	st := room.State()
	if len(st.Records) != 3 {
		t.Fatalf("%d records, want 3", len(st.Records))
	}
	first := st.Records[0]
	if first.Number != 1 || *first.TicketURL != "https://tracker.example/PP-1" || first.Duration() != 90*time.Second {
		t.Fatalf("first record: round %d ticket %v duration %v", first.Number, first.TicketURL, first.Duration())
	}
	if got := st.Records[2].Number; got != 4 {
		t.Fatalf("the third record is round %d, want 4 (round 3 was restarted before its reveal)", got)
	}
	if *first.Results.Average != 4 || first.Votes[1].Card.Label != "5" {
		t.Fatalf("first record: average %v, bob's card %v", *first.Results.Average, first.Votes[1].Card)
	}

	t.Run("the agreed estimate is kept, and survives a second reveal", func(t *testing.T) {
		mustOK(t, room.SetEstimate(alice.ID, 4, " 2 "))
		mustOK(t, room.Vote(bob.ID, 3))
		mustOK(t, room.Reveal(alice.ID))
		st := room.State()
		last := st.Records[2]
		if len(st.Records) != 3 || last.Estimate != "2" || last.Votes[1].Card.Label != "3" {
			t.Fatalf("%d records; last: estimate %q, bob's card %v", len(st.Records), last.Estimate, last.Votes[1].Card)
		}
		if st.Current() != last {
			t.Fatal("the round on show is not the last record")
		}
	})

	t.Run("an estimate is cleaned like a name", func(t *testing.T) {
		mustOK(t, room.SetEstimate(alice.ID, 4, "\u202e8\u200b pts\x07"))
		if got := room.State().Records[2].Estimate; got != "8 pts" {
			t.Fatalf("estimate %q, want %q", got, "8 pts")
		}
	})
	t.Run("records already taken do not change", func(t *testing.T) {
		before := room.State().Records[0]
		mustOK(t, room.SetEstimate(alice.ID, 1, "5"))
		if before.Estimate != "" || room.State().Records[0].Estimate != "5" {
			t.Fatalf("old copy %q, new %q", before.Estimate, room.State().Records[0].Estimate)
		}
	})
	t.Run("an estimate needs a revealed round and a short text", func(t *testing.T) {
		wantCode(t, room.SetEstimate(alice.ID, 3, "5"), ENotFound)
		wantCode(t, room.SetEstimate(alice.ID, 1, "a very long estimate indeed"), EInvalid)
	})
}
