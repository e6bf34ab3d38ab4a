package game

import (
	"reflect"
	"testing"
)

// storyRoom is a room where alice (facilitator) and bob are connected, with a watcher
// subscribed, and the given stories in its backlog (ids 1, 2, …).
func storyRoom(t *testing.T, settings GameSettings, titles ...string) (*Room, *recorder) {
	t.Helper()
	room, _, rec := roomWith(t, RegistryConfig{}, settings, alice, bob)
	if len(titles) > 0 {
		stories := make([]Story, len(titles))
		for i, title := range titles {
			stories[i] = Story{Title: title}
		}
		mustOK(t, room.AddStories(alice.ID, stories))
	}
	return room, rec
}

// lastOf is the last event of that kind the recorder got, or nil.
func lastOf(rec *recorder, kind EventKind) *Event {
	evs := rec.events()
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == kind {
			return evs[i]
		}
	}
	return nil
}

// since is the kinds of the events the recorder got after the first n.
func since(rec *recorder, n int) []EventKind {
	return rec.kinds()[n:]
}

// revealWith starts nothing: it has alice and bob vote and reveals.
func revealWith(t *testing.T, room *Room, a, b float64) {
	t.Helper()
	mustOK(t, room.Vote(alice.ID, a))
	mustOK(t, room.Vote(bob.ID, b))
	mustOK(t, room.Reveal(alice.ID))
}

func storyOf(st *State) Story {
	if st.Story == nil {
		return Story{}
	}
	return *st.Story
}

func TestStartRoundOnAStory(t *testing.T) {
	link := "https://tracker.example/PP-12"
	for _, tc := range []struct {
		name      string
		next      NextRound
		want      *Story
		wantError ErrorCode
	}{
		{"a title typed for the round", NextRound{Story: &Story{Title: "  Login page  "}}, &Story{Title: "Login page"}, ""},
		{"a key, a title and a link", NextRound{Story: &Story{Key: "PP-12", Title: "Login", Link: ptr("HTTPS://Tracker.example/PP-12")}}, &Story{Key: "PP-12", Title: "Login", Link: &link}, ""},
		{"a typed story's id is not taken", NextRound{Story: &Story{ID: 2, Title: "Typed"}}, &Story{Title: "Typed"}, ""},
		{"nothing: a round without a story", NextRound{}, nil, ""},
		{"a backlog story by its id", NextRound{StoryID: 2}, &Story{ID: 2, Title: "Second"}, ""},
		{"the next story of the backlog", NextRound{Next: true}, &Story{ID: 1, Title: "First"}, ""},
		{"a story id the backlog does not have", NextRound{StoryID: 9}, nil, ENotFound},
		{"a javascript: link", NextRound{Story: &Story{Title: "x", Link: ptr("javascript:alert(1)")}}, nil, EInvalid},
		{"an empty story", NextRound{Story: &Story{Title: "  "}}, nil, EInvalid},
		{"a title too long", NextRound{Story: &Story{Title: string(make([]rune, MaxStoryTitleLength+1))}}, nil, EInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{}, "First", "Second")
			before := room.State()
			err := room.Start(alice.ID, tc.next)
			if tc.wantError != "" {
				wantCode(t, err, tc.wantError)
				if after := room.State(); !reflect.DeepEqual(after, before) {
					t.Fatalf("a refused start changed the room:\n%+v\nwant\n%+v", after, before)
				}
				return
			}
			mustOK(t, err)
			st := room.State()
			if st.Round != RoundVoting || st.RoundNumber != 1 {
				t.Fatalf("round %v number %d, want a first round voting", st.Round, st.RoundNumber)
			}
			if !reflect.DeepEqual(st.Story, tc.want) {
				t.Fatalf("the round's story is %+v, want %+v", st.Story, tc.want)
			}
			var wantLink *string
			if tc.want != nil {
				wantLink = tc.want.Link
			}
			if !reflect.DeepEqual(st.TicketURL, wantLink) {
				t.Fatalf("the ticket link is %v, want the story's link %v", st.TicketURL, wantLink)
			}
			ev := lastOf(rec, RoundStarted)
			if !reflect.DeepEqual(ev.Story, tc.want) || !reflect.DeepEqual(ev.TicketURL, wantLink) {
				t.Fatalf("RoundStarted carries %+v and link %v", ev.Story, ev.TicketURL)
			}
		})
	}
}

