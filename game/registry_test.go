package game

import (
	"github.com/google/uuid"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRegistryCreate(t *testing.T) {
	t.Run("room is created with its name, deck, settings and code", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{NewCode: codeSeq("abcd")})
		timer := &RoundTimerSettings{Maximum: 5, Warning: 4}
		room, err := reg.Create("Sprint <12> & co", DefaultDeckID, GameSettings{RoundTimer: timer})
		mustOK(t, err)
		timer.Maximum = 99 // the caller's value is copied
		g := room.Game()
		if room.Code() != "abcd" || g.Code != "abcd" || g.Name != "Sprint <12> & co" || g.Deck.ID != 1 ||
			g.Settings.RoundTimer == nil || *g.Settings.RoundTimer != (RoundTimerSettings{5, 4}) {
			t.Fatalf("game %+v", g)
		}
		if got, err := reg.Room("abcd"); err != nil || got != room {
			t.Fatalf("Room(abcd) = %p, %v; want the created room", got, err)
		}
		if st := room.State(); st.Round != RoundInit || len(st.Players) != 0 || st.TicketURL != nil || st.RoundStart != nil {
			t.Fatalf("new room state %+v", st)
		}
	})

	tests := []struct {
		name     string
		gameName string
		deckID   int
		settings GameSettings
		code     ErrorCode // "" when accepted
		message  string
	}{
		{"name of 100 characters is accepted", strings.Repeat("é", 100), 1, GameSettings{}, "", ""},
		{"empty name is accepted", "", 1, GameSettings{}, "", ""},
		{"name of 101 characters is invalid", strings.Repeat("é", 101), 1, GameSettings{}, EInvalid, ""},
		{"unknown deck is not found", "x", 999, GameSettings{}, ENotFound, "No deck exists with ID 999"},
		{"deck 0 is not found", "x", 0, GameSettings{}, ENotFound, "No deck exists with ID 0"},
		{"broken timer is invalid", "x", 1, GameSettings{RoundTimer: &RoundTimerSettings{Maximum: 3, Warning: 3}}, EInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg, _ := newTestRegistry(t, RegistryConfig{})
			room, err := reg.Create(tt.gameName, tt.deckID, tt.settings)
			if tt.code == "" {
				mustOK(t, err)
				if got := room.Game().Name; got != tt.gameName {
					t.Fatalf("name %q, want %q", got, tt.gameName)
				}
				return
			}
			wantCode(t, err, tt.code)
			if tt.message != "" && err.Error() != tt.message {
				t.Fatalf("message %q, want %q", err.Error(), tt.message)
			}
			if room != nil || reg.Len() != 0 {
				t.Fatalf("a refused create left room %v, %d rooms", room, reg.Len())
			}
		})
	}
}

func TestRegistryCaps(t *testing.T) {
	t.Run("creating beyond MaxRooms is exhausted", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{MaxRooms: 2})
		for range 2 {
			_, err := reg.Create("x", 1, GameSettings{})
			mustOK(t, err)
		}
		_, err := reg.Create("x", 1, GameSettings{})
		wantCode(t, err, EExhausted)
		if reg.Len() != 2 {
			t.Fatalf("%d rooms, want 2", reg.Len())
		}
	})

	t.Run("a deleted room frees its place under MaxRooms", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{MaxRooms: 1})
		room, err := reg.Create("x", 1, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil)
		_, err = reg.Create("y", 1, GameSettings{})
		mustOK(t, err)
	})

	t.Run("joining beyond MaxPlayersPerRoom is a conflict naming the cap", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{MaxPlayersPerRoom: 2, NewCode: codeSeq("full")})
		room, err := reg.Create("x", 1, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Join(bob))
		rec := &recorder{}
		room.Subscribe(rec)
		err = room.Join(carol)
		wantCode(t, err, EConflict)
		if want := "Game 'full' is full: it has room for 2 players"; err.Error() != want {
			t.Fatalf("message %q, want %q", err.Error(), want)
		}
		if n := len(room.State().Players); n != 2 {
			t.Fatalf("%d players, want 2", n)
		}
		// A player already seated may still join again.
		mustOK(t, room.Join(bob))
		if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
			t.Fatalf("events %v, want only the snapshot", got)
		}
	})
}

