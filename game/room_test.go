package game

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestRoomRoundStates(t *testing.T) {
	t.Run("a room goes INIT, VOTING, REVEALED, VOTING", func(t *testing.T) {
		room, _ := newTestRoom(t)
		if got := room.State().Round; got != RoundInit {
			t.Fatalf("new room is %s, want %s", got, RoundInit)
		}
		steps := []struct {
			do   func() error
			want RoundState
		}{
			{func() error { return room.StartRound(alice.ID, nil) }, RoundVoting},
			{func() error { return room.Reveal(alice.ID) }, RoundRevealed},
			{func() error { return room.StartRound(alice.ID, nil) }, RoundVoting},
		}
		for i, s := range steps {
			mustOK(t, s.do())
			if got := room.State().Round; got != s.want {
				t.Fatalf("after step %d the room is %s, want %s", i+1, got, s.want)
			}
		}
	})

	// The facilitator may start a round or reveal in every state.
	start := func(r *Room) error { return r.StartRound(alice.ID, nil) }
	reveal := func(r *Room) error { return r.Reveal(alice.ID) }
	tests := []struct {
		name  string
		setup []func(*Room) error
		do    func(*Room) error
		want  RoundState
	}{
		{"reveal before any round reveals", nil, reveal, RoundRevealed},
		{"reveal again stays revealed", []func(*Room) error{start, reveal}, reveal, RoundRevealed},
		{"start during voting keeps voting", []func(*Room) error{start}, start, RoundVoting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room, _ := newTestRoom(t)
			for _, s := range tt.setup {
				mustOK(t, s(room))
			}
			mustOK(t, tt.do(room))
			if got := room.State().Round; got != tt.want {
				t.Fatalf("room is %s, want %s", got, tt.want)
			}
		})
	}
}

func TestRoomJoin(t *testing.T) {
	t.Run("players are listed in join order and only the first is admin", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Join(carol))
		st := room.State()
		var got []Player
		for _, ps := range st.Players {
			got = append(got, ps.Player)
		}
		if want := []Player{seatedAs(room, alice), seatedAs(room, bob), seatedAs(room, carol)}; !reflect.DeepEqual(got, want) {
			t.Fatalf("players %v, want %v", got, want)
		}
		for _, p := range []Player{bob, carol} {
			if stateOf(t, st, p).Admin {
				t.Fatalf("%s is admin", p.Username)
			}
		}
		if !stateOf(t, st, alice).Admin {
			t.Fatal("the first player is not admin")
		}
	})

	t.Run("admin stays admin after leaving", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Connect(bob.ID, nil))
		mustOK(t, room.Connect(alice.ID, nil))
		room.Disconnect(alice.ID, nil)
		if !stateOf(t, room.State(), alice).Admin {
			t.Fatal("alice lost admin when she left")
		}
		wantCode(t, room.StartRound(bob.ID, nil), EForbidden)
		mustOK(t, room.StartRound(alice.ID, nil))
	})

	t.Run("joining again changes nothing and emits nothing", func(t *testing.T) {
		room, _ := newTestRoom(t)
		before := room.State()
		rec := &recorder{}
		room.Subscribe(rec)
		mustOK(t, room.Join(Player{ID: alice.ID, Username: "someone else"}))
		mustOK(t, room.Join(bob))
		if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
			t.Fatalf("events %v, want only the snapshot", got)
		}
		if after := room.State(); !reflect.DeepEqual(after, before) {
			t.Fatalf("state changed:\n%+v\nwant\n%+v", after, before)
		}
	})

	t.Run("join emits PlayerJoined with the admin flag", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		room, err := reg.Create("x", 1, GameSettings{})
		mustOK(t, err)
		rec := &recorder{}
		room.Subscribe(rec)
		mustOK(t, room.Join(alice))
		mustOK(t, room.Join(bob))
		evs := rec.events()[1:]
		if len(evs) != 2 || evs[0].Kind != PlayerJoined || evs[1].Kind != PlayerJoined {
			t.Fatalf("events %v, want two PlayerJoined", rec.kinds())
		}
		if evs[0].Player != seatedAs(room, alice) || !evs[0].Admin || evs[1].Player != seatedAs(room, bob) || evs[1].Admin {
			t.Fatalf("joins %+v / %+v, want alice as admin then bob", evs[0], evs[1])
		}
	})
}

