package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/store/sqlite"
)

// slowCommits is the real store with a disk that stalls on demand: while stalled, no
// commit is reported, though the events are written.
type slowCommits struct {
	game.EventLog
	mu    sync.Mutex
	going chan struct{} // closed while commits are reported as they happen
}

func (s *slowCommits) Committed(code string, seq uint64) <-chan struct{} {
	written := s.EventLog.Committed(code, seq)
	s.mu.Lock()
	going := s.going
	s.mu.Unlock()
	reported := make(chan struct{})
	go func() {
		<-written
		<-going
		close(reported)
	}()
	return reported
}

func (s *slowCommits) stall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.going = make(chan struct{})
}

func (s *slowCommits) resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.going:
	default:
		close(s.going)
	}
}

// A slow commit delays only what is acknowledged to the sender: its own echo on the
// WebSocket, the answer to its htmx vote, to its join. Everyone else sees the change at
// once, before the commit.
func TestSlowCommitDelaysOnlyTheSendersAnswer(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	store, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "pokerd.db"), Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	commits := &slowCommits{EventLog: store, going: make(chan struct{})}
	commits.resume()
	t.Cleanup(commits.resume) // a failed test leaves no request waiting
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	rooms := game.NewRegistry(game.RegistryConfig{Decks: decks, Log: commits})
	srv := serveUntilTestEnds(t, New(Config{Rooms: rooms, Decks: decks, BodyLimit: 1 << 16, WS: DefaultWSConfig, Log: quiet}))

	room, err := rooms.Create("Slow disk", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	code := room.Code()
	ann, bob := uuid.New(), uuid.New()
	browser := uuid.New()
	carol := web.SeatID(browser, code)
	for _, p := range []game.Player{{ID: ann, Username: "Ann"}, {ID: bob, Username: "Bob"}, {ID: carol, Username: "Carol"}} {
		must(t, room.Join(p))
	}
	must(t, room.StartRound(ann, nil))
	annConn, annSocket := dialRoom(t, srv.URL, ann, code)
	// Ann's session is in the room (her own CONNECTED) before Bob's opens, or her
	// opening STATE could already show Bob, with no CONNECTED of his to come.
	for !isMessage(readMessage(t, annSocket), "CONNECTED", ann.String()) {
	}
	_, bobSocket := dialRoom(t, srv.URL, bob, code)
	// Each reads its opening messages, down to the last CONNECTED (Bob's).
	for _, s := range []<-chan string{annSocket, bobSocket} {
		for !isMessage(readMessage(t, s), "CONNECTED", aliasOf(t, room, bob), bob.String()) {
		}
	}

	t.Run("a WebSocket vote reaches the others at once, its sender's echo after the commit", func(t *testing.T) {
		commits.stall()
		sendMessage(t, annConn, `{"type":"SUBMITVOTE","payload":3}`)
		if m := readMessage(t, bobSocket); !isMessage(m, "PLAYERVOTED", aliasOf(t, room, ann)) {
			t.Fatalf("Bob got %s, want Ann's PLAYERVOTED", m)
		}
		select {
		case m := <-annSocket:
			t.Fatalf("Ann got %s before her vote was committed", m)
		case <-time.After(200 * time.Millisecond):
		}
		commits.resume()
		if m := readMessage(t, annSocket); !isMessage(m, "PLAYERVOTED", ann.String()) {
			t.Fatalf("Ann got %s, want her own PLAYERVOTED", m)
		}
	})

	t.Run("an htmx vote reaches the others at once, its answer after the commit", func(t *testing.T) {
		commits.stall()
		answered := make(chan int, 1)
		go func() { answered <- htmxVote(t, srv.URL, browser, code, "5") }()
		if m := readMessage(t, bobSocket); !isMessage(m, "PLAYERVOTED", aliasOf(t, room, carol)) {
			t.Fatalf("Bob got %s, want Carol's PLAYERVOTED", m)
		}
		select {
		case status := <-answered:
			t.Fatalf("Carol's vote was answered (%d) before it was committed", status)
		case <-time.After(200 * time.Millisecond):
		}
		commits.resume()
		if status := <-answered; status != http.StatusOK {
			t.Fatalf("Carol's vote answered %d", status)
		}
	})

	t.Run("a join over the API is answered after the commit", func(t *testing.T) {
		commits.stall()
		answered := make(chan int, 1)
		go func() {
			res, err := http.Post(srv.URL+"/api/join/"+code, "application/json", strings.NewReader(`{"username":"Dan"}`))
			if err != nil {
				answered <- 0
				return
			}
			res.Body.Close()
			answered <- res.StatusCode
		}()
		// The room has seated Dan already: the others are told once he connects; the
		// room's own state says so at once.
		deadline := time.Now().Add(5 * time.Second)
		for len(room.State().Players) < 4 {
			if time.Now().After(deadline) {
				t.Fatal("Dan was not seated")
			}
			time.Sleep(5 * time.Millisecond)
		}
		select {
		case status := <-answered:
			t.Fatalf("Dan's join was answered (%d) before it was committed", status)
		case <-time.After(200 * time.Millisecond):
		}
		commits.resume()
		if status := <-answered; status != http.StatusOK {
			t.Fatalf("Dan's join answered %d", status)
		}
	})
}

