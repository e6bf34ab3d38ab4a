package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// shutdown stops the server gracefully, as SIGTERM does, and waits until it has. The
// test's own cleanup finds it stopped.
func (s *testServer) shutdown(t *testing.T) {
	t.Helper()
	s.stop()
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("pokerd stopped with %v\n%s", err, s.logs)
		}
		s.done <- nil
	case <-time.After(15 * time.Second):
		t.Fatal("pokerd did not stop within 15s")
	}
}

// Everything of a room comes back after a restart on the same data file: the room, its
// seats (an API player reconnects with its id, a browser with its cookie), the aliases,
// votes, round state, ticket link, the round timer's deadline, the rules, the
// facilitator, its own deck under the same id, and the session record with estimates.
func TestRestartBringsEveryRoomBack(t *testing.T) {
	data := filepath.Join(t.TempDir(), "pokerd.db")
	first := startServer(t, nil, "--data", data)

	// Ann creates a room with cards of its own and a round timer; Bob joins over the API,
	// Carol in a browser.
	code, _ := first.createWith(t, `{"name":"Sprint 42","cards":"XS, S, M, L","game_settings":{"round_timer_settings":{"maximum":10,"warning":8}}}`)
	annID, bobID := first.join(t, code, "Ann"), first.join(t, code, "Bob")
	carol := first.newFormClient(t)
	carol.joinRoom(code, "Carol")
	ann := first.connect(t, annID, code)
	bob := first.connect(t, bobID, code)
	ann.expectPlayer("CONNECTED", bobID)
	stBefore := ann.sync()
	deckID := int(stBefore.Game["deck_id"].(float64))
	deckBefore := first.get(t, "/api/decks/"+itoa(deckID))
	if deckBefore.status != http.StatusOK {
		t.Fatalf("the room's deck: %d %s", deckBefore.status, deckBefore.body)
	}
	cards := cardValues(t, deckBefore.body)

	// Round 1: everyone votes, Ann reveals and records the estimate.
	ann.send("RESET", "https://tickets.example/1")
	ann.expect("RESETGAME")
	ann.send("SUBMITVOTE", cards[1])
	ann.expectPlayer("PLAYERVOTED", annID)
	bob.send("SUBMITVOTE", cards[2])
	ann.expectPlayer("PLAYERVOTED", bobID)
	if res := carol.post("/room/"+code+"/vote", url.Values{"value": {jsonNumber(cards[2])}}, true); res.status != http.StatusOK {
		t.Fatalf("Carol's vote: %d %s", res.status, res.body)
	}
	ann.expect("PLAYERVOTED")
	ann.send("REVEAL", "")
	ann.expect("REVEALGAME")
	ann.send("ESTIMATE", map[string]any{"round": 1, "estimate": "M"})
	ann.sync()
	// New rules, the role handed to Bob, and round 2 under way with one vote cast.
	ann.send("OPTIONS", map[string]bool{"auto_reveal": true})
	ann.expect("STATE")
	ann.expect("REVEALGAME") // the round is revealed: a STATE comes with its votes
	ann.send("HANDOFF", ann.nameOf(bobID))
	ann.expect("STATE")
	ann.expect("REVEALGAME")
	bob.send("RESET", "https://tickets.example/2")
	ann.expect("RESETGAME")
	ann.send("SUBMITVOTE", cards[0])
	ann.expectPlayer("PLAYERVOTED", annID)
	before := ann.sync()
	recordBefore := first.get(t, "/api/game/"+code+"/record?player_id="+bobID)
	bobAlias := ann.nameOf(bobID)
	ann.close()
	bob.close()
	first.shutdown(t)

	second := startServer(t, nil, "--data", data)
	ann = second.connect(t, annID, code) // a Vue-style client reconnects with its id
	after := ann.sync()
	if _, ok := after.PlayerStates[bobAlias]; !ok {
		t.Errorf("Bob's alias changed: %s is not among %v", bobAlias, keysOf(after.PlayerStates))
	}
	for key, want := range before.PlayerStates {
		got, ok := after.PlayerStates[key]
		if !ok {
			t.Errorf("%s (%s) lost their seat", want.Player.Username, key)
			continue
		}
		want.IsConnected, got.IsConnected = false, false // who is connected is of the moment
		if key == annID {
			want.IsConnected = false
		}
		if got != want {
			t.Errorf("%s came back as %+v, was %+v", want.Player.Username, got, want)
		}
	}
	if !after.PlayerStates[bobAlias].IsAdmin || after.PlayerStates[annID].IsAdmin {
		t.Errorf("the facilitator did not come back as Bob: %+v", after.PlayerStates)
	}
	if after.RoundState != "VOTING" || deref(after.TicketURL) != "https://tickets.example/2" {
		t.Errorf("round came back as %s with ticket %v", after.RoundState, deref(after.TicketURL))
	}
	if deref(after.RoundStart) == "" || deref(after.RoundStart) != deref(before.RoundStart) {
		t.Errorf("the round timer's start came back as %v, was %v: its deadline moved", deref(after.RoundStart), deref(before.RoundStart))
	}
	gameBefore, _ := json.Marshal(before.Game)
	gameAfter, _ := json.Marshal(after.Game)
	if string(gameAfter) != string(gameBefore) || !strings.Contains(string(gameAfter), `"auto_reveal":true`) {
		t.Errorf("the game (name, deck, timer, rules) came back as %s, was %s", gameAfter, gameBefore)
	}
	if deckAfter := second.get(t, "/api/decks/"+itoa(deckID)); deckAfter.status != http.StatusOK || string(deckAfter.body) != string(deckBefore.body) {
		t.Errorf("GET /api/decks/%d after the restart: %d %s, was %s", deckID, deckAfter.status, deckAfter.body, deckBefore.body)
	}
	recordAfter := second.get(t, "/api/game/"+code+"/record?player_id="+bobID)
	if recordAfter.status != http.StatusOK || string(recordAfter.body) != string(recordBefore.body) || !strings.Contains(string(recordAfter.body), `"estimate":"M"`) {
		t.Errorf("the session record came back as %d %s, was %s", recordAfter.status, recordAfter.body, recordBefore.body)
	}
	carol.s = second // the same browser, its cookies and all
	if res := carol.get("/room/" + code); res.status != http.StatusOK {
		t.Errorf("Carol's cookie no longer seats her: %d %s", res.status, res.header.Get("Location"))
	}

	// The room plays on: Bob, still the facilitator, reveals; a new round and a vote.
	bob = second.connect(t, bobID, code)
	var connected playerState
	ann.decode(ann.expect("CONNECTED"), &connected)
	if connected.Player.ID != bobAlias {
		t.Fatalf("Bob came back as %s, was %s to Ann", connected.Player.ID, bobAlias)
	}
	bob.send("REVEAL", "")
	ann.expect("REVEALGAME")
	bob.send("RESET", nil)
	ann.expect("RESETGAME")
	bob.send("SUBMITVOTE", cards[3])
	var voted player
	ann.decode(ann.expect("PLAYERVOTED"), &voted)
	if voted.ID != bobAlias {
		t.Fatalf("PLAYERVOTED about %s, want Bob (%s)", voted.ID, bobAlias)
	}
}

