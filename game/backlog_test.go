package game

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// backlogIDs is the backlog's story ids, in order.
func backlogIDs(st *State) []int {
	ids := []int{}
	for _, b := range st.Backlog {
		ids = append(ids, b.ID)
	}
	return ids
}

func TestAddStories(t *testing.T) {
	t.Run("stories get ids in order, cleaned", func(t *testing.T) {
		room, rec := storyRoom(t, GameSettings{}, "One")
		mustOK(t, room.AddStories(alice.ID, []Story{
			{Key: " PP-2 ", Title: "Two\u200b", Link: ptr("HTTPS://Tracker.example/PP-2")},
			{Title: "<script>alert(1)</script>"},
		}))
		st := room.State()
		want := []*BacklogStory{
			{Story: Story{ID: 1, Title: "One"}},
			{Story: Story{ID: 2, Key: "PP-2", Title: "Two", Link: ptr("https://tracker.example/PP-2")}},
			{Story: Story{ID: 3, Title: "<script>alert(1)</script>"}}, // text: escaped where shown
		}
		if !reflect.DeepEqual(st.Backlog, want) {
			t.Fatalf("backlog %+v", st.Backlog)
		}
		ev := lastOf(rec, StoriesAdded)
		if ids := []int{ev.Stories[0].ID, ev.Stories[1].ID}; !reflect.DeepEqual(ids, []int{2, 3}) {
			t.Fatalf("StoriesAdded carries ids %v, want 2 and 3", ids)
		}
	})
	t.Run("ids are never reused", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{}, "One", "Two")
		mustOK(t, room.DeleteStory(alice.ID, 2))
		mustOK(t, room.AddStories(alice.ID, []Story{{Title: "Three"}}))
		if ids := backlogIDs(room.State()); !reflect.DeepEqual(ids, []int{1, 3}) {
			t.Fatalf("ids %v, want [1 3]", ids)
		}
	})
	for _, tc := range []struct {
		name    string
		stories []Story
		code    ErrorCode
		message string
	}{
		{"nothing", nil, EInvalid, "no story to add"},
		{"one bad among good ones names its place", []Story{{Title: "ok"}, {Title: "ok"}, {Link: ptr("javascript:alert(1)")}}, EInvalid, "story 3: a ticket link must be"},
		{"an empty one", []Story{{Title: "ok"}, {Title: " \t"}}, EInvalid, "story 2: a story needs a title or a link"},
		{"a title too long", []Story{{Title: strings.Repeat("é", MaxStoryTitleLength+1)}}, EInvalid, "at most 200 characters"},
		{"a key too long", []Story{{Key: strings.Repeat("K", MaxStoryKeyLength+1), Title: "x"}}, EInvalid, "at most 32 characters"},
		{"more than the backlog holds", make([]Story, MaxBacklogStories), EConflict, "the backlog holds at most 500 stories"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{}, "One")
			for i := range tc.stories {
				if tc.stories[i].IsZero() && tc.code == EConflict {
					tc.stories[i].Title = fmt.Sprint("Story ", i)
				}
			}
			before, n := room.State(), len(rec.events())
			err := room.AddStories(alice.ID, tc.stories)
			wantCode(t, err, tc.code)
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("error %q does not say %q", err, tc.message)
			}
			if !reflect.DeepEqual(room.State(), before) || len(rec.events()) != n {
				t.Fatal("a refused addition changed the room")
			}
		})
	}
	t.Run("the backlog fills up to its limit exactly", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{}, "One")
		more := make([]Story, MaxBacklogStories-1)
		for i := range more {
			more[i].Title = fmt.Sprint("Story ", i+2)
		}
		mustOK(t, room.AddStories(alice.ID, more))
		wantCode(t, room.AddStories(alice.ID, []Story{{Title: "One too many"}}), EConflict)
		mustOK(t, room.DeleteStory(alice.ID, 1))
		mustOK(t, room.AddStories(alice.ID, []Story{{Title: "Fits again"}}))
	})
}