func TestRoomFacilitatorCommands(t *testing.T) {
	tests := []struct {
		name string
		do   func(*Room) error
		code ErrorCode
	}{
		{"start by a player is forbidden", func(r *Room) error { return r.StartRound(bob.ID, nil) }, EForbidden},
		{"reveal by a player is forbidden", func(r *Room) error { return r.Reveal(bob.ID) }, EForbidden},
		{"start by a stranger is not seated", func(r *Room) error { return r.StartRound(stranger.ID, nil) }, ENotSeated},
		{"reveal by a stranger is not seated", func(r *Room) error { return r.Reveal(stranger.ID) }, ENotSeated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room, _ := newTestRoom(t)
			mustOK(t, room.Vote(bob.ID, 3))
			before := room.State()
			rec := &recorder{}
			room.Subscribe(rec)
			wantCode(t, tt.do(room), tt.code)
			if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
				t.Fatalf("events %v, want only the snapshot", got)
			}
			if after := room.State(); !reflect.DeepEqual(after, before) {
				t.Fatalf("state changed:\n%+v\nwant\n%+v", after, before)
			}
		})
	}
}

func TestRoomVote(t *testing.T) {
	start := func(r *Room) error { return r.StartRound(alice.ID, nil) }
	accepted := []struct {
		name  string
		setup []func(*Room) error
		voter Player
		value float64
	}{
		{"vote before any round is taken", nil, bob, 5},
		{"vote while voting is taken", []func(*Room) error{start}, bob, 0.5},
		{"vote after reveal is taken", []func(*Room) error{start, func(r *Room) error { return r.Reveal(alice.ID) }}, bob, 100},
		{"vote by an observer is taken", []func(*Room) error{func(r *Room) error { return r.ToggleObserving(bob.ID) }}, bob, 21},
		{"vote by the facilitator is taken", []func(*Room) error{start}, alice, 1},
		{"second vote replaces the first", []func(*Room) error{start, func(r *Room) error { return r.Vote(bob.ID, 13) }}, bob, 2},
	}
	for _, tt := range accepted {
		t.Run(tt.name, func(t *testing.T) {
			room, _ := newTestRoom(t)
			for _, setup := range tt.setup {
				mustOK(t, setup(room))
			}
			rec := &recorder{}
			room.Subscribe(rec)
			mustOK(t, room.Vote(tt.voter.ID, tt.value))
			evs := rec.events()
			if len(evs) != 2 || evs[1].Kind != VoteCast || evs[1].Player != seatedAs(room, tt.voter) || evs[1].Value != tt.value {
				t.Fatalf("events %v, want a VoteCast of %v by %s", rec.kinds(), tt.value, tt.voter.Username)
			}
			if !stateOf(t, room.State(), tt.voter).Voted {
				t.Fatal("the player is not shown as having voted")
			}
			mustOK(t, room.Reveal(alice.ID))
			if got := voteOf(t, room.State().Votes, tt.voter); got == nil || *got != tt.value {
				t.Fatalf("revealed vote %v, want %v", got, tt.value)
			}
		})
	}

	refused := []struct {
		name  string
		voter Player
		value float64
		code  ErrorCode
	}{
		{"value not on a card is invalid", bob, 4, EInvalid},
		{"zero is not on a Fibonacci card", bob, 0, EInvalid},
		{"NaN is invalid", bob, math.NaN(), EInvalid},
		{"infinity is invalid", bob, math.Inf(1), EInvalid},
		{"vote by a stranger is not seated", stranger, 3, ENotSeated},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			room, _ := newTestRoom(t)
			mustOK(t, room.StartRound(alice.ID, nil))
			before := room.State()
			rec := &recorder{}
			room.Subscribe(rec)
			wantCode(t, room.Vote(tt.voter.ID, tt.value), tt.code)
			if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
				t.Fatalf("events %v, want only the snapshot", got)
			}
			if after := room.State(); !reflect.DeepEqual(after, before) {
				t.Fatalf("state changed:\n%+v\nwant\n%+v", after, before)
			}
		})
	}
}

