package game

import (
	"slices"
	"testing"
	"time"
)

const (
	testRetention = 14 * 24 * time.Hour
	testUnusedTTL = time.Hour
)

func retentionWorld(t *testing.T) (*loggedWorld, *process) {
	w := newLoggedWorld(t, RegistryConfig{
		EmptyRoomGrace: time.Minute, UnusedRoomTTL: testUnusedTTL, Retention: testRetention,
	})
	return w, w.start()
}

// gone fails t unless the room is closed, out of the registry and out of the log.
func gone(t *testing.T, w *loggedWorld, p *process, room *Room) {
	t.Helper()
	if _, err := p.reg.Room(room.Code()); CodeOf(err) != ENotFound {
		t.Fatalf("room %s is still there: %v", room.Code(), err)
	}
	if w.store.holds(room.Code()) || !slices.Contains(w.store.deleted, room.Code()) {
		t.Fatalf("the log still holds room %s", room.Code())
	}
}

// kept fails t unless the room is open and in the log.
func kept(t *testing.T, w *loggedWorld, p *process, room *Room) {
	t.Helper()
	if got, err := p.reg.Room(room.Code()); err != nil || got != room || room.isClosed() {
		t.Fatalf("room %s is gone: %v", room.Code(), err)
	}
	if !w.store.holds(room.Code()) {
		t.Fatalf("the log no longer holds room %s", room.Code())
	}
}

func TestRetention(t *testing.T) {
	t.Run("a room everyone left is kept past the grace until idle for the retention", func(t *testing.T) {
		w, p := retentionWorld(t)
		room, err := p.reg.Create("Kept", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil) // the room's last event
		w.clock.Advance(time.Hour)
		kept(t, w, p, room)

		// A join while nobody is connected is a sign of life: the room is kept longer.
		w.clock.Advance(7 * 24 * time.Hour)
		mustOK(t, room.Join(bob))
		w.clock.Advance(testRetention - time.Second)
		kept(t, w, p, room)
		w.clock.Advance(time.Second)
		gone(t, w, p, room)
	})

	t.Run("a connection keeps an idle room", func(t *testing.T) {
		w, p := retentionWorld(t)
		room, err := p.reg.Create("Open", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil)
		w.clock.Advance(testRetention / 2)
		mustOK(t, room.Connect(alice.ID, nil))
		w.clock.Advance(2 * testRetention)
		kept(t, w, p, room)
	})

	t.Run("a room nobody used goes after UnusedRoomTTL, from the log too", func(t *testing.T) {
		w, p := retentionWorld(t)
		room, err := p.reg.Create("Unused", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice)) // seated, never connected
		w.clock.Advance(testUnusedTTL - time.Second)
		kept(t, w, p, room)
		w.clock.Advance(time.Second)
		gone(t, w, p, room)
	})

	t.Run("at a restart, rooms past their time are deleted, not loaded", func(t *testing.T) {
		w, p := retentionWorld(t)
		idle, err := p.reg.Create("Idle", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, idle.Join(alice))
		mustOK(t, idle.Connect(alice.ID, nil)) // connected when the server stops
		unused, err := p.reg.Create("Unused", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		w.clock.Advance(testUnusedTTL / 2)
		recent, err := p.reg.Create("Recent", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		p.log.crash()
		w.clock.Advance(testUnusedTTL / 2) // the server is down: no timer of its runs

		p = w.start()
		gone(t, w, p, unused)
		back := p.room(t, recent.Code())
		if !back.Unused() {
			t.Fatal("a room nobody used counts as used after the restart")
		}
		w.clock.Advance(testUnusedTTL/2 - time.Second)
		kept(t, w, p, back)
		w.clock.Advance(time.Second)
		gone(t, w, p, back) // its own deadline, kept across the restart

		p.log.crash()
		w.clock.Advance(testRetention)
		p = w.start()
		gone(t, w, p, idle)
		if p.reg.Len() != 0 {
			t.Fatalf("%d rooms loaded, want none", p.reg.Len())
		}
	})

	t.Run("a used room brought back is kept, then retired when idle", func(t *testing.T) {
		w, p := retentionWorld(t)
		room, err := p.reg.Create("Back", DefaultDeckID, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		p = w.restart(p)
		back := p.room(t, room.Code())
		if back.Unused() {
			t.Fatal("a room that was used counts as unused after the restart")
		}
		w.clock.Advance(testRetention - time.Second) // its last event: the departure at the restart
		kept(t, w, p, back)
		w.clock.Advance(time.Second)
		gone(t, w, p, back)
	})
}
