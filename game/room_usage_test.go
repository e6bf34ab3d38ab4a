package game

import (
	"testing"
	"time"
)

func TestUnusedUntilSomeoneConnects(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Minute})
	room, err := reg.Create("x", 1, GameSettings{})
	mustOK(t, err)
	if !room.Unused() {
		t.Fatal("a new room is not unused")
	}
	mustOK(t, room.Join(alice))
	if !room.Unused() {
		t.Fatal("a join without a connection made the room used")
	}
	mustOK(t, room.Connect(alice.ID, nil))
	if room.Unused() {
		t.Fatal("a room with a connection is unused")
	}
	room.Disconnect(alice.ID, nil)
	if room.Unused() {
		t.Fatal("a room that was played in is unused again once empty")
	}
	clock.Advance(time.Minute)
	if room.Unused() {
		t.Fatal("a deleted room is unused")
	}
}