func voteOf(t *testing.T, votes []Vote, p Player) *float64 {
	t.Helper()
	for _, v := range votes {
		if v.PlayerID == p.ID {
			return v.Value
		}
	}
	t.Fatalf("no vote entry for %s", p.Username)
	return nil
}

func TestRoomStartRound(t *testing.T) {
	t.Run("start clears votes, stamps the UTC time and keeps the normalised ticket", func(t *testing.T) {
		room, clock := newTestRoom(t)
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.Vote(bob.ID, 5))
		mustOK(t, room.Reveal(alice.ID))
		clock.Advance(90 * time.Second)
		rec := &recorder{}
		room.Subscribe(rec)

		mustOK(t, room.StartRound(alice.ID, ptr("HTTPS://Jira.Example.COM")))

		st := room.State()
		if st.Round != RoundVoting {
			t.Fatalf("round %s, want %s", st.Round, RoundVoting)
		}
		for _, ps := range st.Players {
			if ps.Voted {
				t.Fatalf("%s still has a vote", ps.Player.Username)
			}
		}
		if st.Votes != nil {
			t.Fatalf("votes %v shown during voting", st.Votes)
		}
		wantStart := testStart.Add(90 * time.Second)
		if st.RoundStart == nil || !st.RoundStart.Equal(wantStart) || st.RoundStart.Location() != time.UTC {
			t.Fatalf("round start %v, want %v in UTC", st.RoundStart, wantStart.UTC())
		}
		const wantURL = "https://jira.example.com/"
		if st.TicketURL == nil || *st.TicketURL != wantURL {
			t.Fatalf("ticket %v, want %q", st.TicketURL, wantURL)
		}
		evs := rec.events()
		if len(evs) != 2 || evs[1].Kind != RoundStarted || evs[1].TicketURL == nil || *evs[1].TicketURL != wantURL {
			t.Fatalf("events %v, want RoundStarted with %q", rec.kinds(), wantURL)
		}
		// Votes cleared by the start are not revealed by the next reveal.
		mustOK(t, room.Reveal(alice.ID))
		for _, v := range room.State().Votes {
			if v.Value != nil {
				t.Fatalf("vote %v of the previous round revealed", *v.Value)
			}
		}
	})

	t.Run("start without a ticket clears the previous ticket", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.StartRound(alice.ID, ptr("https://example.com/1")))
		mustOK(t, room.StartRound(alice.ID, nil))
		if got := room.State().TicketURL; got != nil {
			t.Fatalf("ticket %q kept", *got)
		}
	})

	for _, bad := range []string{"", "javascript:alert(1)", "ftp://example.com/x", "example.com"} {
		t.Run("bad ticket "+bad+" is invalid and changes nothing", func(t *testing.T) {
			room, clock := newTestRoom(t)
			mustOK(t, room.StartRound(alice.ID, ptr("https://example.com/1")))
			mustOK(t, room.Vote(bob.ID, 8))
			mustOK(t, room.Reveal(alice.ID))
			clock.Advance(time.Minute)
			before := room.State()
			rec := &recorder{}
			room.Subscribe(rec)
			wantCode(t, room.StartRound(alice.ID, &bad), EInvalid)
			if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
				t.Fatalf("events %v, want only the snapshot", got)
			}
			if after := room.State(); !reflect.DeepEqual(after, before) {
				t.Fatalf("state changed:\n%+v\nwant\n%+v", after, before)
			}
		})
	}
}

