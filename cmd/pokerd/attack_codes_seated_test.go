package main

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"
)

// spendLookupBudget has a browser of its own at addr miss codes until its address's
// budget is spent, and checks that the address is then refused.
func spendLookupBudget(t *testing.T, s *testServer, addr string) {
	t.Helper()
	guesser := s.newFormClientFrom(t, addr)
	for i := range codeMissBurst {
		if res := guesser.get("/join/" + guessedCode(i)); res.status != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i+1, res.status)
		}
	}
	if res := guesser.get("/join/" + guessedCode(codeMissBurst)); res.status != http.StatusTooManyRequests {
		t.Fatalf("after the burst the guesser got %d, want 429", res.status)
	}
}

// An office behind one address: one person there guesses codes until the address is
// refused. The others keep the rooms they sit in, by every route, since each proves its
// seat with a secret (the browser's cookie, the player's id); a newcomer there, without
// a seat, is refused like the guesser until the budget refills.
func TestSeatedPlayersKeepTheirRoomAtARefusedAddress(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	ann := s.newFormClientFrom(t, attackerAddr)
	code := ann.createRoom("Team", "Ann")
	bobID := s.joinFrom(t, attackerAddr, code, "Bob")
	spendLookupBudget(t, s, attackerAddr)

	t.Run("a seated browser keeps its room, its parts, its stream and its actions", func(t *testing.T) {
		for _, path := range []string{"/room/" + code, "/room/" + code + "/hand", "/room/" + code + "/people", "/room/" + code + "/qr.svg", "/room/" + code + "/record.csv"} {
			if res := ann.get(path); res.status != http.StatusOK {
				t.Fatalf("%s: %d, want 200", path, res.status)
			}
		}
		if res := ann.post("/room/"+code+"/start", url.Values{"ticket": {""}}, true); res.status >= 400 {
			t.Fatalf("starting a round: %d %s", res.status, res.body)
		}
	})
	t.Run("a seated API player reconnects, joins again and asks for the record", func(t *testing.T) {
		bob := s.connectFrom(t, attackerAddr, bobID, code)
		bob.close()
		if res := s.do(t, http.MethodPost, "/api/join/"+code, `{"id":`+quote(bobID)+`,"username":"Bob"}`, fromAddr(attackerAddr)); res.status != http.StatusOK {
			t.Fatalf("Bob joining again: %d %s", res.status, res.body)
		}
		// Not the facilitator: a 403 says the room was looked up.
		if res := s.do(t, http.MethodGet, "/api/game/"+code+"/record?player_id="+bobID, "", fromAddr(attackerAddr)); res.status != http.StatusForbidden {
			t.Fatalf("Bob's record request: %d %s, want 403", res.status, res.body)
		}
	})
	t.Run("a newcomer at the address, without a seat, is refused", func(t *testing.T) {
		cy := s.newFormClientFrom(t, attackerAddr)
		if res := cy.get("/join/" + code); res.status != http.StatusTooManyRequests {
			t.Fatalf("the join page for a newcomer: %d, want 429", res.status)
		}
		if res := s.do(t, http.MethodPost, "/api/join/"+code, `{"username":"Cy"}`, fromAddr(attackerAddr)); res.status != http.StatusTooManyRequests {
			t.Fatalf("a newcomer's API join: %d, want 429", res.status)
		}
	})
}

// A client chooses its own player id, and a careless one may sit under a guessable id
// (here the nil UUID). Naming such an id must not let a refused address go on probing
// codes: a refused address may name ids only a minute's worth of reconnects at a time,
// after which even the right code with that id is refused.
func TestARefusedAddressCannotProbeCodesWithAGuessableID(t *testing.T) {
	s := startServer(t, nil, trustLoopback...)
	code := s.createGameFrom(t, otherAddr, "Careless").json(t)["code"].(string)
	nilID := uuid.Nil.String()
	if res := s.do(t, http.MethodPost, "/api/join/"+code, `{"id":`+quote(nilID)+`,"username":"Careless"}`, fromAddr(otherAddr)); res.status != http.StatusOK {
		t.Fatalf("joining under the nil UUID: %d %s", res.status, res.body)
	}
	spendLookupBudget(t, s, attackerAddr)
	before := beforeAttack(t, s)

	const probes = 70 // more than the 60 ids a refused address may name a minute
	for i := range probes {
		guess := guessedCode(100 + i)
		res := s.do(t, http.MethodGet, "/api/game/"+guess+"/record?player_id="+nilID, "", fromAddr(attackerAddr))
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("probe %d: %d, want 429", i+1, res.status)
		}
	}
	res := s.do(t, http.MethodGet, "/api/game/"+code+"/record?player_id="+nilID, "", fromAddr(attackerAddr))
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("the real code with the guessable id after %d probes: %d %s, want 429", probes, res.status, res.body)
	}
	if _, err := s.tryDial(nilID, code, http.Header{"X-Forwarded-For": {attackerAddr}}); err == nil {
		t.Fatal("a socket with the guessable id on the real code opened from the refused address")
	}
	survivedAttack(t, s, before)
}
