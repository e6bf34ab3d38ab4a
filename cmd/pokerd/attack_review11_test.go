package main

// Attacks found in the review of issue 11 as merged: seams between its parts that the
// parts' own tests did not cross.

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// postJSONFrom posts a JSON body as the client at addr, from any goroutine (it fails
// nothing itself): the answer's status, or the error.
func (s *testServer) postJSONFrom(addr, path, body string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// postAllAtOnce sends every body to path as the client at addr, all at once, and counts
// the answers by status.
func (s *testServer) postAllAtOnce(t *testing.T, addr, path string, bodies []string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	counts := map[int]int{}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, body := range bodies {
		wg.Go(func() {
			<-start
			status, err := s.postJSONFrom(addr, path, body)
			if err != nil {
				t.Errorf("POST %s: %v", path, err)
				return
			}
			mu.Lock()
			counts[status]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return counts
}

// A wrong passcode spends the address's budget of failed look-ups, but the budget was
// only read before the passcode was checked and spent after: guesses sent at once all
// passed the first look, and every one was checked. With the joins limit lifted, 60
// guesses sent together had 60 passcodes checked, where the budget allows 10 (with it
// at its default, as many as its burst of 60). Each guess now holds a miss of the
// budget while it is checked, and gives it back when it was right.
func TestAttackPasscodeGuessesSentAtOnce(t *testing.T) {
	s := startServer(t, nil, append(trustLoopback, "--joins-per-minute", "0")...)
	ann := s.newFormClient(t)
	code, _ := ann.createPasscodeRoom(passcodeRoomName, "Ann", testPasscode)
	before := beforeAttack(t, s)

	const guesses = 60
	bodies := make([]string, guesses)
	for i := range bodies {
		bodies[i] = fmt.Sprintf(`{"username":"Guesser","passcode":"guess %d"}`, i)
	}
	counts := s.postAllAtOnce(t, attackerAddr, "/api/join/"+code, bodies)
	if counts[http.StatusForbidden] > codeMissBurst || counts[http.StatusForbidden]+counts[http.StatusTooManyRequests] != guesses {
		t.Fatalf("of %d wrong passcodes sent at once %d were checked (403) and %d refused (429); the budget allows %d (answers: %v)",
			guesses, counts[http.StatusForbidden], counts[http.StatusTooManyRequests], codeMissBurst, counts)
	}
	if status, err := s.postJSONFrom(attackerAddr, "/api/join/"+code, `{"username":"Guesser","passcode":`+quote(testPasscode)+`}`); err != nil || status != http.StatusTooManyRequests {
		t.Fatalf("the right passcode right after the guesses: %d %v, want 429", status, err)
	}

	// A team behind one address, more people than the budget's burst, joining at once
	// with the right passcode: a right passcode costs nothing.
	team := make([]string, 2*codeMissBurst)
	for i := range team {
		team[i] = fmt.Sprintf(`{"username":"Member %d","passcode":%s}`, i, quote(testPasscode))
	}
	if counts := s.postAllAtOnce(t, otherAddr, "/api/join/"+code, team); counts[http.StatusOK] != len(team) {
		t.Fatalf("%d people behind one address joining at once with the right passcode: %v, want all 200", len(team), counts)
	}
	survivedAttack(t, s, before)
}

// A 422 echoes what was sent, as the reference's do, and a body with a passcode in it
// was echoed whole: a join without a name, a new game whose rules clash or that lacks a
// name, a body sent as text. The passcode then sat in answers that clients and proxies
// log. A problem now echoes the body with its passcodes blanked out.
func TestAttackPasscodeNotEchoedInProblems(t *testing.T) {
	s := startServer(t, nil)
	const secret = "Hidden heron 77"
	code := s.createGame(t, "Room with no passcode") // and a "game created" in the log
	ann := s.newFormClient(t)
	passcodeRoom, _ := ann.createPasscodeRoom(passcodeRoomName, "Ann", testPasscode)
	p := quote(secret)
	for name, tc := range map[string]struct{ path, contentType, body string }{
		"a join without a name":                {"/api/join/" + passcodeRoom, "application/json", `{"passcode":` + p + `}`},
		"a join without a name, no passcode":   {"/api/join/" + code, "application/json", `{"id":"not an id","passcode":` + p + `}`},
		"a new game whose rules clash":         {"/api/game", "application/json", `{"name":"x","deck_id":1,"game_settings":{"passcode":` + p + `,"reveal_on_timer":true}}`},
		"a new game without a name":            {"/api/game", "application/json", `{"deck_id":1,"game_settings":{"passcode":` + p + `}}`},
		"a new game without a deck":            {"/api/game", "application/json", `{"name":"x","game_settings":{"passcode":` + p + `}}`},
		"a join sent as text":                  {"/api/join/" + passcodeRoom, "text/plain", `{"username":"x","passcode":` + p + `}`},
		"a new game sent as text":              {"/api/game", "text/plain", `{"name":"x","deck_id":1,"game_settings":{"passcode":` + p + `}}`},
		"a new game whose settings are a list": {"/api/game", "application/json", `{"name":"x","deck_id":1,"game_settings":[{"passcode":` + p + `}]}`},
		"a join whose body is a list":          {"/api/join/" + passcodeRoom, "application/json", `[{"username":"x","passcode":` + p + `}]`},
		"a new game with a bad timer":          {"/api/game", "application/json", `{"name":"x","deck_id":1,"game_settings":{"passcode":` + p + `,"round_timer_settings":{"maximum":5,"warning":9}}}`},
		"a new game with cards and no deck id": {"/api/game", "application/json", `{"name":"x","cards":[{"value":1}],"game_settings":{"passcode":` + p + `}}`},
	} {
		t.Run(name, func(t *testing.T) {
			res := s.do(t, http.MethodPost, tc.path, tc.body, map[string]string{"Content-Type": tc.contentType})
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("answered %d %s, want 422", res.status, res.body)
			}
			for _, form := range passcodeForms(secret) {
				if strings.Contains(string(res.body), form) {
					t.Fatalf("the 422 echoes the passcode: %s", res.body)
				}
			}
		})
	}
	checkPasscodeNotLogged(t, s, secret)
}
