package live

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// carolAtTheTable seats Carol, a player of the WebSocket (a subscriber of her own), and
// reads the browsers' messages of her coming.
func (lt *liveTable) carolAtTheTable() {
	lt.t.Helper()
	lt.carol = game.Player{ID: uuid.New(), Username: "Carol"}
	if err := lt.room.Join(lt.carol); err != nil {
		lt.t.Fatal(err)
	}
	if err := lt.room.Connect(lt.carol.ID, quietSubscriber{}); err != nil {
		lt.t.Fatal(err)
	}
	lt.readUntil(lt.annFeed, ">Carol<", `data-connected="true"`)
	lt.readUntil(lt.bobFeed, ">Carol<", `data-connected="true"`)
}

// revealedRound starts a round, has each of the votes cast and reveals it; the
// browsers' messages up to the reveal are returned.
func (lt *liveTable) revealedRound(votes map[uuid.UUID]float64) []string {
	lt.t.Helper()
	if err := lt.room.Start(lt.ann, game.NextRound{Story: &game.Story{Key: "PP-3", Title: "Search"}}); err != nil {
		lt.t.Fatal(err)
	}
	for id, v := range votes {
		if err := lt.room.Vote(id, v); err != nil {
			lt.t.Fatal(err)
		}
	}
	if err := lt.room.Reveal(lt.ann); err != nil {
		lt.t.Fatal(err)
	}
	read := lt.readUntil(lt.annFeed, `data-round="REVEALED"`)
	return append(read, lt.readUntil(lt.bobFeed, `data-round="REVEALED"`)...)
}

// A vote after the reveal (the WebSocket allows it) changes the revealed round: every
// browser gets its results, chart, rows and record again, at once.
func TestLiveRevisedVoteRedrawsTheRevealedRound(t *testing.T) {
	lt := newLiveTable(t)
	lt.carolAtTheTable()
	shown := lt.revealedRound(map[uuid.UUID]float64{lt.ann: 5, lt.carol.ID: 5})
	for _, m := range shown[len(shown)-1:] {
		if !strings.Contains(m, `data-testid="story-title">Search<`) || !strings.Contains(m, `data-card="5" data-count="2"`) {
			t.Fatalf("the reveal's message: %s", m)
		}
	}

	if err := lt.room.Vote(lt.carol.ID, 8); err != nil {
		t.Fatal(err)
	}
	for who, feed := range map[string]<-chan string{"Ann": lt.annFeed, "Bob": lt.bobFeed} {
		got := lt.readUntil(feed, `id="results"`)
		m := got[len(got)-1]
		for _, want := range []string{
			`data-card="5" data-count="1"`, `data-card="8" data-count="1"`, // the chart
			`data-testid="result-average">6.5<`,                  // the figures
			`<div class="slot shown" data-testid="vote">8</div>`, // Carol's row
			`id="record-round-1"`, "Ann 5, Bob –, Carol 8",       // the record's round
		} {
			if !strings.Contains(m, want) {
				t.Errorf("%s's message of the revised round lacks %s: %s", who, want, m)
			}
		}
	}

	t.Run("the same vote again changes nothing shown but the row", func(t *testing.T) {
		if err := lt.room.Vote(lt.carol.ID, 8); err != nil {
			t.Fatal(err)
		}
		got := lt.readUntil(lt.annFeed, ">Carol<")
		noneHolds(t, "the message of an unchanged vote", got, `id="results"`, `id="record-round-1"`)
	})
}

// With names hidden, no message puts a name beside a card: the rows say who voted, the
// cards come apart, and the results and the record name nobody.
func TestLiveHiddenNamesLinkNoNameToACard(t *testing.T) {
	lt := newLiveTable(t)
	lt.carolAtTheTable()
	if err := lt.room.SetOptions(lt.ann, game.RoomOptions{HideNames: true}); err != nil {
		t.Fatal(err)
	}
	lt.readUntil(lt.annFeed, `id="hand-sync"`)
	lt.readUntil(lt.bobFeed, `id="hand-sync"`)
	messages := lt.revealedRound(map[uuid.UUID]float64{lt.ann: 13, lt.bob: 3, lt.carol.ID: 8})
	if err := lt.room.Vote(lt.carol.ID, 21); err != nil { // a vote after the reveal
		t.Fatal(err)
	}
	messages = append(messages, lt.readUntil(lt.annFeed, `data-testid="anonymous-card">21<`)...)
	messages = append(messages, lt.readUntil(lt.bobFeed, `data-testid="anonymous-card">21<`)...)

	card := regexp.MustCompile(`data-testid="vote">(3|8|13|21)<`)
	for _, m := range messages {
		if strings.Contains(m, "slot shown") || card.MatchString(m) {
			t.Errorf("a player's row holds a card: %s", m)
		}
		for _, part := range namelessParts(m) {
			for _, name := range []string{"Ann", "Bob", "Carol"} {
				if strings.Contains(part, name) {
					t.Errorf("%s named beside the cards: %s", name, part)
				}
			}
		}
	}
	last := messages[len(messages)-1]
	if !strings.Contains(last, `data-testid="revealed-cards"`) || !strings.Contains(last, `class="record-votes">3, 13, 21<`) {
		t.Errorf("the revised round's message: %s", last)
	}
}

// namelessParts are the parts of a message that show cards: the results (the revealed
// cards, the figures, the chart) and the record's rows.
func namelessParts(m string) []string {
	var parts []string
	if i := strings.Index(m, `<div id="results"`); i >= 0 {
		end := strings.Index(m[i:], `<section id="players"`)
		if end < 0 {
			end = len(m) - i
		}
		parts = append(parts, m[i:i+end])
	}
	parts = append(parts, regexp.MustCompile(`(?s)<tr id="record-round-.*?</tr>`).FindAllString(m, -1)...)
	return parts
}