func TestBacklogCommands(t *testing.T) {
	for _, tc := range []struct {
		name   string
		do     func(*Room) error
		ids    []int
		kinds  []EventKind // nil: nothing is emitted
		check  func(*testing.T, *State)
		refuse ErrorCode
	}{
		{"move down", func(r *Room) error { return r.MoveStory(alice.ID, 1, 2) }, []int{2, 3, 1, 4}, []EventKind{BacklogReordered}, nil, ""},
		{"move to the top", func(r *Room) error { return r.MoveStory(alice.ID, 4, 0) }, []int{4, 1, 2, 3}, []EventKind{BacklogReordered}, nil, ""},
		{"a move past the end is clamped", func(r *Room) error { return r.MoveStory(alice.ID, 2, 99) }, []int{1, 3, 4, 2}, []EventKind{BacklogReordered}, nil, ""},
		{"a move before the start is clamped", func(r *Room) error { return r.MoveStory(alice.ID, 3, -5) }, []int{3, 1, 2, 4}, []EventKind{BacklogReordered}, nil, ""},
		{"a move to where it is changes nothing", func(r *Room) error { return r.MoveStory(alice.ID, 2, 1) }, []int{1, 2, 3, 4}, nil, nil, ""},
		{"a move of a story not there", func(r *Room) error { return r.MoveStory(alice.ID, 7, 0) }, nil, nil, nil, ENotFound},
		{"one place up", func(r *Room) error { return r.MoveStoryBy(alice.ID, 3, -1) }, []int{1, 3, 2, 4}, []EventKind{BacklogReordered}, nil, ""},
		{"one place down from the bottom changes nothing", func(r *Room) error { return r.MoveStoryBy(alice.ID, 4, +1) }, []int{1, 2, 3, 4}, nil, nil, ""},
		{"reorder", func(r *Room) error { return r.ReorderBacklog(alice.ID, []int{3, 1, 4, 2}) }, []int{3, 1, 4, 2}, []EventKind{BacklogReordered}, nil, ""},
		{"reorder to the same order changes nothing", func(r *Room) error { return r.ReorderBacklog(alice.ID, []int{1, 2, 3, 4}) }, []int{1, 2, 3, 4}, nil, nil, ""},
		{"reorder missing one", func(r *Room) error { return r.ReorderBacklog(alice.ID, []int{3, 1, 2}) }, nil, nil, nil, EInvalid},
		{"reorder naming one twice", func(r *Room) error { return r.ReorderBacklog(alice.ID, []int{3, 1, 2, 2}) }, nil, nil, nil, EInvalid},
		{"reorder naming a stranger", func(r *Room) error { return r.ReorderBacklog(alice.ID, []int{3, 1, 2, 9}) }, nil, nil, nil, EInvalid},
		{"skip", func(r *Room) error { return r.SkipStory(alice.ID, 2, true) }, []int{1, 2, 3, 4}, []EventKind{StoryChanged}, func(t *testing.T, st *State) {
			if !st.Backlog[1].Skipped {
				t.Fatal("story 2 is not skipped")
			}
		}, ""},
		{"unskip a story not skipped changes nothing", func(r *Room) error { return r.SkipStory(alice.ID, 2, false) }, []int{1, 2, 3, 4}, nil, nil, ""},
		{"delete", func(r *Room) error { return r.DeleteStory(alice.ID, 3) }, []int{1, 2, 4}, []EventKind{StoryDeleted}, nil, ""},
		{"delete a story not there", func(r *Room) error { return r.DeleteStory(alice.ID, 0) }, nil, nil, nil, ENotFound},
		{"edit", func(r *Room) error {
			return r.EditStory(alice.ID, 2, Story{Key: "PP-2", Title: "Two, better", Link: ptr("https://tracker.example/PP-2")})
		}, []int{1, 2, 3, 4}, []EventKind{StoryChanged}, func(t *testing.T, st *State) {
			want := Story{ID: 2, Key: "PP-2", Title: "Two, better", Link: ptr("https://tracker.example/PP-2")}
			if !reflect.DeepEqual(st.Backlog[1].Story, want) {
				t.Fatalf("story 2 is %+v", st.Backlog[1].Story)
			}
		}, ""},
		{"an edit to the same text changes nothing", func(r *Room) error { return r.EditStory(alice.ID, 2, Story{Title: " Two "}) }, []int{1, 2, 3, 4}, nil, nil, ""},
		{"an edit to nothing", func(r *Room) error { return r.EditStory(alice.ID, 2, Story{}) }, nil, nil, nil, EInvalid},
		{"an edit with a bad link", func(r *Room) error { return r.EditStory(alice.ID, 2, Story{Title: "x", Link: ptr("ftp://x")}) }, nil, nil, nil, EInvalid},
		{"a player who does not run the round", func(r *Room) error { return r.SkipStory(bob.ID, 2, true) }, nil, nil, nil, EForbidden},
		{"a stranger", func(r *Room) error { return r.AddStories(stranger.ID, []Story{{Title: "x"}}) }, nil, nil, nil, ENotSeated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{}, "One", "Two", "Three", "Four")
			before, n := room.State(), len(rec.events())
			err := tc.do(room)
			if tc.refuse != "" {
				wantCode(t, err, tc.refuse)
				if !reflect.DeepEqual(room.State(), before) || len(rec.events()) != n {
					t.Fatal("a refused command changed the room")
				}
				return
			}
			mustOK(t, err)
			st := room.State()
			if got := backlogIDs(st); !reflect.DeepEqual(got, tc.ids) {
				t.Fatalf("backlog %v, want %v", got, tc.ids)
			}
			if got := since(rec, n); !reflect.DeepEqual(got, tc.kinds) && (len(got) != 0 || tc.kinds != nil) {
				t.Fatalf("events %v, want %v", got, tc.kinds)
			}
			if tc.check != nil {
				tc.check(t, st)
			}
			// What was seen before is never changed under its holder.
			if got := backlogIDs(before); !reflect.DeepEqual(got, []int{1, 2, 3, 4}) || before.Backlog[1].Skipped || before.Backlog[1].Title != "Two" {
				t.Fatalf("an earlier state's backlog changed: %v", got)
			}
		})
	}
	t.Run("the events say what changed", func(t *testing.T) {
		room, rec := storyRoom(t, GameSettings{}, "One", "Two")
		mustOK(t, room.SkipStory(alice.ID, 1, true))
		if ev := lastOf(rec, StoryChanged); !ev.Skipped || ev.Story.ID != 1 || ev.Story.Title != "One" {
			t.Fatalf("StoryChanged %+v %+v", ev, ev.Story)
		}
		mustOK(t, room.EditStory(alice.ID, 1, Story{Title: "Uno"}))
		if ev := lastOf(rec, StoryChanged); !ev.Skipped || ev.Story.Title != "Uno" {
			t.Fatal("an edit of a skipped story took it back")
		}
		mustOK(t, room.MoveStory(alice.ID, 2, 0))
		if ev := lastOf(rec, BacklogReordered); !reflect.DeepEqual(ev.Order, []int{2, 1}) {
			t.Fatalf("order %v", ev.Order)
		}
		mustOK(t, room.DeleteStory(alice.ID, 2))
		if ev := lastOf(rec, StoryDeleted); ev.StoryID != 2 {
			t.Fatalf("deleted %d", ev.StoryID)
		}
	})
	t.Run("anyone runs the backlog in a facilitator-free room", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{Options: RoomOptions{FacilitatorFree: true}}, "One")
		mustOK(t, room.AddStories(bob.ID, []Story{{Title: "Bob's"}}))
		mustOK(t, room.Start(bob.ID, NextRound{StoryID: 2}))
	})
}

func TestBacklogStoryStates(t *testing.T) {
	room, _ := storyRoom(t, GameSettings{}, "One", "Two", "Three")
	mustOK(t, room.Start(alice.ID, NextRound{StoryID: 1}))
	revealWith(t, room, 3, 3)
	mustOK(t, room.SkipStory(alice.ID, 3, true))
	mustOK(t, room.Start(alice.ID, NextRound{Next: true, Estimate: ptr("3")}))
	st := room.State()
	type view struct {
		ID       int
		Estimate string
		Skipped  bool
		Rounds   int
	}
	var got []view
	for _, b := range st.Backlog {
		got = append(got, view{b.ID, b.Estimate, b.Skipped, b.Rounds})
	}
	want := []view{{1, "3", false, 1}, {2, "", false, 1}, {3, "", true, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("backlog %+v, want %+v", got, want)
	}
	if !st.Backlog[0].Estimated() || st.Backlog[1].Estimated() || storyOf(st).ID != 2 {
		t.Fatal("estimated or current story wrong")
	}
}