func TestRoomReveal(t *testing.T) {
	t.Run("reveal lists every player in join order with nil for non-voters", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Join(carol))
		mustOK(t, room.Connect(alice.ID, nil))
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.ToggleObserving(carol.ID)) // carol observes and never connects
		mustOK(t, room.Vote(carol.ID, 0.5))
		rec := &recorder{}
		room.Subscribe(rec)

		mustOK(t, room.Reveal(alice.ID))

		want := []Vote{{alice.ID, alias(room, alice), ptr(3.0), false}, {bob.ID, alias(room, bob), nil, false}, {carol.ID, alias(room, carol), ptr(0.5), false}}
		evs := rec.events()
		if len(evs) != 2 || evs[1].Kind != Revealed {
			t.Fatalf("events %v, want a Revealed", rec.kinds())
		}
		if !reflect.DeepEqual(evs[1].Votes, want) {
			t.Fatalf("revealed votes %s, want %s", fmtVotes(evs[1].Votes), fmtVotes(want))
		}
		if got := room.State().Votes; !reflect.DeepEqual(got, want) {
			t.Fatalf("state votes %s, want %s", fmtVotes(got), fmtVotes(want))
		}
	})

	t.Run("a vote after reveal shows in the next reveal", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Vote(bob.ID, 3))
		mustOK(t, room.Reveal(alice.ID))
		mustOK(t, room.Vote(bob.ID, 8))
		rec := &recorder{}
		room.Subscribe(rec)
		mustOK(t, room.Reveal(alice.ID))
		if got := voteOf(t, rec.events()[1].Votes, bob); got == nil || *got != 8 {
			t.Fatalf("revealed %v, want 8", got)
		}
	})
}

func fmtVotes(votes []Vote) string {
	s := "["
	for _, v := range votes {
		if v.Value == nil {
			s += " " + v.PlayerID.String()[:4] + "=nil"
		} else {
			s += " " + v.PlayerID.String()[:4] + "=" + strconv.FormatFloat(*v.Value, 'g', -1, 64)
		}
	}
	return s + " ]"
}

func TestRoomToggleObserving(t *testing.T) {
	t.Run("toggle switches observing and keeps the vote", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Vote(bob.ID, 13))
		rec := &recorder{}
		room.Subscribe(rec)
		for _, want := range []bool{true, false, true} {
			mustOK(t, room.ToggleObserving(bob.ID))
			ps := stateOf(t, room.State(), bob)
			if ps.Observing != want {
				t.Fatalf("observing %v, want %v", ps.Observing, want)
			}
			if !ps.Voted {
				t.Fatal("toggling observing lost the vote")
			}
		}
		for _, ev := range rec.events()[1:] {
			if ev.Kind != ObservingToggled || ev.Player != seatedAs(room, bob) {
				t.Fatalf("event %v for %s, want ObservingToggled for bob", ev.Kind, ev.Player.Username)
			}
		}
		if stateOf(t, room.State(), alice).Observing {
			t.Fatal("alice observes too")
		}
	})

	t.Run("toggle by a stranger is not seated", func(t *testing.T) {
		room, _ := newTestRoom(t)
		wantCode(t, room.ToggleObserving(stranger.ID), ENotSeated)
	})
}