func TestRegistryCodes(t *testing.T) {
	t.Run("a colliding code is drawn again", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{NewCode: codeSeq("aaaa", "aaaa", "bbbb")})
		first, err := reg.Create("first", 1, GameSettings{})
		mustOK(t, err)
		second, err := reg.Create("second", 1, GameSettings{})
		mustOK(t, err)
		if first.Code() != "aaaa" || second.Code() != "bbbb" {
			t.Fatalf("codes %q and %q, want aaaa and bbbb", first.Code(), second.Code())
		}
		if got, _ := reg.Room("aaaa"); got != first {
			t.Fatal("the first room was replaced")
		}
	})

	t.Run("a generator that only returns taken codes is exhausted", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{NewCode: codeSeq("aaaa")})
		first, err := reg.Create("first", 1, GameSettings{})
		mustOK(t, err)
		_, err = reg.Create("second", 1, GameSettings{})
		wantCode(t, err, EExhausted)
		if got, _ := reg.Room("aaaa"); got != first || reg.Len() != 1 {
			t.Fatal("the first room was replaced")
		}
	})

	t.Run("a generator of malformed codes is exhausted", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{NewCode: codeSeq("AB")})
		_, err := reg.Create("x", 1, GameSettings{})
		wantCode(t, err, EExhausted)
	})

	t.Run("unknown code is not found", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		_, err := reg.Room("zzzz")
		wantCode(t, err, ENotFound)
		if want := "No existing game found with code 'zzzz'"; err.Error() != want {
			t.Fatalf("message %q, want %q", err.Error(), want)
		}
	})
}

func TestRegistryDeletesEmptyRooms(t *testing.T) {
	// open creates room xxxx, seats alice and bob, and connects alice.
	open := func(t *testing.T, grace time.Duration) (*Registry, *fakeClock, *Room) {
		t.Helper()
		reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: grace, NewCode: codeSeq("xxxx")})
		room, err := reg.Create("x", 1, GameSettings{})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Join(bob))
		mustOK(t, room.Connect(alice.ID, nil))
		return reg, clock, room
	}
	wantGone := func(t *testing.T, reg *Registry, room *Room) {
		t.Helper()
		_, err := reg.Room("xxxx")
		wantCode(t, err, ENotFound)
		if want := "No existing game found with code 'xxxx'"; err.Error() != want {
			t.Fatalf("Room message %q, want %q", err.Error(), want)
		}
		err = room.Join(carol)
		wantCode(t, err, ENotFound)
		if want := "No existing game found with code 'xxxx'"; err.Error() != want {
			t.Fatalf("Join message %q, want %q", err.Error(), want)
		}
		wantCode(t, room.Connect(bob.ID, nil), ENotFound)
		wantCode(t, room.Vote(alice.ID, 3), ENotFound)
		late := &recorder{}
		_, err = room.Subscribe(late)
		wantCode(t, err, ENotFound)
		room.Sync(late)
		if got := late.kinds(); len(got) != 0 {
			t.Fatalf("a closed room delivered %v", got)
		}
		if reg.Len() != 0 {
			t.Fatalf("%d rooms left", reg.Len())
		}
	}
	wantKept := func(t *testing.T, reg *Registry, room *Room) {
		t.Helper()
		if got, err := reg.Room("xxxx"); err != nil || got != room {
			t.Fatalf("Room(xxxx) = %p, %v; want the room kept", got, err)
		}
		mustOK(t, room.Join(carol))
	}

	t.Run("without grace the last disconnect deletes the room at once", func(t *testing.T) {
		reg, _, room := open(t, 0)
		watch := &recorder{}
		room.Subscribe(watch)
		room.Disconnect(alice.ID, nil)
		wantGone(t, reg, room)
		if got := watch.kinds(); got[len(got)-1] != RoomClosed {
			t.Fatalf("a room-wide subscriber received %v, want RoomClosed last", got)
		}
	})

	t.Run("without grace a remaining connection keeps the room", func(t *testing.T) {
		reg, _, room := open(t, 0)
		mustOK(t, room.Connect(bob.ID, nil))
		room.Disconnect(alice.ID, nil)
		wantKept(t, reg, room)
	})

	t.Run("with grace the room survives until the grace has passed", func(t *testing.T) {
		reg, clock, room := open(t, time.Minute)
		room.Disconnect(alice.ID, nil)
		clock.Advance(time.Minute - time.Second)
		if _, err := reg.Room("xxxx"); err != nil {
			t.Fatalf("room deleted before the grace passed: %v", err)
		}
		clock.Advance(time.Second)
		wantGone(t, reg, room)
	})

	t.Run("with grace a reconnect keeps the room after the timer fires", func(t *testing.T) {
		reg, clock, room := open(t, time.Minute)
		room.Disconnect(alice.ID, nil)
		clock.Advance(30 * time.Second)
		mustOK(t, room.Connect(bob.ID, nil))
		clock.Advance(time.Hour)
		wantKept(t, reg, room)
	})

	t.Run("with grace a second emptying restarts the grace", func(t *testing.T) {
		reg, clock, room := open(t, time.Minute)
		room.Disconnect(alice.ID, nil)
		clock.Advance(30 * time.Second)
		mustOK(t, room.Connect(alice.ID, nil))
		clock.Advance(10 * time.Second)
		room.Disconnect(alice.ID, nil)  // empty again at 40 s
		clock.Advance(20 * time.Second) // the first timer fires at 60 s
		if _, err := reg.Room("xxxx"); err != nil {
			t.Fatalf("room deleted by the first emptying's timer: %v", err)
		}
		clock.Advance(40 * time.Second) // 100 s: the second grace has passed
		wantGone(t, reg, room)
	})

	for _, grace := range []time.Duration{0, time.Minute} {
		t.Run("a room nobody connected to is never deleted (grace "+grace.String()+")", func(t *testing.T) {
			reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: grace, NewCode: codeSeq("xxxx")})
			room, err := reg.Create("x", 1, GameSettings{})
			mustOK(t, err)
			mustOK(t, room.Join(alice))
			wantCode(t, room.Connect(stranger.ID, nil), ENotSeated) // a refused socket
			room.Disconnect(stranger.ID, nil)
			room.Disconnect(alice.ID, nil)
			clock.Advance(24 * time.Hour)
			if clock.Pending() != 0 {
				t.Fatalf("%d deletion timers pending", clock.Pending())
			}
			wantKept(t, reg, room)
		})
	}
}

