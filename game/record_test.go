package game

import (
	"fmt"
	"testing"
)

func TestRecordKeepsTheLastRounds(t *testing.T) {
	room, _, _ := roomWith(t, RegistryConfig{MaxRecordRounds: 3}, GameSettings{}, alice, bob)
	numbers := func() string {
		var out []int
		for _, r := range room.State().Records {
			out = append(out, r.Number)
		}
		return fmt.Sprint(out)
	}
	for range 5 {
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 5))
		mustOK(t, room.Reveal(alice.ID))
	}
	if got := numbers(); got != "[3 4 5]" {
		t.Fatalf("the record holds rounds %s, want [3 4 5]", got)
	}

	t.Run("a second reveal of the last round replaces it and drops nothing", func(t *testing.T) {
		before := room.State().Records
		mustOK(t, room.Vote(bob.ID, 8))
		mustOK(t, room.Reveal(alice.ID))
		if got := numbers(); got != "[3 4 5]" {
			t.Fatalf("the record holds rounds %s, want [3 4 5]", got)
		}
		if before[0].Number != 3 || before[2].Votes[1].Card != nil {
			t.Fatal("a state taken before changed")
		}
	})
	t.Run("a dropped round's estimate can no longer be set", func(t *testing.T) {
		wantCode(t, room.SetEstimate(alice.ID, 2, "5"), ENotFound)
		mustOK(t, room.SetEstimate(alice.ID, 3, "5"))
	})
	t.Run("without a limit every round is kept", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice)
		for range 5 {
			mustOK(t, room.StartRound(alice.ID, nil))
			mustOK(t, room.Reveal(alice.ID))
		}
		if n := len(room.State().Records); n != 5 {
			t.Fatalf("%d records, want 5", n)
		}
	})
}