func TestRoomDisconnect(t *testing.T) {
	t.Run("closing the last socket ends observing but keeps the vote", func(t *testing.T) {
		room, _ := newTestRoom(t)
		mustOK(t, room.Connect(bob.ID, nil))
		mustOK(t, room.Vote(bob.ID, 5))
		mustOK(t, room.ToggleObserving(bob.ID))
		room.Disconnect(bob.ID, nil)

		ps := stateOf(t, room.State(), bob)
		if ps.Connected || ps.Observing || !ps.Voted {
			t.Fatalf("bob %+v, want offline, not observing, voted", ps)
		}
		mustOK(t, room.Reveal(alice.ID))
		if got := voteOf(t, room.State().Votes, bob); got == nil || *got != 5 {
			t.Fatalf("revealed %v, want the kept vote 5", got)
		}
	})

	t.Run("a player with two sockets stays connected until both close", func(t *testing.T) {
		room, _ := newTestRoom(t)
		watch := &recorder{}
		room.Subscribe(watch)
		tab1, tab2 := &recorder{}, &recorder{}
		mustOK(t, room.Connect(bob.ID, tab1))
		mustOK(t, room.Connect(bob.ID, tab2))
		mustOK(t, room.ToggleObserving(bob.ID))

		room.Disconnect(bob.ID, tab1)
		if ps := stateOf(t, room.State(), bob); !ps.Connected || !ps.Observing {
			t.Fatalf("after one of two sockets closed bob is %+v, want connected and observing", ps)
		}
		mustOK(t, room.Vote(alice.ID, 1))
		if got := tab1.events()[len(tab1.events())-1].Kind; got == VoteCast {
			t.Fatal("a closed socket still receives events")
		}
		if got := tab2.events()[len(tab2.events())-1].Kind; got != VoteCast {
			t.Fatalf("the open socket's last event is %v, want VoteCast", got)
		}

		room.Disconnect(bob.ID, tab2)
		if ps := stateOf(t, room.State(), bob); ps.Connected || ps.Observing {
			t.Fatalf("after both sockets closed bob is %+v, want offline, not observing", ps)
		}
		var last []bool
		for _, ev := range watch.events() {
			if ev.Kind == SocketClosed {
				last = append(last, ev.LastSocket)
			}
		}
		if !slices.Equal(last, []bool{false, true}) {
			t.Fatalf("SocketClosed LastSocket flags %v, want [false true]", last)
		}
	})

	t.Run("disconnect without an open socket emits nothing", func(t *testing.T) {
		room, _ := newTestRoom(t)
		rec := &recorder{}
		room.Subscribe(rec)
		room.Disconnect(bob.ID, nil)      // seated, never connected
		room.Disconnect(stranger.ID, nil) // not seated
		if got := rec.kinds(); !slices.Equal(got, []EventKind{Snapshot}) {
			t.Fatalf("events %v, want only the snapshot", got)
		}
	})

	t.Run("connect of a stranger is not seated and opens nothing", func(t *testing.T) {
		room, _ := newTestRoom(t)
		sub := &recorder{}
		wantCode(t, room.Connect(stranger.ID, sub), ENotSeated)
		mustOK(t, room.Vote(bob.ID, 3))
		if got := sub.kinds(); len(got) != 0 {
			t.Fatalf("a refused subscriber received %v", got)
		}
	})
}

