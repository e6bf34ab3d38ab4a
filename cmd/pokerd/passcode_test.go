package main

// Rooms with a passcode, through the real server: joining from the pages and the JSON
// API without it, with a wrong one and with the right one; a seated browser that comes
// back; nothing of the room shown to someone without it; the passcode never in a log
// line, a query string or a Location but the creator's own redirect.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

const (
	testPasscode     = "Blue falcon 42"
	passcodeRoomName = "Orion roadmap"
)

// createPasscodeRoom opens a room from the home page with a passcode and returns its
// code and where the creator was sent.
func (b *formClient) createPasscodeRoom(name, you, passcode string) (code, location string) {
	b.t.Helper()
	b.get("/")
	res := b.post("/rooms", url.Values{"room_name": {name}, "your_name": {you}, "deck_id": {"1"}, "passcode": {passcode}}, false)
	location = res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(location, "/room/") {
		b.t.Fatalf("create: %d %s %s", res.status, location, res.body)
	}
	code, _, _ = strings.Cut(strings.TrimPrefix(location, "/room/"), "#")
	return code, location
}

// joinWith posts the join form with a name and a passcode (none when passcode is nil).
func (b *formClient) joinWith(code, you string, passcode *string, htmx bool) response {
	b.t.Helper()
	b.get("/join/" + code)
	form := url.Values{"your_name": {you}}
	if passcode != nil {
		form.Set("passcode", *passcode)
	}
	return b.post("/join/"+code, form, htmx)
}

// isSeated reports whether this browser has a seat in the room: the room page opens.
func (b *formClient) isSeated(code string) bool {
	b.t.Helper()
	res := b.get("/room/" + code)
	return res.status == http.StatusOK
}

// passcodeForms are the ways a passcode could be written into a log line or a URL.
func passcodeForms(passcode string) []string {
	return []string{passcode, url.QueryEscape(passcode), url.PathEscape(passcode), strings.ToLower(passcode)}
}

// checkPasscodeNotLogged fails the test when the server's log holds a passcode.
func checkPasscodeNotLogged(t *testing.T, s *testServer, passcodes ...string) {
	t.Helper()
	logs := s.logs.String()
	if !strings.Contains(logs, "game created") { // startServer logs at debug level
		t.Fatalf("the log does not show what the test did, so it proves nothing:\n%s", logs)
	}
	for _, p := range passcodes {
		for _, form := range passcodeForms(p) {
			if strings.Contains(logs, form) {
				t.Fatalf("the server log holds the passcode (%q):\n%s", form, logs)
			}
		}
	}
}

