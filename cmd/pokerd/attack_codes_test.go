package main

// The attack suite's room codes (issue 11): codes had four characters and could be tried
// without limit (39,322 guesses a second, the whole code space in 43 s), so every room on
// a server could be found and then taken over. Now a flood of guesses from one address
// is cut to a small burst, then refused 429 with Retry-After on every route that finds a
// room by its code, for the real rooms' codes too; other addresses are not hindered. The
// server trusts loopback as a proxy, so that X-Forwarded-For plays several addresses.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// The code look-up limit's defaults: a burst of 10 misses, then one every 6 s.
const (
	codeMissBurst = 10
	codeMissEvery = 6 * time.Second
)

// guessedCode is the i-th code the attacker tries: shaped like a code, with a 0 in it,
// which no generated code has, so that it misses whatever rooms are open.
func guessedCode(i int) string { return fmt.Sprintf("q%07d", i) }

// lookupOutcome is what a client learns from one look-up of a code.
type lookupOutcome int

const (
	codeFound lookupOutcome = iota
	codeMissing
	codeRefused
)

func (o lookupOutcome) String() string {
	return [...]string{"found", "missing", "refused"}[o]
}

// lookupAnswer is one look-up's outcome; for a refusal, its Retry-After and when it came.
type lookupAnswer struct {
	outcome    lookupOutcome
	retryAfter int // seconds
	at         time.Time
}

// codeRoute is one route that finds a room by its code, as a client at addr uses it.
type codeRoute struct {
	name string
	try  func(t *testing.T, s *testServer, addr, code string) lookupAnswer
}

// refusedAnswer checks that a 429 says when to come back, and returns it.
func refusedAnswer(t *testing.T, route string, header http.Header) lookupAnswer {
	t.Helper()
	seconds, err := strconv.Atoi(header.Get("Retry-After"))
	if err != nil || seconds < 1 || seconds > int(codeMissEvery/time.Second) {
		t.Fatalf("%s: a 429 with Retry-After %q, want whole seconds from 1 to 6", route, header.Get("Retry-After"))
	}
	return lookupAnswer{outcome: codeRefused, retryAfter: seconds, at: time.Now()}
}