func TestStartRoundKeepsItsContract(t *testing.T) {
	room, _ := storyRoom(t, GameSettings{})
	t.Run("a link becomes the round's story", func(t *testing.T) {
		mustOK(t, room.StartRound(alice.ID, ptr("https://Tracker.example/x")))
		st := room.State()
		if st.TicketURL == nil || *st.TicketURL != "https://tracker.example/x" || storyOf(st).Title != "" {
			t.Fatalf("ticket %v story %+v", st.TicketURL, st.Story)
		}
	})
	t.Run("text is not a link here", func(t *testing.T) {
		wantCode(t, room.StartRound(alice.ID, ptr("PP-12 Login")), EInvalid)
	})
	t.Run("nil is a round without a story", func(t *testing.T) {
		mustOK(t, room.StartRound(alice.ID, nil))
		if st := room.State(); st.Story != nil || st.TicketURL != nil {
			t.Fatalf("story %+v ticket %v", st.Story, st.TicketURL)
		}
	})
	t.Run("only whoever runs the round may", func(t *testing.T) {
		wantCode(t, room.StartRound(bob.ID, nil), EForbidden)
		wantCode(t, room.Start(bob.ID, NextRound{Next: true}), EForbidden)
		wantCode(t, room.Start(stranger.ID, NextRound{}), ENotSeated)
	})
}

func TestNextStoryPicksTheFirstStillToEstimate(t *testing.T) {
	room, _ := storyRoom(t, GameSettings{}, "One", "Two", "Three", "Four")
	mustOK(t, room.SkipStory(alice.ID, 2, true))

	mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
	if got := storyOf(room.State()).ID; got != 1 {
		t.Fatalf("first Next: story %d, want 1", got)
	}
	revealWith(t, room, 3, 5)
	// Not estimated, but the current story: Next passes it, and the skipped one.
	mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
	if got := storyOf(room.State()).ID; got != 3 {
		t.Fatalf("second Next: story %d, want 3 (1 is current, 2 skipped)", got)
	}
	revealWith(t, room, 5, 5)
	mustOK(t, room.Start(alice.ID, NextRound{Next: true, Estimate: ptr("5")}))
	if got := storyOf(room.State()).ID; got != 1 {
		t.Fatalf("third Next: story %d, want 1 again (not estimated, no longer current)", got)
	}
	revealWith(t, room, 3, 3)
	mustOK(t, room.Start(alice.ID, NextRound{Next: true, Estimate: ptr("3")}))
	if got := storyOf(room.State()).ID; got != 4 {
		t.Fatalf("fourth Next: story %d, want 4", got)
	}
	revealWith(t, room, 8, 8)
	mustOK(t, room.SetEstimate(alice.ID, 4, "8"))
	before := room.State()
	err := room.Start(alice.ID, NextRound{Next: true})
	wantCode(t, err, EConflict)
	if err.Error() != "the backlog has no story left to estimate" {
		t.Fatalf("message %q", err)
	}
	if after := room.State(); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused Next changed the room")
	}
	t.Run("taking a skipped story back makes it next", func(t *testing.T) {
		mustOK(t, room.SkipStory(alice.ID, 2, false))
		mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
		if got := storyOf(room.State()).ID; got != 2 {
			t.Fatalf("Next: story %d, want 2", got)
		}
	})
}

func TestVoteAgainKeepsTheStory(t *testing.T) {
	link := "https://tracker.example/PP-7"
	t.Run("a typed story", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{})
		typed := Story{Key: "PP-7", Title: "Search", Link: &link}
		mustOK(t, room.Start(alice.ID, NextRound{Story: &typed}))
		revealWith(t, room, 3, 8)
		mustOK(t, room.Start(alice.ID, NextRound{Again: true}))
		st := room.State()
		if !reflect.DeepEqual(st.Story, &typed) || st.TicketURL == nil || *st.TicketURL != link || st.RoundNumber != 2 {
			t.Fatalf("round %d story %+v ticket %v, want round 2 on %+v", st.RoundNumber, st.Story, st.TicketURL, typed)
		}
		if st.Players[0].Voted || st.Players[1].Voted {
			t.Fatal("the votes of the first round are still there")
		}
	})
	t.Run("a backlog story counts both rounds, and reads as edited", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{}, "Search")
		mustOK(t, room.Start(alice.ID, NextRound{StoryID: 1}))
		revealWith(t, room, 3, 8)
		mustOK(t, room.EditStory(alice.ID, 1, Story{Title: "Search, fixed"}))
		mustOK(t, room.Start(alice.ID, NextRound{Again: true}))
		st := room.State()
		if want := (&Story{ID: 1, Title: "Search, fixed"}); !reflect.DeepEqual(st.Story, want) {
			t.Fatalf("story %+v, want %+v", st.Story, want)
		}
		if b := st.Backlog[0]; b.Rounds != 2 {
			t.Fatalf("the story counts %d rounds, want 2", b.Rounds)
		}
	})
	t.Run("no story stays no story", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{})
		mustOK(t, room.Start(alice.ID, NextRound{Again: true}))
		if st := room.State(); st.Story != nil || st.RoundNumber != 1 {
			t.Fatalf("story %+v round %d", st.Story, st.RoundNumber)
		}
	})
}

