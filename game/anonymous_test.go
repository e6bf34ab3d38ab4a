package game

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// cardsOf is the labels of a record's cards, in the record's order ("-" for no card).
func cardsOf(rec *RoundRecord) []string {
	var out []string
	for _, v := range rec.Votes {
		if v.Card == nil {
			out = append(out, "-")
			continue
		}
		out = append(out, v.Card.Label)
	}
	return out
}

func TestVoteAfterTheReveal(t *testing.T) {
	for _, tc := range []struct {
		name        string
		who         Player
		value       float64
		wantRevised bool
		wantCards   []string
		wantAverage float64
	}{
		{"a changed vote revises the round", bob, 8, true, []string{"3", "8", "-"}, 5.5},
		{"the same vote is no revision", bob, 5, false, []string{"3", "5", "-"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{}, "One")
			mustOK(t, room.Start(alice.ID, NextRound{StoryID: 1}))
			revealWith(t, room, 3, 5)
			revealedAt := room.State().Current().RevealedAt
			mustOK(t, room.SetEstimate(alice.ID, 1, "5"))

			mustOK(t, room.Vote(tc.who.ID, tc.value))
			ev := lastOf(rec, VoteCast)
			if ev.Revised != tc.wantRevised {
				t.Fatalf("Revised %v, want %v", ev.Revised, tc.wantRevised)
			}
			if tc.wantRevised && len(ev.Votes) != 3 {
				t.Fatalf("a revising vote carries %d votes, want the room's 3", len(ev.Votes))
			}
			st := room.State()
			cur := st.Current()
			if got := cardsOf(cur); !reflect.DeepEqual(got, tc.wantCards) {
				t.Fatalf("the record's cards %v, want %v", got, tc.wantCards)
			}
			res, _ := st.RoundResults()
			if res.Average == nil || *res.Average != tc.wantAverage {
				t.Fatalf("the results' average %v, want %v", res.Average, tc.wantAverage)
			}
			if cur.RevealedAt != revealedAt || cur.Estimate != "5" || cur.StoryID != 1 {
				t.Fatalf("the revised record lost its reveal time, estimate or story: %+v", cur)
			}
			if v := st.Votes[1].Value; v == nil || *v != tc.value {
				t.Fatalf("the revealed votes show %v for bob", v)
			}
		})
	}
	t.Run("a second reveal keeps the record", func(t *testing.T) {
		room, clock, rec := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 3, 5)
		first := room.State().Current()
		clock.Advance(10_000_000_000)
		mustOK(t, room.Reveal(alice.ID))
		reveals := 0
		for _, k := range rec.kinds() {
			if k == Revealed {
				reveals++
			}
		}
		if ev := lastOf(rec, Revealed); reveals != 2 || len(ev.Votes) != 3 {
			t.Fatalf("%d reveals told, want 2 (the second with its votes)", reveals)
		}
		if again := room.State().Current(); again != first {
			t.Fatalf("the second reveal rewrote the record: %+v, was %+v", again, first)
		}
	})
	t.Run("a vote in a voting round is no revision", func(t *testing.T) {
		room, rec := storyRoom(t, GameSettings{})
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(bob.ID, 8))
		if ev := lastOf(rec, VoteCast); ev.Revised || ev.Votes != nil {
			t.Fatalf("a vote before the reveal is a revision (%v) or carries votes", ev.Revised)
		}
	})
}

func TestUnsureVotes(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ask        bool
		wantUnsure int
	}{
		{"kept in a room that asks", true, 1},
		{"ignored in a room that does not", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{Options: RoomOptions{AskConfidence: tc.ask}})
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.VoteWith(alice.ID, 3, true))
			mustOK(t, room.VoteWith(bob.ID, 5, false))
			if ev := lastOf(rec, VoteCast); ev.Unsure {
				t.Fatal("bob's sure vote is marked unsure")
			}
			seat, err := room.Seat(alice.ID)
			mustOK(t, err)
			if seat.Unsure != tc.ask {
				t.Fatalf("alice's seat says unsure %v", seat.Unsure)
			}
			mustOK(t, room.Reveal(alice.ID))
			st := room.State()
			if st.Votes[0].Unsure != tc.ask || st.Votes[1].Unsure {
				t.Fatalf("revealed votes %+v", st.Votes)
			}
			if got := st.Current().Results.Unsure; got != tc.wantUnsure {
				t.Fatalf("results count %d unsure, want %d", got, tc.wantUnsure)
			}
			if st.Current().Votes[0].Unsure != tc.ask {
				t.Fatal("the record's vote lost its unsure mark")
			}
		})
	}
	t.Run("changing only one's confidence after the reveal revises the round", func(t *testing.T) {
		room, rec := storyRoom(t, GameSettings{Options: RoomOptions{AskConfidence: true}})
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 3, 5)
		mustOK(t, room.VoteWith(bob.ID, 5, true))
		if ev := lastOf(rec, VoteCast); !ev.Revised {
			t.Fatal("not a revision")
		}
		if got := room.State().Current().Results.Unsure; got != 1 {
			t.Fatalf("%d unsure", got)
		}
	})
	t.Run("a reveal before any round counts it too", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{Options: RoomOptions{AskConfidence: true}})
		mustOK(t, room.VoteWith(bob.ID, 5, true))
		mustOK(t, room.Reveal(alice.ID))
		if res, ok := room.State().RoundResults(); !ok || res.Unsure != 1 || res.Votes != 1 {
			t.Fatalf("results %+v", res)
		}
	})
	t.Run("a new round clears it", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{Options: RoomOptions{AskConfidence: true}})
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.VoteWith(alice.ID, 3, true))
		mustOK(t, room.StartRound(alice.ID, nil))
		seat, err := room.Seat(alice.ID)
		mustOK(t, err)
		if seat.Unsure || seat.Vote != nil {
			t.Fatalf("seat %+v after a new round", seat)
		}
	})
}

