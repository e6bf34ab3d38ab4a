package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"sync/atomic"
)

// browser is a player in a web browser: a cookie identity from the real pages, and the
// room's event stream, whose "update" events carry the room's shared fragments.
type browser struct {
	room   *room
	client *http.Client // its own cookie jar
	body   io.ReadCloser

	events  atomic.Int64 // "update" events received
	bytes   atomic.Int64 // their data
	lastAt  atomic.Int64
	closed  atomic.Bool
	lat     samples // from a vote's send to the first update that shows it
	round   int64   // the round the page shows, from the last ticket link received
	matched []int64 // per voter, the last round whose vote was timed; the reader's own
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// joinBrowser takes a seat as a browser does: the join page gives the CSRF token, the
// form post sets the identity cookie and leads to the room's page.
func joinBrowser(ctx context.Context, base, code, name string, transport http.RoundTripper) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Transport: transport, Jar: jar}
	page, _, err := get(ctx, client, base+"/join/"+code)
	if err != nil {
		return nil, err
	}
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token in the join page of %s", code)
	}
	form := url.Values{"your_name": {name}, "_csrf": {string(m[1])}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/join/"+code, bytes.NewBufferString(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := client.Do(req) // follows the redirect to the room's page
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/room/"+code {
		return nil, fmt.Errorf("joining %s as a browser ended at %s with %d", code, res.Request.URL.Path, res.StatusCode)
	}
	return client, nil
}

func get(ctx context.Context, client *http.Client, u string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s answered %d", u, res.StatusCode)
	}
	return body, res.StatusCode, err
}

// openStream opens the room's event stream; ctx ends it.
func (b *browser) openStream(ctx context.Context, base string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/room/"+b.room.code+"/events", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "text/event-stream")
	res, err := b.client.Do(req)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return fmt.Errorf("event stream of %s answered %d", b.room.code, res.StatusCode)
	}
	b.body = res.Body
	return nil
}

// read counts the stream's updates and times the votes they show, until it ends.
func (b *browser) read(ctx context.Context, stopping *atomic.Bool) {
	defer b.body.Close()
	b.matched = make([]int64, len(b.room.ws))
	lines := bufio.NewScanner(b.body)
	lines.Buffer(make([]byte, 0, 64<<10), 4<<20) // a big room's fragments are long lines
	var event []byte
	var data bytes.Buffer
	for lines.Scan() {
		line := lines.Bytes()
		switch {
		case len(line) == 0: // the end of an event
			if string(event) == "update" {
				now := b.room.clock.now()
				b.events.Add(1)
				b.bytes.Add(int64(data.Len()))
				b.lastAt.Store(now)
				b.update(data.Bytes(), now)
			}
			event = event[:0]
			data.Reset()
		case bytes.HasPrefix(line, []byte("event:")):
			event = append(event[:0], bytes.TrimSpace(line[len("event:"):])...)
		case bytes.HasPrefix(line, []byte("data:")):
			v := line[len("data:"):]
			if len(v) > 0 && v[0] == ' ' {
				v = v[1:]
			}
			data.Write(v)
			data.WriteByte('\n')
		}
	}
	if ctx.Err() == nil && !stopping.Load() {
		b.closed.Store(true) // the stream ended, or broke, while the run still wanted it
	}
}

var (
	ticketLink  = []byte(`data-testid="story-link"`)
	playerItem  = []byte(`data-testid="player-`)
	playerName  = []byte(`data-testid="player-name">`)
	votedMarker = []byte(`data-voted="`)
)

// update times every vote this update is the first to show: its round comes from the
// ticket link, its voters from the players' data-voted marks.
func (b *browser) update(html []byte, now int64) {
	// A room-wide message (a new round) shows the ticket, which names the round; the
	// rows of a vote come on their own, in the round last shown.
	if i := bytes.Index(html, ticketLink); i >= 0 {
		b.round = roundOf(html[i:])
	}
	round := b.round
	if round == 0 {
		return
	}
	r := b.room
	for rest := html; ; {
		j := bytes.Index(rest, playerItem)
		if j < 0 {
			return
		}
		if bytes.HasPrefix(rest[j:], playerName) {
			rest = rest[j+len(playerName):] // a row's name, read with its row
			continue
		}
		rest = rest[j+len(playerItem):]
		if len(rest) < 36 {
			return
		}
		voter, known := r.voterOf(rest[:36])
		k := bytes.Index(rest, votedMarker)
		if k < 0 {
			return
		}
		voted := bytes.HasPrefix(rest[k+len(votedMarker):], []byte("true"))
		if !known || !voted || b.matched[voter] >= round {
			continue
		}
		if at, ok := r.sentAt(round, voter); ok && at <= now {
			b.matched[voter] = round
			b.lat.add(now - at)
		}
	}
}
