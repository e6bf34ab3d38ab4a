package game

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// playStorySession plays what issue 14 added: a backlog prepared, edited, skipped,
// reordered and pruned; rounds on its stories and on typed ones; a re-vote; a vote after
// the reveal; an anonymous round; unsure votes; a player who left. It leaves a round
// open on a backlog story with an unsure vote cast.
func playStorySession(t *testing.T, reg *Registry, clock *fakeClock) *Room {
	t.Helper()
	room, err := reg.Create("Stories", DefaultDeckID, GameSettings{Options: RoomOptions{AskConfidence: true}})
	mustOK(t, err)
	for _, p := range []Player{alice, bob, carol} {
		mustOK(t, room.Join(p))
		mustOK(t, room.Connect(p.ID, &recorder{}))
	}
	mustOK(t, room.AddStories(alice.ID, []Story{
		{Key: "PP-1", Title: "Sign up", Link: ptr("https://tracker.example/PP-1")},
		{Title: "Log in ☕"}, {Title: "Log out"}, {Title: "Reset password"}, {Title: "Gone soon"},
	}))
	mustOK(t, room.EditStory(alice.ID, 2, Story{Key: "PP-2", Title: "Log in"}))
	mustOK(t, room.SkipStory(alice.ID, 3, true))
	mustOK(t, room.DeleteStory(alice.ID, 5))
	mustOK(t, room.ReorderBacklog(alice.ID, []int{2, 1, 3, 4}))
	mustOK(t, room.MoveStory(alice.ID, 4, 1))

	step := func() { clock.Advance(time.Minute) }
	step()
	mustOK(t, room.Start(alice.ID, NextRound{Next: true})) // story 2
	mustOK(t, room.VoteWith(bob.ID, 3, true))
	mustOK(t, room.Vote(alice.ID, 8))
	step()
	mustOK(t, room.Reveal(alice.ID))
	mustOK(t, room.Vote(carol.ID, 5)) // after the reveal
	step()
	mustOK(t, room.Start(alice.ID, NextRound{Again: true}))
	revealWith(t, room, 5, 5)
	step()
	mustOK(t, room.Start(alice.ID, NextRound{Next: true, Estimate: ptr("5")})) // story 4
	revealWith(t, room, 2, 3)
	mustOK(t, room.SetOptions(alice.ID, RoomOptions{AskConfidence: true, HideNames: true}))
	step()
	mustOK(t, room.Start(alice.ID, NextRound{Story: &Story{Title: "Typed <b>", Link: ptr("https://tracker.example/x")}, Estimate: ptr("3")}))
	revealWith(t, room, 1, 2)
	mustOK(t, room.Leave(carol.ID))
	step()
	mustOK(t, room.Start(alice.ID, NextRound{Next: true})) // story 1
	mustOK(t, room.VoteWith(bob.ID, 13, true))
	return room
}

func TestStoriesComeBackAfterARestart(t *testing.T) {
	for _, tc := range []struct {
		name  string
		every int
	}{
		{"from the events alone", 1_000_000},
		{"from snapshots", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newLoggedWorld(t, RegistryConfig{SnapshotEvery: tc.every})
			p := w.start()
			room := playStorySession(t, p.reg, w.clock)
			before := room.State()
			if len(before.Backlog) != 4 || before.Story == nil || len(before.Records) != 4 || !before.Records[2].Anonymous {
				t.Fatalf("the session did not play as meant: %+v", before)
			}

			p = w.restart(p)
			back := p.room(t, room.Code())
			if got, want := back.State(), offline(before); !reflect.DeepEqual(got, want) {
				t.Fatalf("after the restart the room is\n%+v\nwant\n%+v", got, want)
			}
			seat, err := back.Seat(bob.ID)
			mustOK(t, err)
			if seat.Vote == nil || *seat.Vote != 13 || !seat.Unsure {
				t.Fatalf("bob's vote came back as %v unsure %v", seat.Vote, seat.Unsure)
			}
			// Story ids go on from where they were: 5, deleted, is not given again.
			mustOK(t, back.AddStories(alice.ID, []Story{{Title: "After the restart"}}))
			if st := back.State(); st.Backlog[len(st.Backlog)-1].ID != 6 {
				t.Fatalf("a story added after the restart got id %d, want 6", st.Backlog[len(st.Backlog)-1].ID)
			}
			// The round goes on: revealing it counts it for its story.
			mustOK(t, back.Reveal(alice.ID))
			mustOK(t, back.Start(alice.ID, NextRound{Next: true, Estimate: ptr("13")}))
			if b := back.State().Backlog[2]; b.ID != 1 || b.Estimate != "13" || b.Rounds != 1 {
				t.Fatalf("story 1 after its round: %+v", b)
			}
		})
	}
}