// pageFrom is a GET of a page by a browser at addr, redirects not followed.
func (s *testServer) pageFrom(t *testing.T, addr, path string) response {
	t.Helper()
	client := &http.Client{
		Transport:     forwardingTransport{addr},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return (&formClient{t: t, s: s, client: client}).do(req)
}

var codeRoutes = []codeRoute{
	{"POST /api/join/{code}", func(t *testing.T, s *testServer, addr, code string) lookupAnswer {
		res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"guess"}`, fromAddr(addr))
		switch res.status {
		case http.StatusOK:
			return lookupAnswer{outcome: codeFound}
		case http.StatusNotFound:
			return lookupAnswer{outcome: codeMissing}
		case http.StatusTooManyRequests:
			if d := detailOf(t, res); !strings.Contains(d, "room codes") {
				t.Fatalf("join: the refusal does not say why: %q", d)
			}
			return refusedAnswer(t, "join", res.header)
		}
		t.Fatalf("join %s answered %d %s", code, res.status, res.body)
		return lookupAnswer{}
	}},
	{"WebSocket /api/ws/{id}/{code}", func(t *testing.T, s *testServer, addr, code string) lookupAnswer {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, res, err := websocket.Dial(ctx, s.wsBase+"/api/ws/"+uuid.NewString()+"/"+code,
			&websocket.DialOptions{HTTPHeader: http.Header{"X-Forwarded-For": {addr}}})
		if err != nil {
			if res != nil && res.StatusCode == http.StatusTooManyRequests {
				body, _ := io.ReadAll(res.Body) // what Dial kept of it
				if err := checkAnswer(res.Request, res.StatusCode, res.Header, body); err != nil {
					t.Fatalf("socket: the 429 breaks the OpenAPI document: %v", err)
				}
				return refusedAnswer(t, "socket", res.Header)
			}
			t.Fatalf("socket for %s: %v", code, err)
		}
		defer conn.CloseNow()
		_, _, err = conn.Read(ctx)
		var ce websocket.CloseError
		switch {
		case !errors.As(err, &ce):
			t.Fatalf("socket for %s: not closed by the server: %v", code, err)
		case ce.Code == 4000:
			return lookupAnswer{outcome: codeMissing}
		case ce.Code == 4001: // the room is there, the (random) player is not
			return lookupAnswer{outcome: codeFound}
		}
		t.Fatalf("socket for %s closed with %d %q", code, ce.Code, ce.Reason)
		return lookupAnswer{}
	}},
	{"GET /join/{code}", func(t *testing.T, s *testServer, addr, code string) lookupAnswer {
		res := s.pageFrom(t, addr, "/join/"+code)
		switch {
		case res.status == http.StatusOK && strings.Contains(string(res.body), `data-testid="join-form"`):
			return lookupAnswer{outcome: codeFound}
		case res.status == http.StatusNotFound && strings.Contains(string(res.body), `data-testid="no-room"`):
			return lookupAnswer{outcome: codeMissing}
		case res.status == http.StatusTooManyRequests && strings.Contains(string(res.body), `data-testid="lookup-refused"`):
			return refusedAnswer(t, "join page", res.header)
		}
		t.Fatalf("join page %s answered %d:\n%s", code, res.status, res.body)
		return lookupAnswer{}
	}},
	{"GET /room/{code}", func(t *testing.T, s *testServer, addr, code string) lookupAnswer {
		res := s.pageFrom(t, addr, "/room/"+code)
		switch {
		case res.status == http.StatusSeeOther && res.header.Get("Location") == "/join/"+code:
			return lookupAnswer{outcome: codeFound} // a room, where this browser has no seat
		case res.status == http.StatusNotFound && strings.Contains(string(res.body), `data-testid="no-room"`):
			return lookupAnswer{outcome: codeMissing}
		case res.status == http.StatusTooManyRequests && strings.Contains(string(res.body), `data-testid="lookup-refused"`):
			return refusedAnswer(t, "room page", res.header)
		}
		t.Fatalf("room page %s answered %d:\n%s", code, res.status, res.body)
		return lookupAnswer{}
	}},
}

func TestAttackGuessingRoomCodes(t *testing.T) {
	// The join limit is lifted, so that what cuts the guesses at the API's join is the
	// code look-up limit alone (at its defaults).
	s := startServer(t, nil, append(trustLoopback, "--joins-per-minute", "0")...)
	lead := "192.0.2.10"
	realCode := s.createGameFrom(t, lead, "The real room").json(t)["code"].(string)
	before := beforeAttack(t, s)

	const guesses = 1000
	lastRefusal := map[string]lookupAnswer{}
	refusals := 0
	for i, route := range codeRoutes {
		attacker := fmt.Sprintf("203.0.113.%d", i+1) // an address of its own for each route
		started := time.Now()
		misses := 0
		var last lookupAnswer
		for g := range guesses {
			answer := route.try(t, s, attacker, guessedCode(g))
			switch {
			case g < codeMissBurst && answer.outcome != codeMissing:
				t.Fatalf("%s: guess %d was %v, want missing: the burst is for mistakes", route.name, g+1, answer.outcome)
			case g == codeMissBurst && answer.outcome != codeRefused:
				t.Fatalf("%s: guess %d, right after the burst of %d, was %v, want refused", route.name, g+1, codeMissBurst, answer.outcome)
			case answer.outcome == codeFound:
				t.Fatalf("%s: guess %q found a room", route.name, guessedCode(g))
			case answer.outcome == codeMissing:
				misses++
			default:
				refusals++
				last = answer
			}
		}
		refusals += probeRealCode(t, s, route, attacker, realCode)
		// The budget refills one miss every 6 s while the flood lasts.
		if allowed := codeMissBurst + int(time.Since(started)/codeMissEvery); misses > allowed {
			t.Fatalf("%s: %d of %d guesses were told missing, want at most the burst (%d over %v)",
				route.name, misses, guesses, allowed, time.Since(started).Round(time.Millisecond))
		}
		lastRefusal[attacker] = last
		t.Logf("%s: %d guesses, %d told missing, the rest refused, in %v", route.name, guesses, misses, time.Since(started).Round(time.Millisecond))
	}

	t.Run("new rooms have codes of 8 characters", func(t *testing.T) {
		if len(realCode) != 8 {
			t.Fatalf("a new room's code %q: want 8 characters by default", realCode)
		}
	})

	t.Run("another address joins the real room and plays a round", func(t *testing.T) {
		leadID := s.joinFrom(t, lead, realCode, "Lead")
		memberID := s.joinFrom(t, otherAddr, realCode, "Member")
		leadConn := s.connectFrom(t, lead, leadID, realCode)
		memberConn := s.connectFrom(t, otherAddr, memberID, realCode)
		leadConn.expect("CONNECTED")
		memberConn.send("SUBMITVOTE", 5)
		leadConn.expect("PLAYERVOTED")
		leadConn.send("REVEAL", nil)
		leadConn.expect("REVEALGAME")
		memberConn.expect("PLAYERVOTED")
		memberConn.expect("REVEALGAME")
		leadConn.close()
		memberConn.close()
		// And in the browser, from that address.
		b := s.newFormClientFrom(t, otherAddr)
		b.joinRoom(realCode, "Browser")
		if res := b.get("/room/" + realCode); res.status != http.StatusOK {
			t.Fatalf("the room page for another address: %d", res.status)
		}
	})

	t.Run("refusals are counted and logged", func(t *testing.T) {
		if n := s.refusalsOf(t, "code_misses_per_minute"); n < float64(refusals) {
			t.Fatalf("pokerd_limit_refusals_total{limit=\"code_misses_per_minute\"} = %v, want at least %d", n, refusals)
		}
		if !strings.Contains(s.logs.String(), "limit=code_misses_per_minute") {
			t.Fatal("no warn line for the refused look-ups")
		}
	})

	t.Run("after Retry-After, a flooding address may look the real room up again", func(t *testing.T) {
		for i, route := range codeRoutes {
			attacker := fmt.Sprintf("203.0.113.%d", i+1)
			last := lastRefusal[attacker]
			time.Sleep(time.Until(last.at.Add(time.Duration(last.retryAfter) * time.Second)))
			answer := route.try(t, s, attacker, realCode)
			// Retry-After is whole seconds on the server's clock, the wait here is timed
			// from when the test read the refusal: on a loaded machine (CI, under -race)
			// the first look-up after the wait has been seen refused once in a few runs.
			// Within two seconds past Retry-After the room must be found; asking while
			// refused costs nothing.
			for grace := last.at.Add(time.Duration(last.retryAfter+2) * time.Second); answer.outcome == codeRefused && time.Now().Before(grace); {
				time.Sleep(250 * time.Millisecond)
				answer = route.try(t, s, attacker, realCode)
			}
			if answer.outcome != codeFound {
				t.Fatalf("%s: %d s after a refusal with Retry-After %d, the real room was %v", route.name,
					int(time.Since(last.at)/time.Second), last.retryAfter, answer.outcome)
			}
		}
	})

	survivedAttack(t, s, before)
}

// probeRealCode looks the real room's code up from the flooding address, which must be
// refused like any guess: a refusal for misses alone would tell the codes that exist.
// It asks right after a guess refused with Retry-After of 2 s or more, while that wait is
// surely running (Retry-After rounds up), and returns the refusals it saw.
func probeRealCode(t *testing.T, s *testServer, route codeRoute, attacker, realCode string) (refusals int) {
	t.Helper()
	deadline := time.Now().Add(3 * codeMissEvery)
	for g := 0; time.Now().Before(deadline); g++ {
		guess := route.try(t, s, attacker, guessedCode(1_000_000+g))
		if guess.outcome != codeRefused || guess.retryAfter < 2 {
			continue // a miss that came back, or one about to
		}
		refusals++
		real := route.try(t, s, attacker, realCode)
		if real.outcome == codeRefused {
			return refusals + 1
		}
		if time.Since(guess.at) < time.Duration(guess.retryAfter-1)*time.Second {
			t.Fatalf("%s: during the flood, the real room's code from the flooding address was %v, want refused like any guess", route.name, real.outcome)
		}
	}
	t.Fatalf("%s: no guess was refused for 2 s or more within %v", route.name, 3*codeMissEvery)
	return 0
}

// connectFrom opens a player's socket as the client at addr and reads the opening STATE
// and the player's own CONNECTED.
func (s *testServer) connectFrom(t *testing.T, addr, playerID, code string) *wsClient {
	t.Helper()
	conn, err := s.tryDial(playerID, code, http.Header{"X-Forwarded-For": {addr}})
	if err != nil {
		t.Fatalf("socket from %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = conn.CloseNow() })
	c := &wsClient{t: t, conn: conn, id: playerID}
	c.expect("STATE")
	c.expectPlayer("CONNECTED", playerID)
	return c
}

// Every route that finds a room by its code counts its misses against the same budget,
// malformed codes included, and refuses every look-up once it is spent: a browser at
// the flooding address that has no seat in the room is refused it, on each page, action,
// download and stream, like any other client there; another address is not. Those
// seated in the room keep it (TestSeatedPlayersKeepTheirRoomAtARefusedAddress).
func TestEveryCodeLookupIsLimited(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	ann := s.newFormClientFrom(t, otherAddr)
	code := ann.createRoom("Team", "Ann")
	bobID := s.joinFrom(t, otherAddr, code, "Bob")
	for i := range 50 { // hits spend nothing
		if res := ann.get("/room/" + code); res.status != http.StatusOK {
			t.Fatalf("the room page, visit %d: %d", i+1, res.status)
		}
	}
	// The burst, spent on codes that are not even codes: each is a guess all the same.
	// Eve has a browser cookie of her own, and no seat.
	eve := s.newFormClientFrom(t, attackerAddr)
	eve.get("/") // her cookies and form token
	for i := range codeMissBurst {
		bad := []string{"NOT-A-CODE", "abc", "x", strings.Repeat("z", 11)}[i%4]
		if res := eve.get("/join/" + bad); res.status != http.StatusNotFound {
			t.Fatalf("malformed code %q, miss %d: %d", bad, i+1, res.status)
		}
	}

	refused := func(t *testing.T, route string, res response) {
		t.Helper()
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("%s from the flooding address answered %d, want 429:\n%.300s", route, res.status, res.body)
		}
		refusedAnswer(t, route, res.header)
	}
	t.Run("pages refuse with a page that says so", func(t *testing.T) {
		for _, path := range []string{"/join/" + code, "/room/" + code, "/room/" + code + "/people", "/room/" + code + "/hand"} {
			res := eve.get(path)
			refused(t, path, res)
			if !strings.Contains(string(res.body), `data-testid="lookup-refused"`) || strings.Contains(string(res.body), code) {
				t.Fatalf("%s: the refusal page does not say why, or names the code:\n%s", path, res.body)
			}
		}
		refused(t, "POST /join/{code}", eve.post("/join/"+code, url.Values{"your_name": {"Ann again"}}, false))
	})
	t.Run("htmx requests are told to reload, which shows the refusal", func(t *testing.T) {
		for _, res := range []response{eve.getHTMX("/room/" + code + "/hand"), eve.post("/room/"+code+"/vote", url.Values{"value": {"5"}}, true)} {
			refused(t, "htmx", res)
			if res.header.Get("HX-Refresh") != "true" {
				t.Fatalf("an htmx refusal without HX-Refresh: %v", res.header)
			}
		}
	})
	t.Run("downloads, the QR code and the event stream refuse", func(t *testing.T) {
		for _, path := range []string{"/record.csv", "/record.json", "/qr.svg", "/events"} {
			refused(t, path, eve.get("/room/"+code+path))
		}
	})
	t.Run("the API refuses in its error shape", func(t *testing.T) {
		from := fromAddr(attackerAddr)
		for _, res := range []response{
			s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"Eve"}`, from),
			// An id that sits nowhere proves nothing.
			s.do(t, http.MethodGet, "/api/game/"+code+"/record?player_id="+uuid.NewString(), "", from),
			s.do(t, http.MethodGet, "/api/game/"+code+"/record.csv?player_id="+uuid.NewString(), "", from),
		} {
			refused(t, "API", res)
			if d := detailOf(t, res); !strings.Contains(d, "try again in") {
				t.Fatalf("the API refusal does not say when to come back: %q", d)
			}
		}
		if answer := codeRoutes[1].try(t, s, attackerAddr, code); answer.outcome != codeRefused {
			t.Fatalf("the WebSocket from the flooding address: %v, want refused before the upgrade", answer.outcome)
		}
	})
	t.Run("another address is not refused", func(t *testing.T) {
		if res := s.do(t, http.MethodGet, "/api/game/"+code+"/record?player_id="+bobID, "", fromAddr(otherAddr)); res.status != http.StatusForbidden {
			t.Fatalf("Bob's record request: %d %s, want 403 (not the facilitator)", res.status, res.body)
		}
		if res := s.pageFrom(t, otherAddr, "/room/"+code+"/qr.svg"); res.status != http.StatusOK {
			t.Fatalf("the QR code for another address: %d", res.status)
		}
	})
}

// Tabs left open on rooms that are gone (after a restart, say) ask for their codes again
// and again, their event streams reconnecting for ever: asking again for a code missed
// lately costs nothing, so an office behind one address is not locked out by them.
func TestStaleTabsDoNotLockOutTheirAddress(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	code := s.createGame(t, "Today's room")
	for i := range 100 {
		stale := fmt.Sprintf("gone%04d", i%3) // three old rooms, of three teams
		if res := s.pageFrom(t, attackerAddr, "/room/"+stale+"/events"); res.status != http.StatusNotFound {
			t.Fatalf("reconnect %d of a stale tab: %d %s", i+1, res.status, res.body)
		}
	}
	if res := s.pageFrom(t, attackerAddr, "/join/"+code); res.status != http.StatusOK {
		t.Fatalf("the office's new room after the stale tabs' reconnects: %d", res.status)
	}
}