func TestMovingOnRecordsTheEstimate(t *testing.T) {
	for _, tc := range []struct {
		name      string
		set       string // the estimate saved before moving on ("": none)
		field     *string
		want      string
		wantEvent bool
	}{
		{"the field's value is recorded", "", ptr(" 5 "), "5", true},
		{"a cleared field clears the estimate", "8", ptr(""), "", true},
		{"the same value records nothing new", "5", ptr("5"), "5", false},
		{"no field leaves the estimate as it is", "8", nil, "8", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, rec := storyRoom(t, GameSettings{}, "One", "Two")
			mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
			revealWith(t, room, 3, 5)
			if tc.set != "" {
				mustOK(t, room.SetEstimate(alice.ID, 1, tc.set))
			}
			n := len(rec.events())
			mustOK(t, room.Start(alice.ID, NextRound{Next: true, Estimate: tc.field}))
			st := room.State()
			if got := st.Records[0].Estimate; got != tc.want {
				t.Fatalf("round 1's estimate is %q, want %q", got, tc.want)
			}
			if got := st.Backlog[0].Estimate; got != tc.want {
				t.Fatalf("story 1's estimate is %q, want %q", got, tc.want)
			}
			kinds := since(rec, n)
			want := []EventKind{RoundStarted}
			if tc.wantEvent {
				want = []EventKind{EstimateSet, RoundStarted}
			}
			if !reflect.DeepEqual(kinds, want) {
				t.Fatalf("events %v, want %v", kinds, want)
			}
			if storyOf(st).ID != 2 {
				t.Fatalf("the round is on story %d, want 2", storyOf(st).ID)
			}
		})
	}
	t.Run("while voting there is no estimate to record", func(t *testing.T) {
		room, rec := storyRoom(t, GameSettings{}, "One")
		mustOK(t, room.Start(alice.ID, NextRound{StoryID: 1}))
		n := len(rec.events())
		mustOK(t, room.Start(alice.ID, NextRound{Again: true, Estimate: ptr("5")}))
		if kinds := since(rec, n); !reflect.DeepEqual(kinds, []EventKind{RoundStarted}) {
			t.Fatalf("events %v", kinds)
		}
	})
	t.Run("an estimate too long refuses the whole start", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{}, "One", "Two")
		mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
		revealWith(t, room, 3, 5)
		before := room.State()
		wantCode(t, room.Start(alice.ID, NextRound{Next: true, Estimate: ptr("123456789012345678901")}), EInvalid)
		if !reflect.DeepEqual(room.State(), before) {
			t.Fatal("a refused start changed the room")
		}
	})
	t.Run("a past round's estimate can be edited, and its story follows its latest", func(t *testing.T) {
		room, _ := storyRoom(t, GameSettings{}, "One")
		mustOK(t, room.Start(alice.ID, NextRound{StoryID: 1}))
		revealWith(t, room, 3, 8)
		mustOK(t, room.Start(alice.ID, NextRound{Again: true, Estimate: ptr("8")}))
		revealWith(t, room, 5, 5)
		mustOK(t, room.Start(alice.ID, NextRound{Estimate: ptr("5")}))
		if got := room.State().Backlog[0].Estimate; got != "5" {
			t.Fatalf("story estimate %q, want round 2's 5", got)
		}
		mustOK(t, room.SetEstimate(alice.ID, 1, "13")) // an older round: the latest still wins
		if got := room.State().Backlog[0].Estimate; got != "5" {
			t.Fatalf("story estimate %q after editing round 1, want 5", got)
		}
		mustOK(t, room.SetEstimate(alice.ID, 2, ""))
		st := room.State()
		if got := st.Backlog[0].Estimate; got != "13" {
			t.Fatalf("story estimate %q after clearing round 2, want round 1's 13", got)
		}
		if st.Records[0].Estimate != "13" || st.Records[1].Estimate != "" {
			t.Fatalf("records' estimates %q %q", st.Records[0].Estimate, st.Records[1].Estimate)
		}
	})
}

func TestTheRecordKeepsTheStory(t *testing.T) {
	room, _ := storyRoom(t, GameSettings{}, "Backlog one")
	link := "https://tracker.example/PP-3"
	mustOK(t, room.Start(alice.ID, NextRound{Story: &Story{Key: "PP-3", Title: "Typed", Link: &link}}))
	revealWith(t, room, 3, 5)
	mustOK(t, room.Start(alice.ID, NextRound{Next: true}))
	revealWith(t, room, 5, 5)
	// Deleting the story, or editing it, leaves its rounds as they were voted.
	mustOK(t, room.EditStory(alice.ID, 1, Story{Title: "Renamed"}))
	mustOK(t, room.DeleteStory(alice.ID, 1))
	recs := room.State().Records
	got := [][4]any{}
	for _, r := range recs {
		l := ""
		if r.TicketURL != nil {
			l = *r.TicketURL
		}
		got = append(got, [4]any{r.StoryID, r.Key, r.Title, l})
	}
	want := [][4]any{{0, "PP-3", "Typed", link}, {1, "", "Backlog one", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("records' stories %v, want %v", got, want)
	}
}
