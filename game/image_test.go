package game

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// ownCards is a deck of a room's own, with a special card.
var ownCards = []Card{{"1", 1, false}, {"2", 2, false}, {"3", 3, false}, {"5", 5, false}, {"☕", 99, true}}

// playSession plays a room of reg through many events of every sort: its own cards, a
// passcode, a round timer and rules; three players, one observing, one present by a page
// without scripts; three revealed rounds with estimates, and a fourth open with a ticket
// link and two votes in. It returns the room.
func playSession(t *testing.T, reg *Registry, clock *fakeClock) *Room {
	t.Helper()
	hash, err := HashPasscode("open sesame")
	mustOK(t, err)
	room, err := reg.CreateWithCards("Sprint 12", ownCards, GameSettings{
		RoundTimer: &RoundTimerSettings{Maximum: 10, Warning: 8}, MaxPlayers: 8, Passcode: hash,
		Options: RoomOptions{HideNames: true},
	})
	mustOK(t, err)
	for _, p := range []Player{alice, bob, carol} {
		mustOK(t, room.Join(p))
	}
	mustOK(t, room.Connect(alice.ID, &recorder{}))
	mustOK(t, room.Connect(bob.ID, &recorder{}))
	mustOK(t, room.Connect(bob.ID, &recorder{})) // a second tab
	mustOK(t, room.Touch(carol.ID))
	mustOK(t, room.SetOptions(alice.ID, RoomOptions{HideNames: true, RevealOnTimer: true}))
	for round, votes := range [][2]float64{{1, 2}, {3, 3}, {5, 99}} {
		clock.Advance(time.Minute)
		mustOK(t, room.StartRound(alice.ID, ptr("https://tracker.example/PROJ-"+string(rune('1'+round)))))
		clock.Advance(30 * time.Second)
		mustOK(t, room.Vote(alice.ID, votes[0]))
		mustOK(t, room.Vote(bob.ID, votes[1]))
		mustOK(t, room.Reveal(alice.ID))
		mustOK(t, room.SetEstimate(alice.ID, round+1, []string{"2", "3", "8 ☕"}[round]))
	}
	mustOK(t, room.ToggleObserving(carol.ID))
	clock.Advance(time.Minute)
	mustOK(t, room.StartRound(alice.ID, ptr("https://tracker.example/PROJ-4")))
	clock.Advance(2 * time.Minute)
	mustOK(t, room.Vote(alice.ID, 5))
	mustOK(t, room.Vote(bob.ID, 3))
	return room
}

func TestImageRestoresTheSameState(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Hour})
	room := playSession(t, reg, clock)
	want := room.State()

	room.mu.Lock()
	img := room.state.image()
	room.mu.Unlock()
	data, err := EncodeImage(img)
	mustOK(t, err)
	if strings.Contains(string(data), "open sesame") {
		t.Fatal("the image carries the passcode itself")
	}
	back, err := DecodeImage(data)
	mustOK(t, err)
	s, err := back.state()
	mustOK(t, err)
	if got := s.snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the image brought back\n%+v\nwant\n%+v", got, want)
	}
	// Beyond the public state: what each seat keeps for the room's rules.
	room.mu.Lock()
	defer room.mu.Unlock()
	for _, st := range room.state.seats {
		if got := s.byID[st.player.ID]; !reflect.DeepEqual(got, st) {
			t.Errorf("seat of %s came back as %+v, want %+v", st.player.Username, got, st)
		}
	}
	if s.sockets != room.state.sockets || s.seq != room.state.seq || s.everConnected != room.state.everConnected ||
		!s.lastEventAt.Equal(room.state.lastEventAt) || !s.createdAt.Equal(room.state.createdAt) {
		t.Errorf("the room's counts came back as %d sockets, seq %d; want %d, %d", s.sockets, s.seq, room.state.sockets, room.state.seq)
	}
	if !s.game.Settings.Passcode.Matches("open sesame") {
		t.Error("the passcode no longer opens the room brought back")
	}
}

func TestDecodeImageRefusesBadInput(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Hour})
	room := playSession(t, reg, clock)
	room.mu.Lock()
	good, err := EncodeImage(room.state.image())
	room.mu.Unlock()
	mustOK(t, err)
	for name, data := range map[string]string{
		"not JSON":       "{{",
		"a newer format": strings.Replace(string(good), `"v":1`, `"v":9`, 1),
		"unknown field":  strings.Replace(string(good), `{`, `{"x":1,`, 1),
		"trailing data":  string(good) + "[]",
	} {
		if _, err := DecodeImage([]byte(data)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	img, err := DecodeImage(good)
	mustOK(t, err)
	img.Seats = append(img.Seats, img.Seats[0])
	if _, err := img.state(); err == nil || !strings.Contains(err.Error(), "seated twice") {
		t.Errorf("an image with a seat twice: %v", err)
	}
}

// FuzzDecodeImage: a damaged snapshot is an error, never a panic.
func FuzzDecodeImage(f *testing.F) {
	reg, clock := newTestRegistry(&testing.T{}, RegistryConfig{EmptyRoomGrace: time.Hour})
	room := playSession(&testing.T{}, reg, clock)
	room.mu.Lock()
	good, err := EncodeImage(room.state.image())
	room.mu.Unlock()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"v":1,"seats":[{"player":{"id":"a11ce000-0000-4000-8000-000000000001"},"sockets":-1}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := DecodeImage(data)
		if err != nil {
			return
		}
		if s, err := img.state(); err == nil {
			s.snapshot()
		}
	})
}