// The alias key made at the first start is kept in the data file: aliases stay the same
// across restarts without --alias-key, and a configured key unlike it stops start-up.
func TestAliasKeyIsKeptWithTheRooms(t *testing.T) {
	data := filepath.Join(t.TempDir(), "pokerd.db")
	first := startServer(t, nil, "--data", data)
	code := first.createGame(t, "Aliases")
	annID, bobID := first.join(t, code, "Ann"), first.join(t, code, "Bob")
	ann := first.connect(t, annID, code)
	bobAlias := ann.nameOf(bobID)
	ann.close()
	first.shutdown(t)

	second := startServer(t, nil, "--data", data)
	ann = second.connect(t, annID, code)
	st := ann.sync()
	if _, ok := st.PlayerStates[bobAlias]; !ok {
		t.Fatalf("Bob's alias %s changed: %v", bobAlias, keysOf(st.PlayerStates))
	}
	ann.close()
	second.shutdown(t)

	other := strings.Repeat("k", 40)
	err := run(t.Context(), []string{"--addr", "127.0.0.1:0", "--data", data, "--alias-key", other}, func(string) string { return "" }, nil, new(lockedBuffer), nil)
	if err == nil || !strings.Contains(err.Error(), "alias") || !strings.Contains(err.Error(), data) {
		t.Fatalf("a configured alias key unlike the stored one: %v, want a refusal naming the key and the file", err)
	}
}

// PP_DATA= (set and empty) keeps the rooms in memory, as --data "" does; a flag on the
// command line still wins.
func TestEmptyPPDataMeansMemoryOnly(t *testing.T) {
	lookup := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	cases := []struct {
		args []string
		vars map[string]string
		want string
	}{
		{nil, nil, defaultDataFile},
		{nil, map[string]string{"PP_DATA": ""}, ""},
		{[]string{"--data", "x.db"}, map[string]string{"PP_DATA": ""}, "x.db"},
		{nil, map[string]string{"PP_DATA": "y.db"}, "y.db"},
	}
	for _, tc := range cases {
		args := memoryOnlyFromEnv(tc.args, lookup(tc.vars))
		cfg, err := parseConfig(args, func(k string) string { return tc.vars[k] }, nil)
		if err != nil || cfg.dataFile != tc.want {
			t.Errorf("args %q, env %v: data %q (%v), want %q", tc.args, tc.vars, cfg.dataFile, err, tc.want)
		}
	}
	if got := memoryOnlyFromEnv([]string{"backup", "b.db"}, lookup(map[string]string{"PP_DATA": ""})); strings.Join(got, " ") != "backup --data= b.db" {
		t.Errorf("backup with PP_DATA=: %q", got)
	}
}

// The database file is made readable by its owner only: it holds the alias key and
// every player's secret id.
func TestDataFileIsPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "pokerd.db")
	startServer(t, nil, "--data", data).shutdown(t)
	info, err := os.Stat(data)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Fatalf("%s has mode %o, want 600", data, mode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func keysOf(m map[string]playerState) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// cardValues reads a Deck's card values.
func cardValues(t *testing.T, deck []byte) []float64 {
	t.Helper()
	var d struct {
		Cards []struct {
			Value float64 `json:"value"`
		} `json:"cards"`
	}
	if err := json.Unmarshal(deck, &d); err != nil || len(d.Cards) < 4 {
		t.Fatalf("not a deck of four cards or more: %v %s", err, deck)
	}
	values := make([]float64, len(d.Cards))
	for i, c := range d.Cards {
		values[i] = c.Value
	}
	return values
}

func jsonNumber(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