func TestRegistryExpiresUnusedRooms(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{UnusedRoomTTL: time.Hour, EmptyRoomGrace: time.Minute, NewCode: codeSeq("unus", "used")})
	unused, err := reg.Create("never used", 1, GameSettings{})
	mustOK(t, err)
	used, err := reg.Create("used", 1, GameSettings{})
	mustOK(t, err)
	mustOK(t, used.Join(alice))
	mustOK(t, unused.Join(alice))
	mustOK(t, used.Connect(alice.ID, nil))

	clock.Advance(59 * time.Minute)
	if _, err := reg.Room("unus"); err != nil {
		t.Fatalf("a room younger than the TTL was deleted: %v", err)
	}
	clock.Advance(time.Minute)
	_, err = reg.Room("unus")
	wantCode(t, err, ENotFound)
	wantCode(t, unused.Join(bob), ENotFound)
	if _, err := reg.Room("used"); err != nil {
		t.Fatalf("a room in use was deleted by the TTL: %v", err)
	}
	if reg.Len() != 1 {
		t.Fatalf("%d rooms, want 1", reg.Len())
	}
}

func TestReconnectCancelsPendingDeletion(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Minute})
	room, err := reg.Create("x", 1, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	for range 10 {
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil)
	}
	// Ten emptyings, each followed by a reconnect but the last: one deletion pending.
	if got := clock.Pending(); got != 1 {
		t.Fatalf("%d deletion timers pending, want 1", got)
	}
	mustOK(t, room.Connect(alice.ID, nil))
	if got := clock.Pending(); got != 0 {
		t.Fatalf("%d deletion timers pending after a reconnect, want 0", got)
	}
}

func TestNilUUIDPlayerCanBeFacilitator(t *testing.T) {
	reg, _ := newTestRegistry(t, RegistryConfig{})
	room, err := reg.Create("x", 1, GameSettings{})
	mustOK(t, err)
	zero := Player{ID: uuid.Nil, Username: "Zero"}
	mustOK(t, room.Join(zero))
	mustOK(t, room.Join(bob))
	st := room.State()
	if !st.Players[0].Admin || st.Players[1].Admin {
		t.Fatalf("admins: %v %v, want the first joiner only", st.Players[0].Admin, st.Players[1].Admin)
	}
	mustOK(t, room.StartRound(uuid.Nil, nil))
	wantCode(t, room.Reveal(bob.ID), EForbidden)
}