// assertNoNames fails when the record links anyone to a card.
func assertNoNames(t *testing.T, rec *RoundRecord) {
	t.Helper()
	if !rec.Anonymous {
		t.Fatal("the record is not anonymous")
	}
	for _, v := range rec.Votes {
		if v.Player != (Player{}) || v.Card == nil {
			t.Fatalf("an anonymous record holds %+v", v)
		}
	}
	r := rec.Results
	for _, e := range []*Extreme{r.Lowest, r.Highest} {
		if e != nil && len(e.Players) > 0 {
			t.Fatalf("the results name %v", e.Players)
		}
	}
	for _, b := range r.Distribution {
		if len(b.Players) > 0 {
			t.Fatalf("the chart names %v", b.Players)
		}
	}
	for _, name := range []string{"alice", "bob", "carol", alice.ID.String(), bob.ID.String()} {
		if strings.Contains(spew(rec), name) {
			t.Fatalf("the record holds %q", name)
		}
	}
}

func spew(v any) string { return strings.ToLower(fmtAny(v)) }

func TestAnonymousRounds(t *testing.T) {
	hidden := GameSettings{Options: RoomOptions{HideNames: true, AskConfidence: true}}
	t.Run("a round revealed with names hidden keeps cards alone, in deck order", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, hidden, alice, bob, carol)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 8))
		mustOK(t, room.VoteWith(bob.ID, 2, true))
		mustOK(t, room.Vote(carol.ID, 5))
		mustOK(t, room.Reveal(alice.ID))
		st := room.State()
		rec := st.Current()
		assertNoNames(t, rec)
		if got := cardsOf(rec); !reflect.DeepEqual(got, []string{"2", "5", "8"}) {
			t.Fatalf("cards %v, want deck order", got)
		}
		if r := rec.Results; r.Votes != 3 || r.Average == nil || *r.Average != 5 || r.Unsure != 1 || len(r.Distribution) != 3 {
			t.Fatalf("results %+v", r)
		}
		if !st.NamesHidden() {
			t.Fatal("NamesHidden is false")
		}
	})
	t.Run("a vote after the reveal keeps the round anonymous", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, hidden, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 3, 5)
		mustOK(t, room.SetOptions(alice.ID, RoomOptions{}))
		mustOK(t, room.Vote(bob.ID, 13))
		st := room.State()
		assertNoNames(t, st.Current())
		if got := cardsOf(st.Current()); !reflect.DeepEqual(got, []string{"3", "13"}) {
			t.Fatalf("cards %v", got)
		}
		if !st.NamesHidden() {
			t.Fatal("the round on show was revealed anonymously, yet NamesHidden is false")
		}
	})
	t.Run("hiding names while a round is on show makes its record anonymous", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 3, 5)
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 8, 5)
		mustOK(t, room.SetEstimate(alice.ID, 2, "8"))
		mustOK(t, room.SetOptions(alice.ID, RoomOptions{HideNames: true}))
		st := room.State()
		assertNoNames(t, st.Records[1])
		if st.Records[1].Estimate != "8" || !reflect.DeepEqual(cardsOf(st.Records[1]), []string{"5", "8"}) {
			t.Fatalf("the anonymous record %+v", st.Records[1])
		}
		if st.Records[0].Anonymous || st.Records[0].Votes[0].Player.ID != alice.ID {
			t.Fatal("an earlier round, revealed with names shown, changed")
		}
	})
	t.Run("a round revealed with names shown keeps them", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		revealWith(t, room, 3, 5)
		st := room.State()
		if st.Current().Anonymous || st.NamesHidden() || st.Current().Votes[1].Player.ID != bob.ID {
			t.Fatalf("record %+v", st.Current())
		}
	})
}

func fmtAny(v any) string { return fmt.Sprintf("%+v", v) }