func TestPasscodeRoomPages(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code, location := ann.createPasscodeRoom(passcodeRoomName, "Annabel Quill", "  "+testPasscode+" ")

	t.Run("the creator is sent to the room with the passcode in the fragment, and only there", func(t *testing.T) {
		want := "/room/" + code + "#passcode=" + url.QueryEscape(testPasscode)
		if location != want {
			t.Fatalf("Location %q, want %q", location, want)
		}
		page := ann.get("/room/" + code)
		body := string(page.body)
		if page.status != http.StatusOK || !strings.Contains(body, passcodeRoomName) {
			t.Fatalf("the creator's room page: %d", page.status)
		}
		for _, want := range []string{`data-passcode-for="` + code + `"`, `data-testid="passcode-note"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the room page lacks %s", want)
			}
		}
		for _, form := range passcodeForms(testPasscode) {
			if strings.Contains(body, form) {
				t.Fatalf("the room page holds the passcode (%q)", form)
			}
		}
		if got := page.header.Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("Referrer-Policy %q", got)
		}
	})

	bob := s.newFormClient(t)
	t.Run("the join page asks for the passcode and hides the room's name", func(t *testing.T) {
		res := bob.get("/join/" + code)
		body := string(res.body)
		if res.status != http.StatusOK || !strings.Contains(body, `data-testid="join-passcode"`) || !strings.Contains(body, `data-testid="passcode-lead"`) {
			t.Fatalf("join page: %d %s", res.status, body)
		}
		if strings.Contains(body, passcodeRoomName) || strings.Contains(body, "Annabel") {
			t.Fatal("the join page shows the room's name or its players to someone without the passcode")
		}
		if got := res.header.Get("Referrer-Policy"); got != "same-origin" {
			t.Errorf("Referrer-Policy %q", got)
		}
	})

	for _, tc := range []struct {
		name     string
		passcode *string
		htmx     bool
		says     string
	}{
		{"without a passcode", nil, false, "This room needs a passcode"},
		{"with an empty passcode", new(""), true, "This room needs a passcode"},
		{"with a wrong passcode", new("Blue falcon 43"), false, "That passcode is not the room&#39;s"},
		{"with the passcode in other capitals", new(strings.ToLower(testPasscode)), true, "capitals count"},
	} {
		t.Run("joining "+tc.name+" is refused with the reason, the name kept, nobody seated", func(t *testing.T) {
			res := bob.joinWith(code, "Bartholomew Fen", tc.passcode, tc.htmx)
			body := string(res.body)
			if res.status != http.StatusForbidden || !strings.Contains(body, tc.says) || !strings.Contains(body, `data-testid="join-error"`) {
				t.Fatalf("got %d, want 403 saying %q: %s", res.status, tc.says, body)
			}
			if !strings.Contains(body, `value="Bartholomew Fen"`) {
				t.Error("the typed name is lost")
			}
			if strings.Contains(body, passcodeRoomName) {
				t.Error("the refusal shows the room's name")
			}
			if tc.passcode != nil && *tc.passcode != "" && strings.Contains(body, `value="`+*tc.passcode+`"`) {
				t.Error("the wrong passcode is written back into the form")
			}
			if bob.isSeated(code) {
				t.Fatal("bob has a seat")
			}
			if strings.Contains(string(ann.get("/room/"+code).body), "Bartholomew") {
				t.Fatal("the room lists bob")
			}
		})
	}

	t.Run("the right passcode seats the player, who then sees the room", func(t *testing.T) {
		res := bob.joinWith(code, "Bartholomew Fen", new(testPasscode), false)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/room/"+code {
			t.Fatalf("got %d %q %s", res.status, res.header.Get("Location"), res.body)
		}
		page := string(bob.get("/room/" + code).body)
		if !strings.Contains(page, passcodeRoomName) || !strings.Contains(page, "Annabel Quill") {
			t.Fatal("bob's room page lacks the room's name or ann")
		}
	})

	t.Run("a seated browser needs the passcode no more: reloads, the join link, its stream", func(t *testing.T) {
		if !bob.isSeated(code) {
			t.Fatal("bob's room page does not open")
		}
		res := bob.get("/join/" + code)
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/room/"+code {
			t.Fatalf("the join link: %d %q", res.status, res.header.Get("Location"))
		}
		res = bob.joinWith(code, "Bartholomew Fen", nil, false)
		if res.status != http.StatusSeeOther {
			t.Fatalf("joining again without the passcode: %d %s", res.status, res.body)
		}
		events := bob.openEvents(code, "")
		if first := events.next(); !strings.Contains(first, "Annabel Quill") {
			t.Fatalf("the stream's first update: %s", first)
		}
		events.cancel()
	})

	t.Run("spaces around the passcode do not count", func(t *testing.T) {
		carol := s.newFormClient(t)
		res := carol.joinWith(code, "Carol", new("\t"+testPasscode+"  "), false)
		if res.status != http.StatusSeeOther {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})

	t.Run("a passcode outside 4 to 64 characters is refused, and the form keeps what was typed", func(t *testing.T) {
		for _, bad := range []string{"abc", strings.Repeat("p", 65)} {
			dan := s.newFormClient(t)
			dan.get("/")
			res := dan.post("/rooms", url.Values{"room_name": {"Dan's room"}, "your_name": {"Dan"}, "deck_id": {"1"}, "passcode": {bad}}, false)
			body := string(res.body)
			if res.status != http.StatusUnprocessableEntity || !strings.Contains(body, "A passcode has 4 to 64 characters") {
				t.Fatalf("%q: got %d %s", bad, res.status, body)
			}
			for _, kept := range []string{`value="Dan&#39;s room"`, `value="Dan"`, `value="` + bad + `"`} {
				if !strings.Contains(body, kept) {
					t.Errorf("%q: the form lost %s", bad, kept)
				}
			}
		}
	})

	t.Run("a room opened without a passcode asks for none", func(t *testing.T) {
		open := ann.createRoom("Open room", "Ann")
		erin := s.newFormClient(t)
		if body := string(erin.get("/join/" + open).body); strings.Contains(body, `data-testid="join-passcode"`) || !strings.Contains(body, "Open room") {
			t.Fatal("the join page of an open room asks for a passcode or hides its name")
		}
		if res := erin.joinWith(open, "Erin", nil, false); res.status != http.StatusSeeOther {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})

	if !strings.Contains(s.logs.String(), "passcode refused") {
		t.Error("the refusals are not logged")
	}
	checkPasscodeNotLogged(t, s, testPasscode)
}

// TestPasscodeRoomShowsNothingWithoutIt: someone with the room's code and a cookie but
// without the passcode tries every route of the room, pages and API; none shows its
// name or its players, and none seats them.
func TestPasscodeRoomShowsNothingWithoutIt(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code, _ := ann.createPasscodeRoom(passcodeRoomName, "Annabel Quill", testPasscode)
	bob := s.newFormClient(t)
	if res := bob.joinWith(code, "Bartholomew Fen", new(testPasscode), false); res.status != http.StatusSeeOther {
		t.Fatalf("bob's join: %d", res.status)
	}
	// A round, revealed, so that the record has something to show.
	ann.get("/room/" + code)
	ann.post("/room/"+code+"/start", url.Values{"ticket": {"https://tracker.example.com/ORION-1"}}, false)
	ann.post("/room/"+code+"/vote", url.Values{"value": {"8"}}, false)
	ann.post("/room/"+code+"/reveal", nil, false)

	secrets := []string{passcodeRoomName, "Annabel", "Bartholomew", "ORION-1"}
	stranger := s.newFormClient(t)
	stranger.get("/") // a cookie, and a CSRF token for the forms
	check := func(t *testing.T, what string, res response) {
		t.Helper()
		// The QR code (the join link) and the join page show that the room exists;
		// leaving changes nothing and shows nothing. Every other route needs a seat.
		open := strings.Contains(what, "qr.svg") || strings.HasPrefix(what, "GET /join/") || strings.Contains(what, "/leave")
		if res.status == http.StatusOK && !open {
			t.Errorf("%s: 200 for someone without the passcode", what)
		}
		for _, secret := range secrets {
			if strings.Contains(string(res.body), secret) {
				t.Errorf("%s answers %d with %q in its body", what, res.status, secret)
			}
		}
	}
	for _, path := range []string{"", "/hand", "/people", "/events", "/record.csv", "/record.json", "/qr.svg"} {
		for _, htmx := range []bool{false, true} {
			req, _ := http.NewRequest(http.MethodGet, s.base+"/room/"+code+path, nil)
			if htmx {
				req.Header.Set("HX-Request", "true")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			check(t, "GET /room/{code}"+path, stranger.do(req.WithContext(ctx)))
			cancel()
		}
	}
	check(t, "GET /join/{code}", stranger.get("/join/"+code))
	for _, action := range []string{"vote", "observe", "start", "reveal", "leave", "options", "handoff", "remove", "estimate"} {
		check(t, "POST /room/{code}/"+action, stranger.post("/room/"+code+"/"+action, url.Values{"value": {"5"}}, true))
		check(t, "POST /room/{code}/"+action+" (plain form)", stranger.post("/room/"+code+"/"+action, url.Values{"value": {"5"}}, false))
	}
	check(t, "POST /join/{code}", stranger.joinWith(code, "Mallory", nil, true))
	check(t, "POST /join/{code} (wrong passcode)", stranger.joinWith(code, "Mallory", new("guess"), false))
	someone := uuid.NewString()
	check(t, "POST /api/join/{code}", s.post(t, "/api/join/"+code, `{"username":"Mallory","id":"`+someone+`"}`))
	check(t, "GET /api/game/{code}/record", s.get(t, "/api/game/"+code+"/record?player_id="+someone))
	check(t, "GET /api/game/{code}/record.csv", s.get(t, "/api/game/"+code+"/record.csv?player_id="+someone))
	conn, err := s.tryDial(someone, code, nil)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, data, err := conn.Read(ctx)
		cancel()
		var ce websocket.CloseError
		if !errors.As(err, &ce) || ce.Code != 4001 {
			t.Errorf("a socket of someone never seated: %v %s", err, data)
		}
		_ = conn.CloseNow()
	}

	if stranger.isSeated(code) {
		t.Fatal("the stranger has a seat")
	}
	page := string(ann.get("/room/" + code).body)
	if strings.Contains(page, "Mallory") {
		t.Fatal("the room lists the stranger")
	}
}

func TestPasscodeRoomAPI(t *testing.T) {
	s := startServer(t, nil)
	created := s.post(t, "/api/game", `{"name":"API room","deck_id":1,"game_settings":{"passcode":"tiger lily"}}`)
	if created.status != http.StatusOK {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	if strings.Contains(string(created.body), "tiger") || strings.Contains(string(created.body), "passcode") {
		t.Fatalf("the Game answered tells of its passcode: %s", created.body)
	}
	code := created.json(t)["code"].(string)

	t.Run("a join without the passcode is refused with the reason, as the Vue frontend sends it", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Vue user","id":"`+uuid.NewString()+`"}`)
		if res.status != http.StatusForbidden || !strings.Contains(res.json(t)["detail"].(string), "This room needs a passcode; join it from the browser page") {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a join with a wrong passcode is refused", func(t *testing.T) {
		for _, wrong := range []string{"tiger lilt", "Tiger lily", "tiger"} {
			res := s.post(t, "/api/join/"+code, `{"username":"Guesser","passcode":`+quote(wrong)+`}`)
			if res.status != http.StatusForbidden || res.json(t)["detail"] != "That passcode is not the room's" {
				t.Fatalf("%q: got %d %s", wrong, res.status, res.body)
			}
		}
	})
	var leadID string
	t.Run("the passcode seats the client, which then plays over the WebSocket", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Lead","passcode":"tiger lily"}`)
		if res.status != http.StatusOK {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		leadID = res.json(t)["id"].(string)
		lead := s.connect(t, leadID, code)
		if st := lead.sync(); len(st.PlayerStates) != 1 || !st.PlayerStates[leadID].IsAdmin {
			t.Fatalf("the state: %+v", st.PlayerStates)
		}
	})
	t.Run("a seated id joins again without the passcode", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Lead","id":"`+leadID+`"}`)
		if res.status != http.StatusOK {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
	t.Run("a passcode of the wrong type or length is a 422 that does not echo it", func(t *testing.T) {
		long := strings.Repeat("tiger lily ", 7)
		for _, body := range []string{
			`{"username":"x","passcode":1234}`,
			`{"username":"x","passcode":` + quote(long) + `}`,
		} {
			res := s.post(t, "/api/join/"+code, body)
			if res.status != http.StatusUnprocessableEntity || strings.Contains(string(res.body), "tiger") || strings.Contains(string(res.body), "1234") {
				t.Fatalf("%s: got %d %s", body, res.status, res.body)
			}
		}
		for _, settings := range []string{`{"passcode":"abc"}`, `{"passcode":` + quote(long) + `}`, `{"passcode":true}`} {
			res := s.post(t, "/api/game", `{"name":"x","deck_id":1,"game_settings":`+settings+`}`)
			if res.status != http.StatusUnprocessableEntity || strings.Contains(string(res.body), "tiger") || strings.Contains(string(res.body), `"abc"`) {
				t.Fatalf("%s: got %d %s", settings, res.status, res.body)
			}
		}
	})
	t.Run("a null or blank passcode makes a room without one", func(t *testing.T) {
		for _, settings := range []string{`{"passcode":null}`, `{"passcode":""}`, `{}`} {
			res := s.post(t, "/api/game", `{"name":"open","deck_id":1,"game_settings":`+settings+`}`)
			if res.status != http.StatusOK {
				t.Fatalf("%s: %d %s", settings, res.status, res.body)
			}
			s.join(t, res.json(t)["code"].(string), "Anyone")
		}
	})
	t.Run("a room opened in the browser with a passcode refuses the Vue frontend's join", func(t *testing.T) {
		ann := s.newFormClient(t)
		browserRoom, _ := ann.createPasscodeRoom("Browser room", "Ann", testPasscode)
		res := s.post(t, "/api/join/"+browserRoom, `{"username":"Vue user","id":"`+uuid.NewString()+`"}`)
		if res.status != http.StatusForbidden {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})

	checkPasscodeNotLogged(t, s, "tiger lily", testPasscode)
}

// TestAttackPasscodeGuessesAreLimited: wrong passcodes are guesses, and one address's
// guesses, through the page and the API alike, are held to the joins-per-minute limit:
// past it even the right passcode waits, while another address still joins.
func TestAttackPasscodeGuessesAreLimited(t *testing.T) {
	// A wrong passcode is held by two limits: every join attempt counts against
	// --joins-per-minute, and a wrong passcode is a guess, spending the address's budget
	// of failed look-ups as a mistyped code does. Either one alone stops the guesser.
	for _, tc := range []struct {
		name    string
		checked int // the most guesses the limit lets through
		flags   []string
	}{
		{"by the joins a minute", 5, []string{"--joins-per-minute", "5"}},
		{"by the budget of failed look-ups", 3, []string{"--joins-per-minute", "0", "--code-miss-burst", "3", "--code-misses-per-minute", "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) { passcodeGuessesAreLimited(t, tc.checked, tc.flags) })
	}
}

func passcodeGuessesAreLimited(t *testing.T, perMinute int, flags []string) {
	const guesses = 40
	s := startServer(t, nil, append(append([]string(nil), trustLoopback...), flags...)...)
	ann := s.newFormClient(t)
	code, _ := ann.createPasscodeRoom(passcodeRoomName, "Ann", testPasscode)
	before := beforeAttack(t, s)

	guesser := s.newFormClientFrom(t, attackerAddr)
	refused, limited := 0, 0
	for i := range guesses {
		guess := fmt.Sprintf("guess %d", i)
		var res response
		if i%2 == 0 {
			res = s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"Guesser","passcode":`+quote(guess)+`}`, fromAddr(attackerAddr))
		} else {
			res = guesser.joinWith(code, "Guesser", &guess, false)
		}
		switch res.status {
		case http.StatusForbidden:
			refused++
		case http.StatusTooManyRequests:
			limited++
		default:
			t.Fatalf("guess %d: %d %s", i, res.status, res.body)
		}
	}
	if refused > perMinute || limited < guesses-perMinute {
		t.Fatalf("of %d guesses from one address %d were checked and %d limited; the limit is %d", guesses, refused, limited, perMinute)
	}
	if res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"Guesser","passcode":`+quote(testPasscode)+`}`, fromAddr(attackerAddr)); res.status != http.StatusTooManyRequests {
		t.Fatalf("the right passcode after the guesses: %d, want 429", res.status)
	}
	if res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"Colleague","passcode":`+quote(testPasscode)+`}`, fromAddr(otherAddr)); res.status != http.StatusOK {
		t.Fatalf("a colleague at another address: %d %s", res.status, res.body)
	}
	survivedAttack(t, s, before)
}
