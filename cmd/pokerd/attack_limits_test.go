package main

// The attack suite's per-client limits: findings 3 (one client fills the room cap), 4
// (one address takes every descriptor), 5 (one player's many sockets flood their room)
// and 12 (a socket that floods messages is never cut). The server trusts loopback as a
// proxy, so that X-Forwarded-For lets one test play several client addresses.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// attackerAddr and otherAddr are documentation addresses (RFC 5737): clients behind the
// trusted loopback proxy.
const (
	attackerAddr = "203.0.113.66"
	otherAddr    = "198.51.100.7"
)

// trustLoopback makes loopback a trusted proxy, so X-Forwarded-For names the client.
var trustLoopback = []string{"--trusted-proxies", "127.0.0.0/8"}

// fromAddr is the header a trusted proxy adds for a client at addr.
func fromAddr(addr string) map[string]string { return map[string]string{"X-Forwarded-For": addr} }

// createGameFrom posts a new game as the client at addr.
func (s *testServer) createGameFrom(t testing.TB, addr, name string) response {
	t.Helper()
	return s.do(t, http.MethodPost, "/api/game", `{"name":`+quote(name)+`,"deck_id":1,"game_settings":{}}`, fromAddr(addr))
}

// joinFrom seats a player as the client at addr and returns its id.
func (s *testServer) joinFrom(t testing.TB, addr, code, username string) string {
	t.Helper()
	res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":`+quote(username)+`}`, fromAddr(addr))
	if res.status != http.StatusOK {
		t.Fatalf("join %s from %s: %d %s", code, addr, res.status, res.body)
	}
	return res.json(t)["id"].(string)
}

// detailOf is the "detail" of a JSON error answer.
func detailOf(t testing.TB, r response) string {
	t.Helper()
	var v struct {
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("not a JSON error: %s", r.body)
	}
	return v.Detail
}

// forwardingTransport is a browser behind the trusted proxy: every request carries the
// client's address.
type forwardingTransport struct{ addr string }

func (f forwardingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return http.DefaultTransport.RoundTrip(r)
}

