package game

import (
	"testing"
	"time"
)

func TestRevealGrace(t *testing.T) {
	const grace = 5 * time.Second
	auto := GameSettings{Options: RoomOptions{AutoReveal: true}}
	cfg := RegistryConfig{RevealGrace: grace}
	// A round where alice has voted and bob, who has not, is the one everyone waits for.
	waitingForBob := func(t *testing.T, also ...Player) (*Room, *fakeClock, *recorder) {
		t.Helper()
		room, clock, rec := roomWith(t, cfg, auto, append([]Player{alice, bob}, also...)...)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		return room, clock, rec
	}
	wantRound := func(t *testing.T, room *Room, want RoundState) {
		t.Helper()
		if got := room.State().Round; got != want {
			t.Fatalf("round %v, want %v", got, want)
		}
	}

	t.Run("a non-voter who reloads the page does not reveal the round", func(t *testing.T) {
		room, clock, _ := waitingForBob(t)
		room.Disconnect(bob.ID, nil)
		clock.Advance(300 * time.Millisecond)
		wantRound(t, room, RoundVoting)
		mustOK(t, room.Connect(bob.ID, nil))
		clock.Advance(time.Hour) // the grace's timer finds him back
		wantRound(t, room, RoundVoting)
		mustOK(t, room.Vote(bob.ID, 5))
		wantRound(t, room, RoundRevealed)
	})

	t.Run("a non-voter who stays away no longer holds the round up once the grace is over", func(t *testing.T) {
		room, clock, rec := waitingForBob(t)
		room.Disconnect(bob.ID, nil)
		clock.Advance(grace - time.Millisecond)
		wantRound(t, room, RoundVoting)
		clock.Advance(time.Millisecond)
		wantRound(t, room, RoundRevealed)
		if cause, ok := lastRevealCause(t, rec); !ok || cause != AllVoted {
			t.Fatalf("reveal cause %v (%v), want AllVoted", cause, ok)
		}
	})

	t.Run("a grace begun earlier does not cut a later absence short", func(t *testing.T) {
		room, clock, _ := waitingForBob(t)
		room.Disconnect(bob.ID, nil)
		clock.Advance(time.Second)
		mustOK(t, room.Connect(bob.ID, nil))
		clock.Advance(2 * time.Second)
		room.Disconnect(bob.ID, nil) // leaves again, 3 s after he first left
		clock.Advance(grace - time.Millisecond)
		wantRound(t, room, RoundVoting)
		clock.Advance(time.Millisecond)
		wantRound(t, room, RoundRevealed)
	})

	t.Run("the round waits for the last of several who left", func(t *testing.T) {
		room, clock, _ := waitingForBob(t, carol)
		room.Disconnect(bob.ID, nil)
		clock.Advance(2 * time.Second)
		room.Disconnect(carol.ID, nil)
		clock.Advance(grace - time.Second) // bob's grace is over, carol's is not
		wantRound(t, room, RoundVoting)
		clock.Advance(time.Second)
		wantRound(t, room, RoundRevealed)
	})

	t.Run("who leaves having voted, or observing, holds nothing up", func(t *testing.T) {
		room, _, _ := waitingForBob(t, carol)
		mustOK(t, room.ToggleObserving(carol.ID))
		room.Disconnect(carol.ID, nil)
		mustOK(t, room.Vote(bob.ID, 5))
		wantRound(t, room, RoundRevealed)

		room, _, _ = waitingForBob(t)
		mustOK(t, room.Vote(bob.ID, 5))
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(bob.ID, 8))
		room.Disconnect(bob.ID, nil)
		mustOK(t, room.Vote(alice.ID, 8))
		wantRound(t, room, RoundRevealed)
	})

	t.Run("without a grace the round reveals as soon as the non-voter leaves", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, auto, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		room.Disconnect(bob.ID, nil)
		wantRound(t, room, RoundRevealed)
	})
}
