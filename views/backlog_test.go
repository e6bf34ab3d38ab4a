package views

import (
	"slices"
	"testing"

	"github.com/pokerd/pokerd/game"
)

func TestDiffBacklog(t *testing.T) {
	story := func(id int) *game.BacklogStory { return &game.BacklogStory{Story: game.Story{ID: id, Title: "s"}} }
	a, b, c, d := story(1), story(2), story(3), story(4)
	state := func(round game.RoundState, current int, backlog ...*game.BacklogStory) *game.State {
		st := &game.State{Round: round, Backlog: backlog}
		if current > 0 {
			st.Story = &game.Story{ID: current}
		}
		return st
	}
	edited := story(2)
	edited.Title = "edited"
	// Events that leave the backlog as it was pass its very slice on (see sameBacklog).
	shared := []*game.BacklogStory{a, b}
	sharing := func(round game.RoundState, current int) *game.State {
		st := state(round, current)
		st.Backlog = shared
		return st
	}
	for _, tc := range []struct {
		name          string
		before, after *game.State
		want          BacklogChanges
	}{
		{"nothing", state(game.RoundInit, 0, a, b), state(game.RoundInit, 0, a, b), BacklogChanges{}},
		{"both empty", state(game.RoundInit, 0), state(game.RoundVoting, 0), BacklogChanges{}},
		{"the first stories", state(game.RoundInit, 0), state(game.RoundInit, 0, a), BacklogChanges{Whole: true}},
		{"the last one deleted", state(game.RoundInit, 0, a), state(game.RoundInit, 0), BacklogChanges{Whole: true}},
		{"one edited", state(game.RoundInit, 0, a, b, c), state(game.RoundInit, 0, a, edited, c), BacklogChanges{Changed: []int{1}}},
		// The old last one gets its "down" button back.
		{"added at the end", state(game.RoundInit, 0, a, b), state(game.RoundInit, 0, a, b, c, d), BacklogChanges{Changed: []int{1}, Added: []int{2, 3}}},
		// The new first one loses its "up" button.
		{"the first deleted", state(game.RoundInit, 0, a, b, c), state(game.RoundInit, 0, b, c), BacklogChanges{Changed: []int{0}, Removed: []int{1}}},
		{"one in the middle deleted", state(game.RoundInit, 0, a, b, c), state(game.RoundInit, 0, a, c), BacklogChanges{Removed: []int{2}}},
		{"reordered", state(game.RoundInit, 0, a, b, c), state(game.RoundInit, 0, b, a, c), BacklogChanges{Whole: true}},
		{"a round on one", state(game.RoundInit, 0, a, b), state(game.RoundVoting, 2, a, b), BacklogChanges{Changed: []int{1}}},
		{"the next one", state(game.RoundRevealed, 1, a, b), state(game.RoundVoting, 2, a, b), BacklogChanges{Changed: []int{0, 1}}},
		{"its reveal", state(game.RoundVoting, 2, a, b), state(game.RoundRevealed, 2, a, b), BacklogChanges{Changed: []int{1}}},
		{"a vote: the same list", sharing(game.RoundVoting, 2), sharing(game.RoundVoting, 2), BacklogChanges{}},
		{"its reveal, the same list", sharing(game.RoundVoting, 2), sharing(game.RoundRevealed, 2), BacklogChanges{Changed: []int{1}}},
		{"a round on another, the same list", sharing(game.RoundVoting, 2), sharing(game.RoundVoting, 1), BacklogChanges{Changed: []int{0, 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DiffBacklog(tc.before, tc.after)
			if got.Whole != tc.want.Whole || !slices.Equal(got.Changed, tc.want.Changed) || !slices.Equal(got.Removed, tc.want.Removed) || !slices.Equal(got.Added, tc.want.Added) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if got.None() != (!tc.want.Whole && tc.want.Changed == nil && tc.want.Removed == nil && tc.want.Added == nil) {
				t.Errorf("None() = %v", got.None())
			}
		})
	}
}

func TestStoryText(t *testing.T) {
	link := "https://tracker.example.com/PP-12"
	for _, s := range []game.Story{{Key: "PP-12", Title: "Login page", Link: &link}, {Title: "Login page"}, {Link: &link}, {Key: "PP-12", Title: "Login"}} {
		parsed, err := game.ParseStory(storyText(s))
		if err != nil {
			t.Fatalf("%q: %v", storyText(s), err)
		}
		if parsed.Key != s.Key || parsed.Title != s.Title || (parsed.Link == nil) != (s.Link == nil) {
			t.Errorf("%q reads back as %+v, want %+v", storyText(s), parsed, s)
		}
	}
}