// dialRoom opens a socket to the room and reads it in the background: a read cut
// short by a deadline would close it.
func dialRoom(t *testing.T, base string, id uuid.UUID, code string) (*websocket.Conn, <-chan string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/api/ws/"+id.String()+"/"+code, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(1 << 20)
	messages := make(chan string, 64)
	go func() {
		defer close(messages)
		for {
			_, data, err := conn.Read(context.Background())
			if err != nil {
				return
			}
			messages <- string(data)
		}
	}()
	t.Cleanup(func() { _ = conn.CloseNow() })
	return conn, messages
}

func sendMessage(t *testing.T, conn *websocket.Conn, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := conn.Write(ctx, websocket.MessageText, []byte(text)); err != nil {
		t.Fatal(err)
	}
}

func readMessage(t *testing.T, messages <-chan string) string {
	t.Helper()
	select {
	case m, ok := <-messages:
		if !ok {
			t.Fatal("the socket closed")
		}
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message within 5s")
		return ""
	}
}

// isMessage reports whether m has type typ and a payload about one of the ids.
func isMessage(m, typ string, ids ...string) bool {
	var msg struct {
		Type    string `json:"type"`
		Payload struct {
			ID     string `json:"id"`
			Player struct {
				ID string `json:"id"`
			} `json:"player"`
		} `json:"payload"`
	}
	if json.Unmarshal([]byte(m), &msg) != nil || msg.Type != typ {
		return false
	}
	for _, id := range ids {
		if msg.Payload.ID == id || msg.Payload.Player.ID == id {
			return true
		}
	}
	return false
}

// htmxVote votes as the browser with the given cookie does, and returns the status.
func htmxVote(t *testing.T, base string, browser uuid.UUID, code, value string) int {
	const token = "slow-commit-test-token"
	req, _ := http.NewRequest(http.MethodPost, base+"/room/"+code+"/vote", strings.NewReader(url.Values{"value": {value}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", token)
	req.AddCookie(&http.Cookie{Name: web.BrowserCookie, Value: browser.String()})
	req.AddCookie(&http.Cookie{Name: "pokerd_csrf", Value: token})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.Error(err)
		}
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// aliasOf is the alias everyone but the player sees for it.
func aliasOf(t *testing.T, room *game.Room, id uuid.UUID) string {
	t.Helper()
	for _, p := range room.State().Players {
		if p.Player.ID == id {
			return p.Player.Alias.String()
		}
	}
	t.Fatalf("%s is not seated", id)
	return ""
}
