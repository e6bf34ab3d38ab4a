package live

import (
	"strconv"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// The backlog's list is sent to every browser when it changes (a story added, skipped,
// a round on a story, an estimate), with the runner's controls marked runner-only (the
// same HTML for everyone), and only then: a vote or a reveal does not carry it.
func TestLiveMessagesCarryTheBacklogWhenItChanges(t *testing.T) {
	lt := newLiveTable(t)
	link := "https://tracker.example.com/PP-2"

	t.Run("stories added: the list, and nothing of the players or hands", func(t *testing.T) {
		if err := lt.room.AddStories(lt.ann, []game.Story{{Key: "PP-1", Title: "Sign up"}, {Key: "PP-2", Title: "Sign in", Link: &link}}); err != nil {
			t.Fatal(err)
		}
		for who, feed := range map[string]<-chan string{"Ann": lt.annFeed, "Bob": lt.bobFeed} {
			got := lt.readUntil(feed, `id="backlog-list"`)
			m := got[len(got)-1]
			if strings.Count(m, `data-testid="backlog-story"`) != 2 || !strings.Contains(m, ">Sign up<") || !strings.Contains(m, `href="https://tracker.example.com/PP-2"`) {
				t.Errorf("%s's message of the stories added: %s", who, m)
			}
			if !strings.Contains(m, `class="story-actions runner-only"`) || !strings.Contains(m, `hx-swap-oob="true"`) {
				t.Errorf("%s's list has no runner-only controls, or is not swapped by id: %s", who, m)
			}
			noneHolds(t, who+"'s message of stories added", got, `id="hand-sync"`, `id="players"`, `id="round"`, `name="_csrf"`)
		}
	})

	first := lt.room.State().Backlog[0].ID
	t.Run("a story skipped", func(t *testing.T) {
		if err := lt.room.SkipStory(lt.ann, first, true); err != nil {
			t.Fatal(err)
		}
		got := lt.readUntil(lt.bobFeed, `data-testid="backlog-story"`)
		m := got[len(got)-1]
		if !strings.Contains(m, `data-story-id="`+strconv.Itoa(first)+`" data-state="skipped" hx-swap-oob="true"`) || strings.Count(m, `data-testid="backlog-story"`) != 1 || strings.Contains(m, `id="backlog-list"`) {
			t.Errorf("Bob's message of the skip, want the story's line alone: %s", m)
		}
	})

	t.Run("a round on a story marks it current", func(t *testing.T) {
		if err := lt.room.Start(lt.ann, game.NextRound{Next: true}); err != nil {
			t.Fatal(err)
		}
		got := lt.readUntil(lt.bobFeed, `data-testid="backlog-story"`, `id="hand-sync"`)
		if m := got[len(got)-1]; !strings.Contains(m, `data-state="current"`) || !strings.Contains(m, `data-round="VOTING"`) || !strings.Contains(m, ">voting now<") {
			t.Errorf("Bob's message of the round on a story: %s", m)
		}
	})

	t.Run("votes do not send the backlog; the reveal sends the current story", func(t *testing.T) {
		if err := lt.room.Vote(lt.bob, 5); err != nil {
			t.Fatal(err)
		}
		if err := lt.room.Vote(lt.ann, 5); err != nil {
			t.Fatal(err)
		}
		if err := lt.room.Reveal(lt.ann); err != nil {
			t.Fatal(err)
		}
		got := lt.readUntil(lt.bobFeed, `data-round="REVEALED"`)
		// The current story says "revealed": its line alone.
		if m := got[len(got)-1]; strings.Count(m, `data-testid="backlog-story"`) != 1 || !strings.Contains(m, ">revealed<") {
			t.Errorf("the reveal's message: %s", m)
		}
		noneHolds(t, "the messages of votes", got[:len(got)-1], `data-testid="backlog-story"`)
	})

	t.Run("an estimate is shown on the story", func(t *testing.T) {
		st := lt.room.State()
		if err := lt.room.SetEstimate(lt.ann, st.RoundNumber, "5"); err != nil {
			t.Fatal(err)
		}
		got := lt.readUntil(lt.bobFeed, `data-testid="story-estimate"`)
		if m := got[len(got)-1]; !strings.Contains(m, `data-state="current"`) || !strings.Contains(m, `<strong data-testid="story-estimate">5</strong>`) || !strings.Contains(m, "· 1 of 2 estimated") {
			t.Errorf("Bob's message of the estimate: %s", m)
		}
	})
}

// Stories added at the end come as new lines, a deleted one goes by its id, and a new
// order sends the whole list.
func TestLiveBacklogLinesComeAndGo(t *testing.T) {
	lt := newLiveTable(t)
	add := func(titles ...string) {
		var stories []game.Story
		for _, title := range titles {
			stories = append(stories, game.Story{Title: title})
		}
		if err := lt.room.AddStories(lt.ann, stories); err != nil {
			t.Fatal(err)
		}
	}
	add("One", "Two")
	lt.readUntil(lt.bobFeed, `id="backlog-list"`, ">Two<")

	add("Three")
	got := lt.readUntil(lt.bobFeed, ">Three<")
	m := got[len(got)-1]
	// Two is no longer the last: its "down" button comes back to life.
	if !strings.Contains(m, `hx-swap-oob="beforeend:#backlog-stories"`) || !strings.Contains(m, ">Two<") || strings.Contains(m, ">One<") || strings.Contains(m, `id="backlog-list"`) {
		t.Errorf("the message of a story added: %s", m)
	}

	id := lt.room.State().Backlog[0].ID
	if err := lt.room.DeleteStory(lt.ann, id); err != nil {
		t.Fatal(err)
	}
	got = lt.readUntil(lt.bobFeed, `hx-swap-oob="delete"`)
	if m := got[len(got)-1]; !strings.Contains(m, `<li id="story-`+strconv.Itoa(id)+`" hx-swap-oob="delete">`) || !strings.Contains(m, "· 0 of 2 estimated") {
		t.Errorf("the message of a story deleted: %s", m)
	}

	st := lt.room.State()
	if err := lt.room.MoveStory(lt.ann, st.Backlog[1].ID, 0); err != nil {
		t.Fatal(err)
	}
	got = lt.readUntil(lt.bobFeed, `id="backlog-list"`)
	if m := got[len(got)-1]; strings.Index(m, ">Three<") > strings.Index(m, ">Two<") {
		t.Errorf("the message of a new order: %s", m)
	}
}

// A full backlog is the largest message the stream sends: measured here, for 500
// stories with a key, a title of 60 characters and a link each.
func TestTheMessageOfAFullBacklog(t *testing.T) {
	lt := newLiveTable(t)
	stories := make([]game.Story, game.MaxBacklogStories)
	for i := range stories {
		link := "https://tracker.example.com/browse/PP-" + strconv.Itoa(1000+i)
		stories[i] = game.Story{Key: "PP-" + strconv.Itoa(1000+i), Title: strings.Repeat("Login page ", 6)[:60], Link: &link}
	}
	if err := lt.room.AddStories(lt.ann, stories); err != nil {
		t.Fatal(err)
	}
	got := lt.readUntil(lt.bobFeed, `id="backlog-list"`)
	m := got[len(got)-1]
	if n := strings.Count(m, `data-testid="backlog-story"`); n != game.MaxBacklogStories {
		t.Fatalf("the message holds %d stories", n)
	}
	perStory := len(m) / game.MaxBacklogStories
	t.Logf("a backlog of %d stories is a message of %d KiB, %d bytes a story", game.MaxBacklogStories, len(m)>>10, perStory)
	if perStory > 2400 {
		t.Errorf("a story's line is %d bytes", perStory)
	}
	// A change to one story of it sends that story's line.
	if err := lt.room.SkipStory(lt.ann, lt.room.State().Backlog[250].ID, true); err != nil {
		t.Fatal(err)
	}
	got = lt.readUntil(lt.bobFeed, `data-state="skipped"`)
	if m := got[len(got)-1]; len(m) > 3000 {
		t.Errorf("a skip in a full backlog is a message of %d bytes", len(m))
	}
}
