package game

import (
	"testing"
	"time"
)

func TestAliases(t *testing.T) {
	t.Run("a seat's alias is a version 4 UUID, not its id, and the same every time", func(t *testing.T) {
		room, _ := newTestRoom(t)
		seat, err := room.Seat(bob.ID)
		mustOK(t, err)
		got := seat.Player.Alias
		if got == bob.ID || got.Version() != 4 || got.Variant().String() != "RFC4122" {
			t.Fatalf("bob's alias %s (version %d)", got, got.Version())
		}
		mustOK(t, room.Connect(bob.ID, &recorder{}))
		again, _ := room.Seat(bob.ID)
		if again.Player.Alias != got || stateOf(t, room.State(), bob).Player.Alias != got {
			t.Fatal("bob's alias changed once he connected")
		}
	})

	t.Run("the same id has other aliases in other rooms and under other keys", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{AliasKey: []byte("one key")})
		other, _ := newTestRegistry(t, RegistryConfig{AliasKey: []byte("another key")})
		seen := map[string]bool{}
		for _, r := range []*Registry{reg, reg, other} {
			room, err := r.Create("x", DefaultDeckID, GameSettings{})
			mustOK(t, err)
			mustOK(t, room.Join(alice))
			s, _ := room.Seat(alice.ID)
			seen[s.Player.Alias.String()] = true
		}
		if len(seen) != 3 {
			t.Fatalf("alice had %d distinct aliases in three rooms", len(seen))
		}
	})

	t.Run("instances sharing a key give a seat the same alias", func(t *testing.T) {
		key := []byte("shared key")
		a := aliasOf(key, "c0de", alice.ID)
		if b := aliasOf(append([]byte(nil), key...), "c0de", alice.ID); a != b {
			t.Fatalf("aliases %s and %s", a, b)
		}
	})

	t.Run("nobody can sit under an alias", func(t *testing.T) {
		room, _ := newTestRoom(t)
		wantCode(t, room.Join(Player{ID: alias(room, bob), Username: "mallory"}), EConflict)
		if n := len(room.State().Players); n != 2 {
			t.Fatalf("%d players after a join under an alias", n)
		}
	})

	t.Run("hand-off and removal name the other player by alias, never by id", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Connect(bob.ID, &recorder{}))
		wantCode(t, room.HandOff(alice.ID, bob.ID), ENotSeated)
		wantCode(t, room.Remove(alice.ID, bob.ID), ENotSeated)
		mustOK(t, room.HandOff(alice.ID, alias(room, bob)))
		mustOK(t, room.Remove(bob.ID, alias(room, alice)))
		if n := len(room.State().Players); n != 1 {
			t.Fatalf("%d players after the removal", n)
		}
	})

	t.Run("the votes of a revealed round carry each voter's alias", func(t *testing.T) {
		room, clock := newTestRoom(t)
		mustOK(t, room.Vote(bob.ID, 5))
		clock.Advance(time.Second)
		mustOK(t, room.Reveal(alice.ID))
		for _, v := range room.State().Votes {
			if v.Alias != alias(room, Player{ID: v.PlayerID}) {
				t.Fatalf("vote of %s carries alias %s", v.PlayerID, v.Alias)
			}
		}
	})
}
