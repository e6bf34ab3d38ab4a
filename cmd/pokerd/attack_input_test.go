package main

// Attacks through what a visitor types or sends: numbers that cost work in proportion to
// their size, names without end, timers that wrap, and a Host header made too long to
// fit in a QR code.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pokerd/pokerd/views"
)

// attackRequest sends one request with a deadline (so a server that works for minutes
// fails the test instead of hanging it) and reads at most limit bytes of the answer.
func attackRequest(t testing.TB, req *http.Request, limit int64) (status int, body []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatalf("%s %s: no answer within 10s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, err = io.ReadAll(io.LimitReader(res.Body, limit+1))
	if err != nil {
		t.Fatalf("%s %s: the answer was not read within 10s: %v", req.Method, req.URL.Path, err)
	}
	return res.StatusCode, body
}

func postJSON(t testing.TB, s *testServer, path, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// Finding 2: a 53-byte body whose number has a hundred-million-digit exponent.
func TestAttackHugeNumberIsRefusedCheaply(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	const attack = `{"name":"x","deck_id":1e100000000,"game_settings":{}}`

	check := func(t testing.TB, req *http.Request) {
		status, body := attackRequest(t, req, 4096)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("%s %s answered %d, want 422: %.200s", req.Method, req.URL, status, body)
		}
		if len(body) > 1024 {
			t.Errorf("%s %s answered %d bytes or more to a tiny request", req.Method, req.URL, len(body))
		}
	}
	check(t, postJSON(t, s, "/api/game", attack))
	check(t, postJSON(t, s, "/api/game", `{"name":"x","deck_id":"1e100000000","game_settings":{}}`))
	check(t, postJSON(t, s, "/api/game", `{"name":"x","deck_id":1,"game_settings":{"max_players":1e100000000}}`))
	check(t, postJSON(t, s, "/api/game", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1e100000000}}}`))
	check(t, postJSON(t, s, "/api/game", `{"name":"x","deck_id":`+strings.Repeat("9", 60_000)+`,"game_settings":{}}`))
	req, _ := http.NewRequest(http.MethodGet, s.base+"/api/decks/"+strings.Repeat("9", 100_000), nil)
	check(t, req)

	// Several at once, as four in parallel once slowed every room down.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { check(t, postJSON(t, s, "/api/game", attack)) })
	}
	wg.Wait()
	survivedAttack(t, s, before)
}

// Finding 8: names without end, which every STATE then carries to every socket.
func TestAttackLongUsernamesAreRefused(t *testing.T) {
	// A full room of long names comes from one address here: the join limit is lifted so
	// that the names, not the joins, are what is refused.
	s := startServer(t, nil, "--joins-per-minute", "0")
	before := beforeAttack(t, s)
	code := s.createGame(t, "Target")
	lead := s.join(t, code, "Lead")

	long := strings.Repeat("n", 60_000)
	for i := range 50 {
		status, body := attackRequest(t, postJSON(t, s, "/api/join/"+code, `{"username":"`+strconv.Itoa(i)+long+`"}`), 1<<20)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("a 60 kB username was answered %d, want 422", status)
		}
		if len(body) > 2048 {
			t.Fatalf("the refusal of a 60 kB username is %d bytes: it echoes the name", len(body))
		}
	}
	// The longest names allowed, in the widest characters.
	for i := range 50 {
		s.join(t, code, strconv.Itoa(i)+strings.Repeat("🂡", 97))
	}
	// A browser's name form as well.
	b := s.newFormClient(t)
	b.get("/join/" + code)
	// Refused for its length (422), or before that for the size of the form (413).
	if res := b.post("/join/"+code, url.Values{"your_name": {long}}, false); res.status != http.StatusUnprocessableEntity && res.status != http.StatusRequestEntityTooLarge {
		t.Errorf("the join form took a 60 kB name: %d", res.status)
	}

	conn := s.connect(t, lead, code)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn.send("SYNC", nil)
	_, data, err := conn.conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 51 players of at most 100 characters (400 bytes) each, and their flags.
	if len(data) > 51*(400+300)+2048 {
		t.Errorf("one SYNC answered a STATE of %d bytes", len(data))
	}
	conn.close()
	survivedAttack(t, s, before)
}

// Finding 12: a timer long enough to wrap time.Duration revealed the round at once.
func TestAttackHugeTimerIsRefused(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	for _, maximum := range []string{`153722868`, `1440.0e1`, `1e309`, `"9999999999"`, `1441`} {
		status, body := attackRequest(t, postJSON(t, s, "/api/game",
			`{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":`+maximum+`,"warning":1}}}`), 4096)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("a timer maximum of %s was answered %d, want 422: %s", maximum, status, body)
		}
	}
	// The longest timer allowed is a day.
	res := s.post(t, "/api/game", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1440,"warning":1439}}}`)
	if res.status != http.StatusOK {
		t.Errorf("a timer of one day was refused: %d %s", res.status, res.body)
	}

	b := s.newFormClient(t)
	b.get("/")
	for _, maximum := range []string{"153722868", "9999999999", "99999999999999999999"} {
		res := b.post("/rooms", url.Values{"room_name": {"x"}, "your_name": {"Ann"}, "deck_id": {"1"},
			"timer": {"on"}, "timer_max": {maximum}, "timer_warn": {"1"}}, false)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), "1440") {
			t.Errorf("the create form took a timer of %s minutes: %d", maximum, res.status)
		}
	}
	survivedAttack(t, s, before)
}

// Finding 12: a Host header too long for a QR code made every QR request fail.
func TestAttackLongHostFallsBackToTheListenAddress(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	code := s.createGame(t, "Target")
	want, err := views.QRCodeSVG(s.base + "/join/" + code)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{strings.Repeat("a", 4000) + ".example", "a\x7fb", "x:y:z", "[::1"} {
		req, _ := http.NewRequest(http.MethodGet, s.base+"/room/"+code+"/qr.svg", nil)
		req.Host = host
		status, body := attackRequest(t, req, 1<<20)
		if status == http.StatusBadRequest {
			continue // refused by the HTTP server itself: fine
		}
		if status != http.StatusOK {
			t.Errorf("Host %.20q…: qr.svg answered %d %.200s", host, status, body)
		} else if string(body) != string(want) {
			t.Errorf("Host %.20q…: the QR code is not that of the listen address's link", host)
		}
	}
	// The scheme comes from a header anyone can send too.
	req, _ := http.NewRequest(http.MethodGet, s.base+"/room/"+code+"/qr.svg", nil)
	req.Header.Set("X-Forwarded-Proto", strings.Repeat("javascript", 400))
	if status, body := attackRequest(t, req, 1<<20); status != http.StatusOK || string(body) != string(want) {
		t.Errorf("a long X-Forwarded-Proto: qr.svg answered %d, not the QR code of the listen address's link", status)
	}
	if strings.Contains(s.logs.String(), "level=ERROR") {
		t.Errorf("a long Host header was logged as an error:\n%.2000s", s.logs)
	}
	survivedAttack(t, s, before)
}

// With --public-url the share link is that URL's, whatever the Host says.
func TestPublicURLSetsTheShareLink(t *testing.T) {
	s := startServer(t, nil, "--public-url", "https://poker.example.org/team")
	code := s.createGame(t, "Shared")
	want, err := views.QRCodeSVG("https://poker.example.org/team/join/" + code)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, s.base+"/room/"+code+"/qr.svg", nil)
	req.Host = "evil.example"
	status, body := attackRequest(t, req, 1<<20)
	if status != http.StatusOK || string(body) != string(want) {
		t.Errorf("qr.svg answered %d, not the QR code of the public URL's link", status)
	}
	b := s.newFormClient(t)
	b.client.Jar = newTLSProxyJar() // an https public URL: the cookies are Secure
	code = b.createRoom("Shared", "Ann")
	page := b.get("/room/" + code)
	if !strings.Contains(string(page.body), `value="https://poker.example.org/team/join/`+code+`"`) {
		t.Errorf("the room page does not share the public URL's link")
	}
}

func TestPublicURLMustBeAnAbsoluteHTTPURL(t *testing.T) {
	for _, bad := range []string{"poker.example.org", "ftp://poker.example.org", "https://", "https://poker.example.org/?q=1", "http://a b"} {
		err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--public-url", bad}, func(string) string { return "" }, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "--public-url") {
			t.Errorf("--public-url %q: got %v, want a refusal naming the flag", bad, err)
		}
	}
}

// decodeDetail reads a 422 body's problems.
func decodeDetail(t testing.TB, body []byte) []map[string]any {
	t.Helper()
	var v struct {
		Detail []map[string]any `json:"detail"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not a 422 body: %v: %s", err, body)
	}
	return v.Detail
}
