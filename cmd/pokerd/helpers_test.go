package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// testServer is the real pokerd, started by run() on a random loopback port.
type testServer struct {
	base   string // http://127.0.0.1:port
	wsBase string // ws://127.0.0.1:port
	stop   context.CancelFunc
	done   chan error
	logs   *lockedBuffer

	// Answers that break the OpenAPI document, seen where no test was at hand to fail
	// (WebSocket handshakes); startServer's test fails with them.
	mismatchMu sync.Mutex
	mismatches []string

	book seatBook // the players' names and aliases its clients have seen (aliases_test.go)
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startServer boots pokerd with args (after --addr 127.0.0.1:0) and env, and stops it
// when the test ends.
func startServer(t testing.TB, env map[string]string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan string, 1)
	s := &testServer{stop: cancel, done: make(chan error, 1), logs: &lockedBuffer{}}
	getenv := func(k string) string { return env[k] }
	all := append([]string{"--addr", "127.0.0.1:0", "--log-level", "debug", "--shutdown-timeout", "5s"}, args...)
	if !slices.ContainsFunc(args, isDataFlag) {
		// The store is on, as by default, on a file of the test's own: the whole suite
		// plays through it. Tests of the rooms in memory only say --data "".
		all = append(all, "--data", filepath.Join(t.TempDir(), "pokerd.db"))
	}
	go func() {
		s.done <- run(ctx, all, getenv, io.Discard, s.logs, func(addr string) { addrs <- addr })
	}()
	select {
	case addr := <-addrs:
		s.base, s.wsBase = "http://"+addr, "ws://"+addr
	case err := <-s.done:
		t.Fatalf("pokerd did not start: %v\n%s", err, s.logs)
	case <-time.After(10 * time.Second):
		t.Fatal("pokerd did not start within 10s")
	}
	t.Cleanup(func() {
		s.stop()
		select {
		case err := <-s.done:
			if err != nil {
				t.Errorf("pokerd stopped with %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("pokerd did not stop within 15s")
		}
		s.mismatchMu.Lock()
		for _, m := range s.mismatches {
			t.Errorf("an answer breaks the OpenAPI document: %s", m)
		}
		s.mismatchMu.Unlock()
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs)
		}
	})
	return s
}

// isDataFlag reports whether a command-line argument sets --data.
func isDataFlag(arg string) bool {
	return arg == "--data" || arg == "-data" || strings.HasPrefix(arg, "--data=") || strings.HasPrefix(arg, "-data=")
}

// response is an HTTP answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return v
}

func (s *testServer) do(t testing.TB, method, path, body string, header map[string]string) response {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.base+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	// Every answer the contract tests see must be one the OpenAPI document describes.
	if err := checkAnswer(req, res.StatusCode, res.Header, data); err != nil {
		t.Fatalf("%s %s answered %d %s: %v", method, path, res.StatusCode, data, err)
	}
	s.book.noteJoin(path, res.StatusCode, data)
	return response{status: res.StatusCode, header: res.Header, body: data}
}

func (s *testServer) post(t testing.TB, path, body string) response {
	t.Helper()
	return s.do(t, http.MethodPost, path, body, nil)
}

// createGame creates a game with the Fibonacci deck and no timer; it returns the code.
func (s *testServer) createGame(t testing.TB, name string) string {
	t.Helper()
	res := s.post(t, "/api/game", `{"name":`+quote(name)+`,"deck_id":1,"game_settings":{}}`)
	if res.status != http.StatusOK {
		t.Fatalf("create game: %d %s", res.status, res.body)
	}
	return res.json(t)["code"].(string)
}

// join seats a player and returns its id.
func (s *testServer) join(t testing.TB, code, username string) string {
	t.Helper()
	res := s.post(t, "/api/join/"+code, `{"username":`+quote(username)+`}`)
	if res.status != http.StatusOK {
		t.Fatalf("join %s: %d %s", code, res.status, res.body)
	}
	return res.json(t)["id"].(string)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// wsClient is a WebSocket API client, as the Vue frontend is one.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
	id   string
	s    *testServer // learns the aliases in what the client reads; nil: nothing learnt
	code string
}

// message is a server message with its payload left raw.
type message struct {
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

func (s *testServer) dial(t testing.TB, playerID, code string) *wsClient {
	t.Helper()
	conn, err := s.tryDial(playerID, code, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c := &wsClient{t: t, conn: conn, id: playerID, s: s, code: code}
	t.Cleanup(func() { _ = conn.CloseNow() })
	return c
}

func (s *testServer) tryDial(playerID, code string, header http.Header) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, s.wsBase+"/api/ws/"+playerID+"/"+code, &websocket.DialOptions{HTTPHeader: header})
	if err == nil {
		conn.SetReadLimit(1 << 20)
	}
	if res != nil {
		// After a 101 the body is the connection itself: only the status is checked.
		var body []byte
		if res.StatusCode != http.StatusSwitchingProtocols && res.Body != nil {
			body, _ = io.ReadAll(res.Body)
		}
		if err := checkAnswer(res.Request, res.StatusCode, res.Header, body); err != nil {
			s.mismatchMu.Lock()
			s.mismatches = append(s.mismatches, fmt.Sprintf("WebSocket %s answered %d %s: %v", res.Request.URL.Path, res.StatusCode, body, err))
			s.mismatchMu.Unlock()
		}
	}
	return conn, err
}

