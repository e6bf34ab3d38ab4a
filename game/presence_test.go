package game

import (
	"testing"
	"time"
)

// pageEvents is the presence-by-request events among evs, as kinds.
func pageEvents(evs []*Event) []EventKind {
	var out []EventKind
	for _, ev := range evs {
		if ev.ByPage {
			out = append(out, ev.Kind)
		}
	}
	return out
}

func connected(t *testing.T, room *Room, p Player) bool {
	t.Helper()
	for _, ps := range room.State().Players {
		if ps.Player.ID == p.ID {
			return ps.Connected
		}
	}
	t.Fatalf("%s is not seated", p.Username)
	return false
}

func TestPresenceByRequest(t *testing.T) {
	t.Run("a request marks the player present until the window passes without another", func(t *testing.T) {
		room, clock, rec := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
		if connected(t, room, bob) {
			t.Fatal("bob is online before any request")
		}
		mustOK(t, room.Touch(bob.ID))
		if !connected(t, room, bob) {
			t.Fatal("bob is offline right after a request from his page")
		}
		clock.Advance(PresenceWindow - time.Second)
		mustOK(t, room.Touch(bob.ID)) // he uses the page again: the window starts over
		clock.Advance(PresenceWindow - time.Second)
		if !connected(t, room, bob) {
			t.Fatal("bob went offline while he kept using his page")
		}
		clock.Advance(time.Second)
		if connected(t, room, bob) {
			t.Fatal("bob is still online a whole window after his last request")
		}
		got := pageEvents(rec.events())
		if len(got) != 2 || got[0] != SocketOpened || got[1] != SocketClosed {
			t.Fatalf("presence events %v, want one SocketOpened and one SocketClosed", got)
		}
		last := rec.events()[len(rec.events())-1]
		if last.Kind != SocketClosed || !last.LastSocket || last.Player.ID != bob.ID {
			t.Fatalf("last event %v (last socket %v), want bob's last connection closed", last.Kind, last.LastSocket)
		}
	})

	t.Run("a stream that opens takes over from the page", func(t *testing.T) {
		room, _, rec := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
		mustOK(t, room.Touch(bob.ID))
		tab := &recorder{}
		mustOK(t, room.Connect(bob.ID, tab))
		room.Disconnect(bob.ID, tab)
		if connected(t, room, bob) {
			t.Fatal("bob is online after closing his only stream: the page's presence outlived it")
		}
		if got := pageEvents(rec.events()); len(got) != 2 {
			t.Fatalf("presence events %v, want the page's presence opened and handed over", got)
		}
	})

	t.Run("a request changes nothing while a stream speaks for the player", func(t *testing.T) {
		room, clock, rec := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		before := len(rec.events())
		mustOK(t, room.Touch(bob.ID))
		clock.Advance(PresenceWindow)
		if n := len(rec.events()); n != before {
			t.Fatalf("%d events from a request of a connected player, want none", n-before)
		}
	})

	t.Run("leaving the page ends the presence at once", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
		mustOK(t, room.Touch(bob.ID))
		room.LeavePage(bob.ID)
		if connected(t, room, bob) {
			t.Fatal("bob is online after leaving his page")
		}
		room.LeavePage(alice.ID) // her stream speaks for her: leaving a page ends nothing
		if !connected(t, room, alice) {
			t.Fatal("alice went offline with her stream open")
		}
	})

	t.Run("a player not seated is refused", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{})
		wantCode(t, room.Touch(stranger.ID), ENotSeated)
	})

	t.Run("a facilitator present by request is not demoted", func(t *testing.T) {
		const timeout = 30 * time.Second
		room, clock, _ := roomWith(t, RegistryConfig{FacilitatorTimeout: timeout}, GameSettings{}, bob)
		clock.Advance(time.Second) // bob has been here longest: he would take over
		mustOK(t, room.Touch(alice.ID))
		for range 4 { // four minutes of using the page, eight times the away timeout
			clock.Advance(time.Minute)
			mustOK(t, room.Touch(alice.ID))
		}
		if st := room.State(); !isAdmin(st, alice) {
			t.Fatal("alice lost the role while she used her page")
		}
		clock.Advance(PresenceWindow + timeout)
		if st := room.State(); !isAdmin(st, bob) {
			t.Fatal("the role did not pass to bob once alice had left her page for the window and the timeout")
		}
	})

	t.Run("auto-reveal counts a player present by request as a voter", func(t *testing.T) {
		room, clock, _ := roomWith(t, RegistryConfig{RevealGrace: 5 * time.Second}, GameSettings{Options: RoomOptions{AutoReveal: true}}, alice)
		mustOK(t, room.Touch(bob.ID))
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		if r := room.State().Round; r != RoundVoting {
			t.Fatalf("round %v after alice alone voted, want it waiting for bob", r)
		}
		mustOK(t, room.Touch(bob.ID))
		mustOK(t, room.Vote(bob.ID, 5))
		if r := room.State().Round; r != RoundRevealed {
			t.Fatalf("round %v after bob voted from his page, want revealed", r)
		}

		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		clock.Advance(PresenceWindow + 5*time.Second) // bob left his page; his grace ends too
		if r := room.State().Round; r != RoundRevealed {
			t.Fatalf("round %v once bob's page went unused, want revealed without him", r)
		}
	})
}

func isAdmin(st *State, p Player) bool {
	for _, ps := range st.Players {
		if ps.Player.ID == p.ID {
			return ps.Admin
		}
	}
	return false
}