func TestRoomSubscribers(t *testing.T) {
	t.Run("connect delivers a snapshot then SocketOpened, then later events in order", func(t *testing.T) {
		room, _ := newTestRoom(t)
		sub := &recorder{}
		mustOK(t, room.Connect(alice.ID, sub))
		other := &recorder{}
		mustOK(t, room.Connect(bob.ID, other))
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(bob.ID, 3))
		mustOK(t, room.Reveal(alice.ID))

		evs := sub.events()
		want := []EventKind{Snapshot, SocketOpened, SocketOpened, RoundStarted, VoteCast, Revealed}
		if got := sub.kinds(); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		if !stateOf(t, evs[0].State, alice).Connected {
			t.Fatal("the snapshot does not show the player connected")
		}
		if evs[1].Player != seatedAs(room, alice) || !evs[1].PlayerState.Connected || !evs[1].PlayerState.Admin {
			t.Fatalf("SocketOpened %+v, want alice connected and admin", evs[1].PlayerState)
		}
		if evs[2].Player != seatedAs(room, bob) || !evs[2].PlayerState.Connected {
			t.Fatalf("second SocketOpened %+v, want bob connected", evs[2].PlayerState)
		}
		for i := 2; i < len(evs); i++ {
			if evs[i].Seq <= evs[i-1].Seq {
				t.Fatalf("event %d (%v) has Seq %d after %d", i, evs[i].Kind, evs[i].Seq, evs[i-1].Seq)
			}
		}
		// bob's connection does not see alice's snapshot, and starts with its own.
		if got := other.kinds(); got[0] != Snapshot || got[1] != SocketOpened || slices.Index(got[1:], Snapshot) >= 0 {
			t.Fatalf("the other connection received %v", got)
		}
	})

	t.Run("sync delivers a snapshot to that subscriber only", func(t *testing.T) {
		room, _ := newTestRoom(t)
		a, b := &recorder{}, &recorder{}
		mustOK(t, room.Connect(alice.ID, a))
		mustOK(t, room.Connect(bob.ID, b))
		na, nb := len(a.events()), len(b.events())
		room.Sync(a)
		if got := a.events(); len(got) != na+1 || got[na].Kind != Snapshot || len(got[na].State.Players) != 2 {
			t.Fatalf("synced subscriber received %v, want one more Snapshot", a.kinds())
		}
		if len(b.events()) != nb {
			t.Fatalf("other subscriber received %v", b.kinds()[nb:])
		}
	})

	t.Run("subscribe gets a snapshot first and nothing after unsubscribe", func(t *testing.T) {
		room, _ := newTestRoom(t)
		rec := &recorder{}
		unsubscribe, err := room.Subscribe(rec)
		mustOK(t, err)
		mustOK(t, room.Vote(bob.ID, 3))
		unsubscribe()
		mustOK(t, room.Vote(bob.ID, 5))
		mustOK(t, room.Reveal(alice.ID))
		if got, want := rec.kinds(), []EventKind{Snapshot, VoteCast}; !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		if got := len(rec.events()[0].State.Players); got != 2 {
			t.Fatalf("snapshot has %d players, want 2", got)
		}
	})

	tests := []struct {
		name  string
		setup func(*Room) error
		want  []Vote
	}{
		{"snapshot before any round carries no votes", func(r *Room) error { return nil }, nil},
		{"snapshot of a voting round carries no votes", func(r *Room) error { return r.StartRound(alice.ID, nil) }, nil},
		{"snapshot of a revealed round carries the votes", func(r *Room) error { return r.Reveal(alice.ID) }, []Vote{{alice.ID, uuid.Nil, nil, false}, {bob.ID, uuid.Nil, ptr(8.0), false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			room, _ := newTestRoom(t)
			mustOK(t, room.Vote(bob.ID, 8))
			mustOK(t, tt.setup(room))
			rec := &recorder{}
			room.Subscribe(rec)
			snap := rec.events()[0]
			for i := range tt.want {
				tt.want[i].Alias = alias(room, Player{ID: tt.want[i].PlayerID})
			}
			if !reflect.DeepEqual(snap.Votes, tt.want) || !reflect.DeepEqual(snap.State.Votes, tt.want) {
				t.Fatalf("snapshot votes %s / state votes %s, want %s",
					fmtVotes(snap.Votes), fmtVotes(snap.State.Votes), fmtVotes(tt.want))
			}
		})
	}
}

func TestRoomStateIsACopy(t *testing.T) {
	t.Run("changing a returned state does not change the room", func(t *testing.T) {
		reg, _ := newTestRegistry(t, RegistryConfig{})
		room, err := reg.Create("x", 1, GameSettings{RoundTimer: &RoundTimerSettings{Maximum: 5, Warning: 4}})
		mustOK(t, err)
		mustOK(t, room.Join(alice))
		mustOK(t, room.StartRound(alice.ID, ptr("https://example.com/")))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.Reveal(alice.ID))
		before := room.State()

		st := room.State()
		st.Players[0].Admin = false
		st.Game.Deck.Cards[0].Label = "changed"
		st.Game.Settings.RoundTimer.Maximum = 99
		*st.TicketURL = "javascript:alert(1)"
		*st.RoundStart = time.Time{}
		*st.Votes[0].Value = 21
		if after := room.State(); !reflect.DeepEqual(after, before) {
			t.Fatalf("state changed through a copy:\n%+v\nwant\n%+v", after, before)
		}
	})
}

func TestSeatShowsOnlyMyOwnVote(t *testing.T) {
	room, _ := newTestRoom(t)
	mustOK(t, room.StartRound(alice.ID, nil))
	mustOK(t, room.Vote(bob.ID, 8))
	seat, err := room.Seat(bob.ID)
	mustOK(t, err)
	if seat.Vote == nil || *seat.Vote != 8 || !seat.Voted || seat.Admin {
		t.Fatalf("bob's seat %+v", seat)
	}
	seat, err = room.Seat(alice.ID)
	mustOK(t, err)
	if seat.Vote != nil || !seat.Admin {
		t.Fatalf("alice's seat %+v", seat)
	}
	_, err = room.Seat(stranger.ID)
	wantCode(t, err, ENotSeated)
}