// newFormClientFrom is a browser at addr.
func (s *testServer) newFormClientFrom(t *testing.T, addr string) *formClient {
	jar, _ := cookiejar.New(nil)
	return &formClient{t: t, s: s, client: &http.Client{
		Jar:           jar,
		Transport:     forwardingTransport{addr},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// refusalsOf reads pokerd_limit_refusals_total for a limit.
func (s *testServer) refusalsOf(t testing.TB, limit string) float64 {
	t.Helper()
	return s.scrape(t)[`pokerd_limit_refusals_total{limit="`+limit+`"}`]
}

// Finding 3: one client created rooms until the server's cap, then nobody could open a
// room for an hour. Now one address is refused (429) long before, and another address,
// in the API and in the browser, still opens rooms.
func TestAttackOneAddressCannotFillTheRoomCap(t *testing.T) {
	s := startServer(t, nil, append(trustLoopback, "--max-rooms", "200")...)
	before := beforeAttack(t, s)

	created, refused := 0, 0
	var refusal response
	for range 300 {
		res := s.createGameFrom(t, attackerAddr, "flood")
		switch res.status {
		case http.StatusOK:
			created++
		case http.StatusTooManyRequests:
			refused++
			refusal = res
		default:
			t.Fatalf("creation %d answered %d %s", created+refused+1, res.status, res.body)
		}
	}
	if refused == 0 {
		t.Fatalf("one address created %d rooms and was never refused", created)
	}
	if created >= 200 {
		t.Fatalf("one address reached the server's room cap (%d rooms)", created)
	}
	if d := detailOf(t, refusal); !strings.Contains(d, "rooms") {
		t.Fatalf("the refusal does not say what was refused: %q", d)
	}
	// The browser form from the same address is refused as well, on the form page.
	b := s.newFormClientFrom(t, attackerAddr)
	b.get("/")
	res := b.post("/rooms", url.Values{"room_name": {"flood"}, "your_name": {"x"}, "deck_id": {"1"}}, false)
	if res.status != http.StatusTooManyRequests || !strings.Contains(string(res.body), `data-testid="create-error"`) {
		t.Fatalf("the page form from the flooding address answered %d:\n%s", res.status, res.body)
	}

	// Anyone else still opens rooms, over the API and in the browser.
	if res := s.createGameFrom(t, otherAddr, "honest"); res.status != http.StatusOK {
		t.Fatalf("another address could not create a room: %d %s", res.status, res.body)
	}
	s.newFormClientFrom(t, "192.0.2.10").createRoom("honest team", "Ann")
	if n := s.refusalsOf(t, "rooms_per_minute") + s.refusalsOf(t, "unused_rooms_per_address"); n < float64(refused) {
		t.Fatalf("refusals counted: %v, want at least %d", n, refused)
	}
	if !strings.Contains(s.logs.String(), "client refused by a limit") {
		t.Fatalf("no warn line for the refusals")
	}
	survivedAttack(t, s, before)
}

// The unused rooms of one address are capped whatever the pace: rooms it opened that
// nobody connected to count until someone does.
func TestUnusedRoomsPerAddressAreCapped(t *testing.T) {
	s := startServer(t, nil, append(trustLoopback, "--rooms-per-minute", "0", "--unused-rooms-per-address", "3")...)
	var codes []string
	for i := range 3 {
		res := s.createGameFrom(t, attackerAddr, fmt.Sprint("r", i))
		if res.status != http.StatusOK {
			t.Fatalf("room %d: %d %s", i, res.status, res.body)
		}
		codes = append(codes, res.json(t)["code"].(string))
	}
	res := s.createGameFrom(t, attackerAddr, "one too many")
	if res.status != http.StatusTooManyRequests || !strings.Contains(detailOf(t, res), "unused") {
		t.Fatalf("a fourth unused room answered %d %s", res.status, res.body)
	}
	// Once someone plays in one of them, it no longer counts.
	c := s.connect(t, s.join(t, codes[0], "Ann"), codes[0])
	defer c.close()
	if res := s.createGameFrom(t, attackerAddr, "now fine"); res.status != http.StatusOK {
		t.Fatalf("after a room was used: %d %s", res.status, res.body)
	}
}

// socketsFrom dials n sockets of a player as the client at addr; it returns those that
// opened and the answers of those refused.
func (s *testServer) socketsFrom(t testing.TB, addr, playerID, code string, n int) (open []*websocket.Conn, refusals []int) {
	t.Helper()
	for range n {
		conn, err := s.tryDial(playerID, code, http.Header{"X-Forwarded-For": {addr}})
		if err != nil {
			var status int
			if _, scanErr := fmt.Sscanf(errorStatus(err), "%d", &status); scanErr != nil {
				t.Fatalf("dial failed without an HTTP answer: %v", err)
			}
			refusals = append(refusals, status)
			continue
		}
		t.Cleanup(func() { _ = conn.CloseNow() })
		open = append(open, conn)
	}
	return open, refusals
}

// errorStatus digs the HTTP status out of a failed WebSocket handshake's error.
func errorStatus(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "but got "); i >= 0 {
		return msg[i+len("but got "):]
	}
	return ""
}

// Finding 4: 19,986 sockets from one address took every descriptor. Now one address has
// a bounded number of connections, refused beyond it before the upgrade, and the
// process (health, metrics, an ordinary team) answers throughout.
func TestAttackOneAddressCannotTakeEveryDescriptor(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	before := beforeAttack(t, s)

	// 40 players in rooms of their own, set up from addresses of their own; then one
	// address opens 8 sockets of each: 320 in all.
	var open []*websocket.Conn
	var refusals []int
	for i := range 40 {
		setup := fmt.Sprintf("192.0.2.%d", i+1)
		res := s.createGameFrom(t, setup, "room")
		if res.status != http.StatusOK {
			t.Fatalf("setup: %d %s", res.status, res.body)
		}
		code := res.json(t)["code"].(string)
		id := s.joinFrom(t, setup, code, "p")
		o, r := s.socketsFrom(t, attackerAddr, id, code, 8)
		open, refusals = append(open, o...), append(refusals, r...)
	}
	if len(open) > 256 || len(refusals) == 0 {
		t.Fatalf("one address opened %d sockets, %d refused", len(open), len(refusals))
	}
	for _, st := range refusals {
		if st != http.StatusTooManyRequests {
			t.Fatalf("a socket over the cap answered %d, want 429", st)
		}
	}
	// While the attack holds its sockets: health, readiness, metrics and an ordinary team.
	for _, path := range []string{"/healthz", "/readyz"} {
		if res := s.get(t, path); res.status != http.StatusOK {
			t.Fatalf("%s during the attack: %d", path, res.status)
		}
	}
	if n := s.refusalsOf(t, "connections_per_address"); n != float64(len(refusals)) {
		t.Fatalf("refusals counted: %v, want %d", n, len(refusals))
	}
	s.ordinaryRound(t)
	for _, c := range open {
		_ = c.CloseNow()
	}
	survivedAttack(t, s, before)
}

// Beyond --max-connections (the cap kept below the descriptor limit), every new socket
// is refused with 503, whichever its address, while short requests still answer.
func TestConnectionsBeyondTheServerCapAreRefused(t *testing.T) {
	s := startServer(t, nil, append(trustLoopback, "--max-connections", "4")...)
	code := s.createGame(t, "cap")
	var refusals []int
	for i := range 6 {
		addr := fmt.Sprintf("192.0.2.%d", i+1)
		_, r := s.socketsFrom(t, addr, s.joinFrom(t, addr, code, "p"), code, 1)
		refusals = append(refusals, r...)
	}
	if len(refusals) != 2 || refusals[0] != http.StatusServiceUnavailable {
		t.Fatalf("refusals past a cap of 4 out of 6: %v", refusals)
	}
	if res := s.get(t, "/healthz"); res.status != http.StatusOK {
		t.Fatalf("/healthz: %d", res.status)
	}
	if res := s.get(t, "/metrics"); res.status != http.StatusOK {
		t.Fatalf("/metrics: %d", res.status)
	}
}

// Finding 5: every socket sends CONNECTED to every socket of its room, so 2,000 sockets
// of one player made 1.81 M frames. Now a player has at most a few sockets, and what
// their room receives stays bounded by that.
func TestAttackOnePlayerCannotOpenManySockets(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	before := beforeAttack(t, s)
	code := s.createGameFrom(t, otherAddr, "fan-out").json(t)["code"].(string)
	watcher := s.connect(t, s.joinFrom(t, otherAddr, code, "Watcher"), code)
	attacker := s.joinFrom(t, attackerAddr, code, "Many tabs")

	open, refusals := s.socketsFrom(t, attackerAddr, attacker, code, 50)
	if len(open) != 8 || len(refusals) != 42 {
		t.Fatalf("one player opened %d of 50 sockets (%d refused), want 8", len(open), len(refusals))
	}
	// The watcher saw one CONNECTED per open socket and nothing more: a SYNC's STATE
	// comes after everything sent before it.
	connected := 0
	watcher.send("SYNC", nil)
	for {
		m := watcher.next()
		if m.Type == "STATE" {
			break
		}
		if m.Type == "CONNECTED" {
			connected++
		}
	}
	if connected != len(open) {
		t.Fatalf("the room sent %d CONNECTED for %d sockets", connected, len(open))
	}
	if n := s.refusalsOf(t, "connections_per_player"); n != 42 {
		t.Fatalf("refusals counted: %v, want 42", n)
	}
	// Player ids are public: whoever holds a player's places from one address does not
	// lock out the player connecting from elsewhere.
	if mine, refused := s.socketsFrom(t, "192.0.2.99", attacker, code, 1); len(mine) != 1 {
		t.Fatalf("the player from another address was refused: %v", refused)
	}
	for _, c := range open {
		_ = c.CloseNow()
	}
	watcher.close()
	survivedAttack(t, s, before)
}

// Finding 12 (flood): a socket that kept sending far over the message rate was never
// disconnected. Now it is closed with 1008 and a reason, and counted.
func TestAttackAFloodingSocketIsDisconnected(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)
	code := s.createGame(t, "flood")
	flooder := s.connect(t, s.join(t, code, "Flooder"), code)

	frame := []byte(`{"type":"SUBMITVOTE","payload":5}`)
	var wg sync.WaitGroup
	wg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for range 5000 {
			if flooder.conn.Write(ctx, websocket.MessageText, frame) != nil {
				return // closed by the server
			}
		}
	})
	code1008, reason, reset := flooder.closeStatusOrReset()
	wg.Wait()
	// The server closes the TCP connection with the flood's frames still unread, so the
	// flooder's kernel may get a reset that throws its close frame away (about one run in
	// thirty): cut either way, and the counter below tells it was the flood.
	if !reset && (code1008 != websocket.StatusPolicyViolation || !strings.Contains(reason, "messages")) {
		t.Fatalf("the flooder was closed with %d %q, want 1008 naming the messages", code1008, reason)
	}
	if n := s.refusalsOf(t, "ws_message_flood"); n != 1 {
		t.Fatalf("floods counted: %v, want 1", n)
	}
	survivedAttack(t, s, before)
}
