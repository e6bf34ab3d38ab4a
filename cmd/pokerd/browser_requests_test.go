package main

// The requests a room page makes (issue 12, "small and cheap updates"): a page that
// loads already has the viewer's hand and the list of players, and a player who joins
// reaches every page through the room's stream. Neither may make a page fetch anything:
// each such fetch, times every browser in the room, is what made a laptop waking up in a
// room of 50 cost about 100 requests. The requests are counted where the browser sends
// them (the DevTools protocol's Network.requestWillBeSent), whatever sends them.
//
//	go test -race -count=1 -timeout 300s -run TestBrowserRequestsOnLoadAndJoin -v ./cmd/pokerd/

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// requestLog is every request a tab has sent since the log was made, in order.
type requestLog struct {
	mu   sync.Mutex
	sent []*network.Request
}

// logRequests starts logging the requests the tab sends, until the test ends.
func (b *browserTab) logRequests(t *testing.T) *requestLog {
	t.Helper()
	l := &requestLog{}
	ctx, stop := context.WithCancel(b.ctx)
	t.Cleanup(stop)
	// Listen sees the events in the order the browser sent them, each before the reply
	// to any later command: once an evaluation returns, every request sent before it
	// is in the log.
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			l.mu.Lock()
			l.sent = append(l.sent, e.Request)
			l.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("%s: logging requests: %v", b.name, err)
	}
	return l
}

// mark is where the log is now; since lists what was sent after it.
func (l *requestLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.sent)
}

// settleMarks numbers the requests a test sends to flush a log, so that each is told
// from the page's own.
var settleMarks atomic.Int64

const settleMarkPath = "/healthz?request-log-mark="

// since waits until the page is live and idle (waitLive: no request of htmx under way,
// nothing swapped in still to settle, the hand the stream's, so that every request the
// stream's messages asked for has been sent), then sends a request of its own and waits for it: every request the
// page sent before is then in the log. It returns the page's requests after from, the
// test's own left out.
func (l *requestLog) since(t *testing.T, b *browserTab, from int) []string {
	t.Helper()
	b.waitLive(t)
	mark := fmt.Sprint(settleMarks.Add(1))
	status := tabRun(t, b, "send a request that marks the log", chromedp.Evaluate[int](
		fmt.Sprintf(`fetch(%s, {cache: "no-store"}).then(r => r.status)`, jsString(settleMarkPath+mark)), chromedp.EvalAwaitPromise))
	if status != 200 {
		t.Fatalf("%s: the request that marks the log answered %d", b.name, status)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var sent []string
	marked := false
	for _, r := range l.sent[from:] {
		if strings.Contains(r.URL, settleMarkPath) {
			marked = marked || strings.HasSuffix(r.URL, settleMarkPath+mark)
			continue
		}
		sent = append(sent, r.Method+" "+r.URL)
	}
	if !marked {
		t.Fatalf("%s: the request that marks the log is not in it", b.name)
	}
	return sent
}

// fetchesOf lists the requests to the room's /hand and /people among sent.
func fetchesOf(sent []string, code string) []string {
	var found []string
	for _, r := range sent {
		_, raw, _ := strings.Cut(r, " ")
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if u.Path == "/room/"+code+"/hand" || u.Path == "/room/"+code+"/people" {
			found = append(found, r)
		}
	}
	return found
}

// jsOnlineRow holds when the players list shows a player of this name online.
func jsOnlineRow(name string) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll("#players li[data-testid^=player-]")).some(li => li.querySelector("[data-testid=player-name]")?.textContent === %s && li.dataset.connected === "true")`, jsString(name))
}

// jsInPeoplePanel holds when the facilitator's "Players in this room" lists this name.
func jsInPeoplePanel(name string) string {
	return fmt.Sprintf(`(document.querySelector("[data-testid=people]")?.textContent ?? "").includes(%s)`, jsString(name))
}

func TestBrowserRequestsOnLoadAndJoin(t *testing.T) {
	s := startServer(t, nil)
	br := startChromium(t)
	people := br.openPeople(t, "Ann", "Bob", "Cara")
	ann, bob, cara := people[0], people[1], people[2]
	code := openRoomFromHome(t, s, ann, "Requests", "Ann", roomChoices{})
	ann.waitLive(t)
	takeSeat(t, s, bob, code, "Bob")
	bob.waitLive(t)
	ann.waitFor(t, "Bob online", jsOnlineRow("Bob"))
	annLog, bobLog := ann.logRequests(t), bob.logRequests(t)

	// The steps do not build on each other: each runs, so that each says what it saw.
	t.Run("a seated browser that loads the room fetches neither its hand nor the players", func(t *testing.T) {
		from := bobLog.mark()
		if status := bob.navigate(t, s.base+"/room/"+code); status != 200 {
			t.Fatalf("room page: %d", status)
		}
		sent := bobLog.since(t, bob, from)
		if fetched := fetchesOf(sent, code); len(fetched) > 0 {
			t.Errorf("loading the room, Bob's page fetched %s again; it sent, in order:\n  %s",
				strings.Join(fetched, " and "), strings.Join(sent, "\n  "))
		}
	})

	// Someone joins and comes online: the watching pages show it from the stream alone,
	// the facilitator's list of players included.
	joins := []struct {
		how, name string
		join      func(t *testing.T)
	}{
		{"through the page", "Cara Mint", func(t *testing.T) {
			takeSeat(t, s, cara, code, "Cara Mint")
			cara.waitLive(t)
		}},
		// Last: her socket closes when her step ends.
		{"over the API", "Dana Quill", func(t *testing.T) {
			s.connect(t, s.join(t, code, "Dana Quill"), code)
		}},
	}
	for _, j := range joins {
		t.Run("a player who joins "+j.how+" shows in every page without a request", func(t *testing.T) {
			annFrom, bobFrom := annLog.mark(), bobLog.mark()
			j.join(t)
			ann.waitFor(t, j.name+" online in Ann's list and in her players panel", jsAll(jsOnlineRow(j.name), jsInPeoplePanel(j.name)))
			bob.waitFor(t, j.name+" online in Bob's list", jsOnlineRow(j.name))
			for _, w := range []struct {
				tab  *browserTab
				log  *requestLog
				from int
			}{{ann, annLog, annFrom}, {bob, bobLog, bobFrom}} {
				if sent := w.log.since(t, w.tab, w.from); len(sent) > 0 {
					t.Errorf("when %s joined %s, %s's page sent %d request(s):\n  %s",
						j.name, j.how, w.tab.name, len(sent), strings.Join(sent, "\n  "))
				}
			}
		})
	}
}