// connect dials and reads the opening STATE (and REVEALGAME when revealed) and the
// player's own CONNECTED.
func (s *testServer) connect(t testing.TB, playerID, code string) *wsClient {
	t.Helper()
	c := s.dial(t, playerID, code)
	state := c.expect("STATE")
	var st gameState
	c.decode(state, &st)
	if st.RoundState == "REVEALED" {
		c.expect("REVEALGAME")
	}
	c.expectPlayer("CONNECTED", playerID)
	return c
}

// gameState is the GameState payload, decoded for assertions.
type gameState struct {
	Game         map[string]any         `json:"game"`
	PlayerStates map[string]playerState `json:"player_states"`
	TicketURL    *string                `json:"ticket_url"`
	RoundState   string                 `json:"round_state"`
	RoundStart   *string                `json:"round_start"`
}

type playerState struct {
	Player      player `json:"player"`
	IsConnected bool   `json:"is_connected"`
	IsAdmin     bool   `json:"is_admin"`
	IsObserving bool   `json:"is_observing"`
	HasVoted    bool   `json:"has_voted"`
}

type player struct {
	ID       string `json:"id"`
	Username string `json:"username"`
}

func (c *wsClient) next() message {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	typ, data, err := c.conn.Read(ctx)
	if err != nil {
		c.t.Fatalf("player %s: no message: %v", c.id, err)
	}
	if typ != websocket.MessageText {
		c.t.Fatalf("player %s: got a binary message", c.id)
	}
	if c.s != nil {
		for _, problem := range c.s.book.learn(c.code, c.id, data) {
			c.t.Errorf("player %s: %s", c.id, problem)
		}
	}
	var m message
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("player %s: message is not JSON: %s", c.id, data)
	}
	return m
}

func (c *wsClient) expect(typ string) message {
	c.t.Helper()
	m := c.next()
	if m.Type != typ {
		c.t.Fatalf("player %s: got %s %s, want %s", c.id, m.Type, m.Payload, typ)
	}
	return m
}

func (c *wsClient) decode(m message, v any) {
	c.t.Helper()
	if err := json.Unmarshal(m.Payload, v); err != nil {
		c.t.Fatalf("%s payload: %v: %s", m.Type, err, m.Payload)
	}
}

// expectPlayer reads a message whose payload is a Player, or a PlayerState for
// CONNECTED, about playerID: named by that id if it is the client's own, by its alias
// otherwise.
func (c *wsClient) expectPlayer(typ, playerID string) message {
	c.t.Helper()
	m := c.expect(typ)
	var p player
	if typ == "CONNECTED" {
		var ps playerState
		c.decode(m, &ps)
		p = ps.Player
	} else {
		c.decode(m, &p)
	}
	if want := c.nameOf(playerID); p.ID != want {
		c.t.Fatalf("%s to %s is about %s, want %s (%s)", typ, c.id, p.ID, playerID, want)
	}
	return m
}

func (c *wsClient) send(typ string, payload any) {
	c.t.Helper()
	data, err := json.Marshal(map[string]any{"type": typ, "payload": payload})
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendRaw(websocket.MessageText, data)
}

func (c *wsClient) sendRaw(typ websocket.MessageType, data []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, typ, data); err != nil {
		c.t.Fatalf("player %s: send: %v", c.id, err)
	}
}

// sync asks for the state; since the server answers in order, the STATE proves that
// nothing else was sent to this client before it. The REVEALGAME that follows the
// STATE of a revealed round is read too.
func (c *wsClient) sync() gameState {
	c.t.Helper()
	c.send("SYNC", nil)
	var st gameState
	c.decode(c.expect("STATE"), &st)
	if st.RoundState == "REVEALED" {
		c.expect("REVEALGAME")
	}
	return st
}

func (c *wsClient) close() {
	c.t.Helper()
	if err := c.conn.Close(websocket.StatusNormalClosure, "bye"); err != nil && !errors.Is(err, context.Canceled) {
		c.t.Logf("close: %v", err)
	}
}

// closeStatus reads until the server closes the connection and returns its close code
// and reason.
func (c *wsClient) closeStatus() (websocket.StatusCode, string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.conn.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if errors.As(err, &ce) {
			return ce.Code, ce.Reason
		}
		c.t.Fatalf("connection ended without a close frame: %v", err)
	}
}

// closeStatusOrReset is closeStatus for a client the server may cut while the client
// still sends: reset is true when the connection ended by a TCP reset or EOF instead of
// a close frame. A connection that stays open fails the test, as with closeStatus.
func (c *wsClient) closeStatusOrReset() (code websocket.StatusCode, reason string, reset bool) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.conn.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		switch {
		case errors.As(err, &ce):
			return ce.Code, ce.Reason, false
		case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF):
			return 0, "", true
		}
		c.t.Fatalf("connection did not end with a close frame or a reset: %v", err)
	}
}

// objectKeys returns the keys of a JSON object in the order they were written.
func objectKeys(t testing.TB, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// eventually polls cond until it holds or 10 s pass.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, 10*time.Second, what, cond)
}

// eventuallyWithin is eventually for a condition that takes long to check, or that a
// busy machine takes long to reach.
func eventuallyWithin(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not happen within %v", what, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