func TestImageCarriesStories(t *testing.T) {
	reg, clock := newTestRegistry(t, RegistryConfig{EmptyRoomGrace: time.Hour})
	room := playStorySession(t, reg, clock)
	want := room.State()
	room.mu.Lock()
	data, err := EncodeImage(room.state.image())
	nextID := room.state.nextStoryID
	room.mu.Unlock()
	mustOK(t, err)
	img, err := DecodeImage(data)
	mustOK(t, err)
	s, err := img.state()
	mustOK(t, err)
	if got := s.snapshot(); !reflect.DeepEqual(got, want) {
		t.Fatalf("the image brought back\n%+v\nwant\n%+v", got, want)
	}
	if s.nextStoryID != nextID || !s.byID[bob.ID].unsure {
		t.Fatalf("next story id %d (want %d), bob's unsure %v", s.nextStoryID, nextID, s.byID[bob.ID].unsure)
	}

	for _, tc := range []struct {
		name   string
		damage func(*RoomImage)
		want   string
	}{
		{"a story id twice", func(i *RoomImage) { i.Backlog[1].ID = i.Backlog[0].ID }, "twice"},
		{"a story id never given", func(i *RoomImage) { i.Backlog[0].ID = i.NextStoryID }, "never given"},
		{"a story id of 0", func(i *RoomImage) { i.Backlog[0].ID = 0 }, "never given"},
		{"an empty story", func(i *RoomImage) { i.Backlog[0].StoryImage = StoryImage{ID: 1} }, "empty"},
		{"a current story never given", func(i *RoomImage) { i.Story.ID = 99 }, "never given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, err := DecodeImage(data)
			mustOK(t, err)
			tc.damage(img)
			if _, err := img.state(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restoring a damaged image: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

func TestAnEmptiedBacklogComesBackTheSame(t *testing.T) {
	w := newLoggedWorld(t, RegistryConfig{SnapshotEvery: 1}) // from an image
	p := w.start()
	room, err := p.reg.Create("Emptied", DefaultDeckID, GameSettings{})
	mustOK(t, err)
	mustOK(t, room.Join(alice))
	mustOK(t, room.AddStories(alice.ID, []Story{{Title: "Only"}}))
	mustOK(t, room.DeleteStory(alice.ID, 1))
	before := room.State()
	p = w.restart(p)
	if got := p.room(t, room.Code()).State(); !reflect.DeepEqual(got, before) {
		t.Fatalf("after the restart the room is\n%+v\nwant\n%+v", got, before)
	}
	mustOK(t, p.room(t, room.Code()).AddStories(alice.ID, []Story{{Title: "Next"}}))
	if id := p.room(t, room.Code()).State().Backlog[0].ID; id != 2 {
		t.Fatalf("the story added after the restart got id %d, want 2", id)
	}
}

// What a binary from before stories wrote is read with the same meaning: a round's
// link is its story.
func TestHistoryFromBeforeStories(t *testing.T) {
	t.Run("a RoundStarted with a link alone", func(t *testing.T) {
		ev, err := DecodeEvent(RoundStarted, 5, []byte(`{"v":1,"at":"2024-05-01T12:00:00Z","ticket":"https://tracker.example/PROJ-1"}`))
		mustOK(t, err)
		s := newRoomState()
		s.apply(ev)
		if want := (&Story{Link: ptr("https://tracker.example/PROJ-1")}); !reflect.DeepEqual(s.story, want) {
			t.Fatalf("story %+v, want %+v", s.story, want)
		}
		if st := s.snapshot(); st.TicketURL == nil || *st.TicketURL != "https://tracker.example/PROJ-1" {
			t.Fatalf("ticket %v", st.TicketURL)
		}
	})
	t.Run("an image with a ticket and no story", func(t *testing.T) {
		img := &RoomImage{Version: 1, Game: GameImage{Code: "old", Deck: Deck{ID: 1, Name: "F", Cards: []Card{{Label: "1", Value: 1}}}},
			Round: RoundVoting, RoundNumber: 2, TicketURL: ptr("https://tracker.example/PROJ-2")}
		data, err := EncodeImage(img)
		mustOK(t, err)
		back, err := DecodeImage(data)
		mustOK(t, err)
		s, err := back.state()
		mustOK(t, err)
		if s.story == nil || s.story.Link == nil || *s.story.Link != "https://tracker.example/PROJ-2" || s.nextStoryID != 1 {
			t.Fatalf("story %+v, next id %d", s.story, s.nextStoryID)
		}
	})
}
