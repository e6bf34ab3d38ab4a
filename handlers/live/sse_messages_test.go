package live

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/streamtest"
	"github.com/pokerd/pokerd/handlers/web"
)

// A room of two browsers (Ann, the facilitator, and Bob) and a WebSocket-like player
// (Carol), each browser reading its own stream.
type liveTable struct {
	t              *testing.T
	room           *game.Room
	ann, bob       uuid.UUID // the browsers' seat ids
	annFeed        <-chan string
	bobFeed        <-chan string
	carol          game.Player
	annKey, bobKey string
}

type quietSubscriber struct{}

func (quietSubscriber) Deliver(*game.Event) {}

func newLiveTable(t *testing.T) *liveTable {
	t.Helper()
	srv, _, rooms := streamServer(t)
	room, err := rooms.Create("Live", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	lt := &liveTable{t: t, room: room}
	annBrowser, bobBrowser := uuid.New(), uuid.New()
	lt.ann, lt.bob = web.SeatID(annBrowser, room.Code()), web.SeatID(bobBrowser, room.Code())
	for _, p := range []game.Player{{ID: lt.ann, Username: "Ann"}, {ID: lt.bob, Username: "Bob"}} {
		if err := room.Join(p); err != nil {
			t.Fatal(err)
		}
	}
	events := srv.URL + "/room/" + room.Code() + "/events"
	lt.annFeed = streamtest.Updates(t, events, annBrowser.String())
	lt.readUntil(lt.annFeed, `id="hand-sync"`)
	lt.bobFeed = streamtest.Updates(t, events, bobBrowser.String())
	lt.readUntil(lt.bobFeed, `id="hand-sync"`)
	// Ann sees Bob come online; her stream is then quiet.
	lt.readUntil(lt.annFeed, `data-connected="true"`, lt.bobRow())
	return lt
}

func (lt *liveTable) bobRow() string {
	seat, err := lt.room.Seat(lt.bob)
	if err != nil {
		lt.t.Fatal(err)
	}
	return `id="row-` + seat.Player.Alias.String() + `"`
}

// readUntil reads a feed's messages until one holds every one of want, and returns the
// messages read, in order.
func (lt *liveTable) readUntil(feed <-chan string, want ...string) []string {
	lt.t.Helper()
	var read []string
	for {
		m := streamtest.Next(lt.t, feed)
		read = append(read, m)
		all := true
		for _, w := range want {
			all = all && strings.Contains(m, w)
		}
		if all {
			return read
		}
	}
}

// quiet checks that a feed has nothing more to say.
func (lt *liveTable) quiet(feed <-chan string, who string) {
	lt.t.Helper()
	select {
	case m := <-feed:
		lt.t.Errorf("%s's stream sent more than expected: %s", who, m)
	case <-time.After(150 * time.Millisecond):
	}
}

func noneHolds(t *testing.T, what string, messages []string, unwanted ...string) {
	t.Helper()
	for _, m := range messages {
		for _, u := range unwanted {
			if strings.Contains(m, u) {
				t.Errorf("%s holds %s: %s", what, u, m)
			}
		}
	}
}

// What each change sends each browser: the parts it changed, the facilitator's list to
// the facilitator, the hand's key only when hands change.
func TestLiveMessagesCarryWhatChanged(t *testing.T) {
	lt := newLiveTable(t)

	t.Run("a join sends the new row and, to the facilitator, her list; nobody's hand", func(t *testing.T) {
		lt.carol = game.Player{ID: uuid.New(), Username: "Carol"}
		if err := lt.room.Join(lt.carol); err != nil {
			t.Fatal(err)
		}
		if err := lt.room.Connect(lt.carol.ID, quietSubscriber{}); err != nil {
			t.Fatal(err)
		}
		ann := lt.readUntil(lt.annFeed, `data-testid="people"`, ">Carol<", `data-connected="true"`)
		bob := lt.readUntil(lt.bobFeed, ">Carol<", `data-connected="true"`)
		noneHolds(t, "a join's message", append(ann, bob...), `id="hand-sync"`, `id="players"`, `id="round"`)
		noneHolds(t, "Bob's message of a join", bob, `id="people"`)
		lt.quiet(lt.annFeed, "Ann")
		lt.quiet(lt.bobFeed, "Bob")
	})

	t.Run("a new round tells each viewer the hand for their role", func(t *testing.T) {
		if err := lt.room.StartRound(lt.ann, nil); err != nil {
			t.Fatal(err)
		}
		ann := lt.readUntil(lt.annFeed, `id="hand-sync"`)
		bob := lt.readUntil(lt.bobFeed, `id="hand-sync"`)
		for who, m := range map[string]string{"Ann": ann[len(ann)-1], "Bob": bob[len(bob)-1]} {
			if !strings.Contains(m, `data-round="VOTING"`) || !strings.Contains(m, `id="players"`) {
				t.Errorf("%s's message of the new round lacks the round or the players: %s", who, m)
			}
		}
		if !strings.Contains(ann[len(ann)-1], `data-hand-key="VOTING.1.facilitator.`) || !strings.Contains(bob[len(bob)-1], `data-hand-key="VOTING.1.player.`) {
			t.Errorf("the hands' keys: Ann %s, Bob %s", ann[len(ann)-1], bob[len(bob)-1])
		}
	})

	t.Run("a vote sends the voter's row and the tally, under a kilobyte", func(t *testing.T) {
		if err := lt.room.Vote(lt.carol.ID, 5); err != nil {
			t.Fatal(err)
		}
		for who, feed := range map[string]<-chan string{"Ann": lt.annFeed, "Bob": lt.bobFeed} {
			got := lt.readUntil(feed, ">Carol<", `data-voted="true"`)
			m := got[len(got)-1]
			if len(got) != 1 || strings.Count(m, "<li") != 1 || !strings.Contains(m, `id="tally"`) || !strings.Contains(m, ">1 of 3 voted<") {
				t.Errorf("%s's messages of the vote: %q", who, got)
			}
			if len(m) > 1024 {
				t.Errorf("%s's message of the vote is %d bytes", who, len(m))
			}
			noneHolds(t, who+"'s message of a vote", got, `id="hand-sync"`, `id="people"`, `id="players"`)
		}
	})

	t.Run("everyone voted is said on the tally, not by a new hand", func(t *testing.T) {
		for _, id := range []uuid.UUID{lt.ann, lt.bob} {
			if err := lt.room.Vote(id, 3); err != nil {
				t.Fatal(err)
			}
		}
		got := lt.readUntil(lt.annFeed, `data-everyone-voted="true"`)
		noneHolds(t, "the votes' messages", got, `id="hand-sync"`)
	})

	t.Run("a removed player's page is told its hand is gone", func(t *testing.T) {
		seat, err := lt.room.Seat(lt.bob)
		if err != nil {
			t.Fatal(err)
		}
		bobRow := lt.bobRow()
		if err := lt.room.Remove(lt.ann, seat.Player.Alias); err != nil {
			t.Fatal(err)
		}
		bob := lt.readUntil(lt.bobFeed, `id="hand-sync"`)
		if !strings.Contains(bob[len(bob)-1], `data-hand-key="gone"`) {
			t.Errorf("Bob's message of his removal: %s", bob[len(bob)-1])
		}
		ann := lt.readUntil(lt.annFeed, `id="hand-sync"`)
		if m := ann[len(ann)-1]; !strings.Contains(m, bobRow+` hx-swap-oob="delete"`) || strings.Contains(m, `id="players"`) || !strings.Contains(m, `data-testid="people"`) {
			t.Errorf("Ann's message of the removal: %s", m)
		}
	})

	t.Run("a new facilitator: two rows, and the role's hand and list change hands", func(t *testing.T) {
		carol, err := lt.room.Seat(lt.carol.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := lt.room.HandOff(lt.ann, carol.Player.Alias); err != nil {
			t.Fatal(err)
		}
		ann := lt.readUntil(lt.annFeed, `id="hand-sync"`)
		m := ann[len(ann)-1]
		if strings.Count(m, "<li id=\"row-") != 2 || strings.Contains(m, `id="players"`) || !strings.Contains(m, `data-hand-key="VOTING.1.player.`) || !strings.Contains(m, `<section id="people" hidden`) {
			t.Errorf("Ann's message of the hand-off: %s", m)
		}
	})

	t.Run("new rules: the round panel and every hand's key", func(t *testing.T) {
		if err := lt.room.SetOptions(lt.carol.ID, game.RoomOptions{FacilitatorFree: true}); err != nil {
			t.Fatal(err)
		}
		ann := lt.readUntil(lt.annFeed, `id="hand-sync"`)
		m := ann[len(ann)-1]
		if !strings.Contains(m, `id="round"`) || strings.Contains(m, `id="players"`) || !strings.Contains(m, `data-hand-key="VOTING.1.runner.`) {
			t.Errorf("Ann's message of the new rules: %s", m)
		}
	})
}
