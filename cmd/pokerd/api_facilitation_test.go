package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The JSON and WebSocket API's facilitation additions, through the real server: room
// rules, capacity and custom cards at creation, the facilitator's messages, and the
// session record.

// createWith posts body to /api/game and returns the answer, which must be a 200.
func (s *testServer) createWith(t *testing.T, body string) (code string, raw []byte) {
	t.Helper()
	res := s.post(t, "/api/game", body)
	if res.status != http.StatusOK {
		t.Fatalf("create %s: %d %s", body, res.status, res.body)
	}
	return res.json(t)["code"].(string), res.body
}

// gameSettingsOf returns the raw game_settings of a Game or of a GameState's game.
func gameSettingsOf(t *testing.T, game []byte) string {
	t.Helper()
	var g struct {
		GameSettings json.RawMessage `json:"game_settings"`
	}
	if err := json.Unmarshal(game, &g); err != nil {
		t.Fatalf("not a Game: %v: %s", err, game)
	}
	return string(g.GameSettings)
}

// stateOf decodes a STATE message, keeping the game raw.
func stateOf(t *testing.T, c *wsClient, m message) (gameState, []byte) {
	t.Helper()
	var st gameState
	c.decode(m, &st)
	var raw struct {
		Game json.RawMessage `json:"game"`
	}
	c.decode(m, &raw)
	return st, raw.Game
}

// table creates a game from body, seats Ann (the facilitator) and Bob, and connects both.
func (s *testServer) table(t *testing.T, body string) (code, annID, bobID string, ann, bob *wsClient) {
	t.Helper()
	code, _ = s.createWith(t, body)
	annID, bobID = s.join(t, code, "Ann"), s.join(t, code, "Bob")
	ann = s.connect(t, annID, code)
	bob = s.connect(t, bobID, code)
	ann.expectPlayer("CONNECTED", bobID)
	return code, annID, bobID, ann, bob
}

func TestCreateGameWithRules(t *testing.T) {
	s := startServer(t, nil)
	timer := `"round_timer_settings":{"maximum":5,"warning":4}`
	for _, tc := range []struct{ name, settings, want string }{
		{"capacity", `{"max_players":3}`, `{"max_players":3}`},
		{"auto-reveal", `{"auto_reveal":true}`, `{"auto_reveal":true}`},
		{"reveal on timer", `{` + timer + `,"reveal_on_timer":true}`, `{` + timer + `,"reveal_on_timer":true}`},
		{"facilitator-free", `{"facilitator_free":true}`, `{"facilitator_free":true}`},
		{"hidden names", `{"hide_names":true}`, `{"hide_names":true}`},
		{"all, written in a fixed order", `{"hide_names":true,"facilitator_free":true,"reveal_on_timer":true,"auto_reveal":true,"max_players":1000,` + timer + `}`,
			`{` + timer + `,"max_players":1000,"auto_reveal":true,"reveal_on_timer":true,"facilitator_free":true,"hide_names":true}`},
		{"pydantic's lax booleans", `{"auto_reveal":"yes","hide_names":1,"facilitator_free":"off"}`, `{"auto_reveal":true,"hide_names":true}`},
	} {
		t.Run(tc.name+" is echoed in game_settings", func(t *testing.T) {
			code, raw := s.createWith(t, `{"name":"r","deck_id":1,"game_settings":`+tc.settings+`}`)
			if got := gameSettingsOf(t, raw); got != tc.want {
				t.Errorf("game_settings %s, want %s", got, tc.want)
			}
			// The STATE a client gets carries the same Game.
			c := s.dial(t, s.join(t, code, "Ann"), code)
			_, game := stateOf(t, c, c.expect("STATE"))
			if got := gameSettingsOf(t, game); got != tc.want {
				t.Errorf("STATE game_settings %s, want %s", got, tc.want)
			}
		})
	}

	t.Run("a reference-shaped request gets the reference's bytes", func(t *testing.T) {
		for _, settings := range []string{
			`{}`,
			`{"round_timer_settings":null}`,
			`{"max_players":null,"auto_reveal":false,"reveal_on_timer":null,"facilitator_free":false,"hide_names":false}`,
		} {
			code, raw := s.createWith(t, `{"name":"Plain & <b>","deck_id":1,"game_settings":`+settings+`}`)
			want := `{"name":"Plain & <b>","deck_id":1,"game_settings":{},"code":"` + code + `"}`
			if string(raw) != want {
				t.Errorf("%s: got %s, want %s", settings, raw, want)
			}
		}
		code, raw := s.createWith(t, `{"name":"T","deck_id":1,"game_settings":{"round_timer_settings":{}}}`)
		if want := `{"name":"T","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":5,"warning":4}},"code":"` + code + `"}`; string(raw) != want {
			t.Errorf("got %s, want %s", raw, want)
		}
	})
}

func TestCreateGameWithCustomCards(t *testing.T) {
	s := startServer(t, nil)
	configured := s.do(t, http.MethodGet, "/api/decks", "", nil).body

	for _, tc := range []struct{ name, cards, wantCards string }{
		{"typed as text", `"XS, S, M, L"`,
			`[{"label":"XS","value":1.0},{"label":"S","value":2.0},{"label":"M","value":3.0},{"label":"L","value":4.0}]`},
		{"typed with numbers and a question mark", `"1, 2, 4, ?"`,
			`[{"label":"1","value":1.0},{"label":"2","value":2.0},{"label":"4","value":4.0},{"label":"?","value":1000.0}]`},
		{"as a list", `[{"label":"S","value":1},{"label":"M","value":2.5},{"label":"☕","value":99,"special":true}]`,
			`[{"label":"S","value":1.0},{"label":"M","value":2.5},{"label":"☕","value":99.0}]`},
	} {
		t.Run(tc.name+": the room's deck is found by its id", func(t *testing.T) {
			// No deck_id: the cards are the deck.
			code, raw := s.createWith(t, `{"name":"c","game_settings":{},"cards":`+tc.cards+`}`)
			var g struct {
				DeckID int `json:"deck_id"`
			}
			_ = json.Unmarshal(raw, &g)
			if g.DeckID < 1_000_000 {
				t.Fatalf("deck_id %d, want a room's own id (1000000 up): %s", g.DeckID, raw)
			}
			res := s.do(t, http.MethodGet, "/api/decks/"+strconv.Itoa(g.DeckID), "", nil)
			want := `{"id":` + strconv.Itoa(g.DeckID) + `,"name":"Custom cards","cards":` + tc.wantCards + `}`
			if res.status != http.StatusOK || string(res.body) != want {
				t.Fatalf("GET /api/decks/%d: %d %s, want %s", g.DeckID, res.status, res.body, want)
			}
			// Votes are the room's cards' values.
			id := s.join(t, code, "Ann")
			c := s.connect(t, id, code)
			c.send("RESET", nil)
			c.expect("RESETGAME")
			var cards []struct{ Value float64 }
			_ = json.Unmarshal([]byte(tc.wantCards), &cards)
			c.send("SUBMITVOTE", cards[1].Value)
			c.expectPlayer("PLAYERVOTED", id)
		})
	}

	t.Run("cards win over a deck_id", func(t *testing.T) {
		_, raw := s.createWith(t, `{"name":"c","deck_id":1,"game_settings":{},"cards":"A, B"}`)
		if !strings.Contains(string(raw), `"deck_id":100`) {
			t.Errorf("got %s, want the room's own deck", raw)
		}
	})
	t.Run("GET /api/decks still lists only the configured decks", func(t *testing.T) {
		if got := s.do(t, http.MethodGet, "/api/decks", "", nil).body; string(got) != string(configured) {
			t.Errorf("got %s, want %s", got, configured)
		}
	})
}

func TestCreateGameRefusals(t *testing.T) {
	s := startServer(t, nil)
	for _, tc := range []struct {
		name, body string
		loc        string // the first problem's loc, as JSON
		msg        string // part of its msg
	}{
		{"max_players 0", `{"name":"x","deck_id":1,"game_settings":{"max_players":0}}`, `["body","game_settings","max_players"]`, "greater than or equal to 1"},
		{"max_players over the limit", `{"name":"x","deck_id":1,"game_settings":{"max_players":1001}}`, `["body","game_settings","max_players"]`, "less than or equal to 1000"},
		{"max_players not a number", `{"name":"x","deck_id":1,"game_settings":{"max_players":"many"}}`, `["body","game_settings","max_players"]`, "valid integer"},
		{"max_players a fraction", `{"name":"x","deck_id":1,"game_settings":{"max_players":2.5}}`, `["body","game_settings","max_players"]`, "valid integer"},
		{"auto_reveal not a boolean", `{"name":"x","deck_id":1,"game_settings":{"auto_reveal":"maybe"}}`, `["body","game_settings","auto_reveal"]`, "valid boolean"},
		{"hide_names an object", `{"name":"x","deck_id":1,"game_settings":{"hide_names":{}}}`, `["body","game_settings","hide_names"]`, "valid boolean"},
		{"reveal on timer without a timer", `{"name":"x","deck_id":1,"game_settings":{"reveal_on_timer":true}}`, `["body","game_settings"]`, "needs a round timer"},
		{"reveal on timer with a null timer", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":null,"reveal_on_timer":true}}`, `["body","game_settings"]`, "needs a round timer"},
		{"a timer's two problems keep their own loc", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1,"warning":0}}}`, `["body","game_settings","round_timer_settings","maximum"]`, "greater than or equal to 2"},
		{"one card typed", `{"name":"x","game_settings":{},"cards":"XS"}`, `["body","cards"]`, "at least two cards"},
		{"a card typed twice", `{"name":"x","game_settings":{},"cards":"S, M, S"}`, `["body","cards"]`, "twice"},
		{"cards a number", `{"name":"x","game_settings":{},"cards":5}`, `["body","cards"]`, "string or a list"},
		{"a list of one card", `{"name":"x","game_settings":{},"cards":[{"label":"A","value":1}]}`, `["body","cards"]`, "at least 2"},
		{"a card without a value", `{"name":"x","game_settings":{},"cards":[{"label":"A","value":1},{"label":"B"}]}`, `["body","cards",1,"value"]`, "required"},
		{"a card without a label", `{"name":"x","game_settings":{},"cards":[{"value":1},{"label":"B","value":2}]}`, `["body","cards",0,"label"]`, "required"},
		{"a blank label", `{"name":"x","game_settings":{},"cards":[{"label":" ","value":1},{"label":"B","value":2}]}`, `["body","cards",0,"label"]`, "at least 1"},
		{"a card that is not an object", `{"name":"x","game_settings":{},"cards":["A",{"label":"B","value":2}]}`, `["body","cards",0]`, "valid dictionary"},
		{"two cards with one value", `{"name":"x","game_settings":{},"cards":[{"label":"A","value":1},{"label":"B","value":1}]}`, `["body","cards"]`, "same value"},
		{"special not a boolean", `{"name":"x","game_settings":{},"cards":[{"label":"A","value":1,"special":"?"},{"label":"B","value":2}]}`, `["body","cards",0,"special"]`, "valid boolean"},
		{"no deck_id and no cards", `{"name":"x","game_settings":{}}`, `["body","deck_id"]`, "required"},
		{"null cards need a deck_id", `{"name":"x","game_settings":{},"cards":null}`, `["body","deck_id"]`, "required"},
		{"a bad deck_id beside cards", `{"name":"x","deck_id":"one","game_settings":{},"cards":"A, B"}`, `["body","deck_id"]`, "valid integer"},
	} {
		t.Run(tc.name+" is a 422", func(t *testing.T) {
			res := s.post(t, "/api/game", tc.body)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("got %d %s", res.status, res.body)
			}
			var body struct {
				Detail []struct {
					Loc json.RawMessage `json:"loc"`
					Msg string          `json:"msg"`
				} `json:"detail"`
			}
			if err := json.Unmarshal(res.body, &body); err != nil || len(body.Detail) == 0 {
				t.Fatalf("not a list of problems: %s", res.body)
			}
			if got := string(body.Detail[0].Loc); got != tc.loc || !strings.Contains(body.Detail[0].Msg, tc.msg) {
				t.Errorf("first problem at %s: %q; want %s: …%s…", got, body.Detail[0].Msg, tc.loc, tc.msg)
			}
		})
	}
	t.Run("a timer's second problem names its own field", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"x","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":1,"warning":0}}}`)
		if !strings.Contains(string(res.body), `"loc":["body","game_settings","round_timer_settings","warning"]`) {
			t.Errorf("got %s", res.body)
		}
	})
	t.Run("an unknown deck beside no cards is still a 404", func(t *testing.T) {
		res := s.post(t, "/api/game", `{"name":"x","deck_id":999,"game_settings":{"auto_reveal":true}}`)
		if res.status != http.StatusNotFound || string(res.body) != `{"detail":"No deck exists with ID 999"}` {
			t.Errorf("got %d %s", res.status, res.body)
		}
	})
}

func TestRoomCapacity(t *testing.T) {
	s := startServer(t, nil)
	code, _ := s.createWith(t, `{"name":"small","deck_id":1,"game_settings":{"max_players":2}}`)
	annID := s.join(t, code, "Ann")
	s.join(t, code, "Bob")

	res := s.post(t, "/api/join/"+code, `{"username":"Cy"}`)
	want := `{"detail":"Game '` + code + `' is full: it has room for 2 players"}`
	if res.status != http.StatusConflict || string(res.body) != want {
		t.Fatalf("a third join: %d %s, want 409 %s", res.status, res.body, want)
	}
	res = s.post(t, "/api/join/"+code, `{"username":"Ann again","id":"`+annID+`"}`)
	if res.status != http.StatusOK {
		t.Errorf("a seated player joining again: %d %s", res.status, res.body)
	}
}

func TestOptionsMessage(t *testing.T) {
	s := startServer(t, nil)
	_, _, bobID, ann, bob := s.table(t, `{"name":"o","deck_id":1,"game_settings":{"round_timer_settings":{}}}`)

	t.Run("the facilitator's change reaches every socket as a STATE", func(t *testing.T) {
		ann.send("OPTIONS", map[string]any{"auto_reveal": true, "reveal_on_timer": true})
		want := `{"round_timer_settings":{"maximum":5,"warning":4},"auto_reveal":true,"reveal_on_timer":true}`
		for _, c := range []*wsClient{ann, bob} {
			_, game := stateOf(t, c, c.expect("STATE"))
			if got := gameSettingsOf(t, game); got != want {
				t.Errorf("player %s: game_settings %s, want %s", c.id, got, want)
			}
		}
	})
	t.Run("keys left out keep their value", func(t *testing.T) {
		ann.send("OPTIONS", map[string]any{"hide_names": true, "auto_reveal": false})
		_, game := stateOf(t, bob, bob.expect("STATE"))
		want := `{"round_timer_settings":{"maximum":5,"warning":4},"reveal_on_timer":true,"hide_names":true}`
		if got := gameSettingsOf(t, game); got != want {
			t.Errorf("game_settings %s, want %s", got, want)
		}
		ann.expect("STATE")
	})
	t.Run("a player who is not the facilitator changes nothing", func(t *testing.T) {
		bob.send("OPTIONS", map[string]any{"hide_names": false})
		bob.send("OPTIONS", "hide_names") // not an object: ignored, the socket stays
		if st := bob.sync(); st.PlayerStates[bobID].IsAdmin {
			t.Errorf("Bob became an admin")
		}
		_, game := stateOf(t, ann, func() message { ann.send("SYNC", nil); return ann.expect("STATE") }())
		if !strings.Contains(gameSettingsOf(t, game), `"hide_names":true`) {
			t.Errorf("Bob's OPTIONS changed the rules: %s", game)
		}
	})
}

func TestAutoRevealOverWebSocket(t *testing.T) {
	s := startServer(t, nil)
	code, annID, bobID, ann, bob := s.table(t, `{"name":"a","deck_id":1,"game_settings":{"auto_reveal":true}}`)
	s.join(t, code, "Offline Cy") // not connected: not waited for

	ann.send("RESET", nil)
	ann.expect("RESETGAME")
	bob.expect("RESETGAME")
	ann.send("SUBMITVOTE", 3)
	ann.expectPlayer("PLAYERVOTED", annID)
	bob.expectPlayer("PLAYERVOTED", annID)
	bob.send("SUBMITVOTE", 5)
	for _, c := range []*wsClient{ann, bob} {
		c.expectPlayer("PLAYERVOTED", bobID)
		var votes map[string]*float64
		c.decode(c.expect("REVEALGAME"), &votes)
		if len(votes) != 3 || *votes[c.nameOf(annID)] != 3 || *votes[c.nameOf(bobID)] != 5 {
			t.Errorf("player %s: revealed votes %v", c.id, votes)
		}
	}
}

func TestHandOffMessage(t *testing.T) {
	s := startServer(t, nil)
	_, annID, bobID, ann, bob := s.table(t, `{"name":"h","deck_id":1,"game_settings":{}}`)

	bob.send("HANDOFF", bob.nameOf(annID)) // not the facilitator: ignored
	bob.sync()                             // sockets are not ordered between them: let Bob's go first
	ann.send("HANDOFF", bobID)             // Bob's id is no name Ann knows him by: ignored
	if st := ann.sync(); !st.PlayerStates[annID].IsAdmin {
		t.Fatalf("a HANDOFF naming Bob by his id handed the role over")
	}
	ann.send("HANDOFF", strings.ToUpper(ann.nameOf(bobID))) // the alias Ann sees, in any form
	for _, c := range []*wsClient{ann, bob} {
		st, _ := stateOf(t, c, c.expect("STATE"))
		if st.PlayerStates[c.nameOf(annID)].IsAdmin || !st.PlayerStates[c.nameOf(bobID)].IsAdmin {
			t.Errorf("player %s: admins after the handoff: Ann %v, Bob %v", c.id, st.PlayerStates[c.nameOf(annID)].IsAdmin, st.PlayerStates[c.nameOf(bobID)].IsAdmin)
		}
	}
	// The new facilitator runs the rounds; the old one no longer does.
	ann.send("RESET", nil)
	bob.send("RESET", nil)
	ann.expect("RESETGAME")
	bob.expect("RESETGAME")
	if st := ann.sync(); st.RoundState != "VOTING" {
		t.Errorf("round %s", st.RoundState)
	}
}

func TestRemoveMessage(t *testing.T) {
	// In memory: with a database, an empty room is kept for --retention instead.
	s := startServer(t, map[string]string{"PP_EMPTY_ROOM_GRACE": "0"}, "--data", "")
	code, annID, bobID, ann, bob := s.table(t, `{"name":"r","deck_id":1,"game_settings":{}}`)

	bob.send("REMOVE", bob.nameOf(annID)) // not the facilitator: ignored
	bob.sync()
	ann.send("REMOVE", bobID) // Bob's id is no name Ann knows him by: ignored
	if st := ann.sync(); len(st.PlayerStates) != 2 {
		t.Fatalf("a REMOVE naming Bob by his id removed him: %+v", st.PlayerStates)
	}
	ann.send("REMOVE", ann.nameOf(bobID))

	got, reason := bob.closeStatus()
	want := "Player with ID '" + bobID + "' was removed from game with code '" + code + "'"
	if got != 4001 || reason != want {
		t.Errorf("Bob's socket closed with %d %q, want 4001 %q", got, reason, want)
	}
	st, _ := stateOf(t, ann, ann.expect("STATE"))
	if _, there := st.PlayerStates[ann.nameOf(bobID)]; there || len(st.PlayerStates) != 1 {
		t.Errorf("Ann's STATE still seats Bob: %+v", st.PlayerStates)
	}
	// Nothing else came: no DISCONNECTED for the removed socket.
	if st := ann.sync(); len(st.PlayerStates) != 1 {
		t.Errorf("players %+v", st.PlayerStates)
	}

	t.Run("the removed player can join again and connect", func(t *testing.T) {
		res := s.post(t, "/api/join/"+code, `{"username":"Bob","id":"`+bobID+`"}`)
		if res.status != http.StatusOK {
			t.Fatalf("join again: %d %s", res.status, res.body)
		}
		bob2 := s.connect(t, bobID, code)
		ann.expect("CONNECTED")
		if st := bob2.sync(); !st.PlayerStates[bobID].IsConnected || st.PlayerStates[bobID].IsAdmin {
			t.Errorf("Bob back: %+v", st.PlayerStates[bobID])
		}
		bob2.close()
		ann.expectPlayer("DISCONNECTED", bobID)
	})
	t.Run("the room's count of sockets stayed right", func(t *testing.T) {
		// With no grace, the room goes when its last socket closes: it would outlive
		// Ann if the removed socket were still counted.
		ann.close()
		eventually(t, "the room's deletion", func() bool {
			return s.post(t, "/api/join/"+code, `{"username":"late"}`).status == http.StatusNotFound
		})
	})
}

func TestEstimateAndRecord(t *testing.T) {
	s := startServer(t, nil)
	code, annID, bobID, ann, bob := s.table(t, `{"name":"Sprint","deck_id":1,"game_settings":{}}`)
	recordPath := "/api/game/" + code + "/record"

	ann.send("RESET", "https://tracker.example/T-1")
	ann.expect("RESETGAME")
	bob.expect("RESETGAME")
	ann.send("SUBMITVOTE", 3)
	ann.expectPlayer("PLAYERVOTED", annID)
	bob.send("SUBMITVOTE", 5)
	ann.expectPlayer("PLAYERVOTED", bobID)
	ann.send("REVEAL", "")
	ann.expect("REVEALGAME")
	bob.send("ESTIMATE", map[string]any{"round": 1, "estimate": "8"}) // not the facilitator
	ann.send("ESTIMATE", map[string]any{"round": 1, "estimate": "5"})

	var rec struct {
		Code   string `json:"code"`
		Rounds []struct {
			Round     int     `json:"round"`
			TicketURL *string `json:"ticket_url"`
			Estimate  *string `json:"estimate"`
			Votes     []struct {
				Player player `json:"player"`
				Card   *struct {
					Label string `json:"label"`
				} `json:"card"`
			} `json:"votes"`
		} `json:"rounds"`
	}
	eventually(t, "the estimate in the record", func() bool {
		res := s.do(t, http.MethodGet, recordPath+"?player_id="+annID, "", nil)
		if res.status != http.StatusOK {
			t.Fatalf("record: %d %s", res.status, res.body)
		}
		if err := json.Unmarshal(res.body, &rec); err != nil {
			t.Fatalf("record: %v: %s", err, res.body)
		}
		return len(rec.Rounds) == 1 && rec.Rounds[0].Estimate != nil
	})
	r := rec.Rounds[0]
	if rec.Code != code || r.Round != 1 || *r.Estimate != "5" || r.TicketURL == nil || *r.TicketURL != "https://tracker.example/T-1" {
		t.Errorf("record %+v", rec)
	}
	// Ann's record names her by her id, and Bob by the alias she knows him by.
	if len(r.Votes) != 2 || r.Votes[0].Player.ID != annID || r.Votes[1].Player.ID != ann.nameOf(bobID) ||
		r.Votes[0].Card.Label != "3" || r.Votes[1].Card.Label != "5" {
		t.Errorf("votes %+v", r.Votes)
	}

	t.Run("as CSV, a download with one row per player, everyone by alias", func(t *testing.T) {
		res := s.do(t, http.MethodGet, recordPath+".csv?player_id="+annID, "", nil)
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("%d %s %s", res.status, res.header.Get("Content-Type"), res.body)
		}
		if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, code) {
			t.Errorf("Content-Disposition %q", cd)
		}
		rows, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("%d rows, %v: %s", len(rows), err, res.body)
		}
		col := func(name string) int { return slices.Index(rows[0], name) }
		// A file is passed around: it names the caller by alias too, never by the id.
		if strings.Contains(string(res.body), annID) || strings.Contains(string(res.body), bobID) {
			t.Errorf("the CSV holds a player's id: %s", res.body)
		}
		for i, want := range []struct{ id, vote string }{{bob.nameOf(annID), "3"}, {ann.nameOf(bobID), "5"}} {
			row := rows[i+1]
			if row[col("player_id")] != want.id || row[col("vote")] != want.vote || row[col("estimate")] != "5" || row[col("round")] != "1" {
				t.Errorf("row %d: %q", i+1, row)
			}
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			status     int
		}{
			{"a player who is not the facilitator", recordPath + "?player_id=" + bobID, http.StatusForbidden},
			{"a stranger", recordPath + ".csv?player_id=3f2504e0-4f89-11d3-9a0c-0305e82c3301", http.StatusForbidden},
			{"the facilitator's alias", recordPath + "?player_id=" + bob.nameOf(annID), http.StatusForbidden},
			{"an unknown room", "/api/game/zzzz/record?player_id=" + annID, http.StatusNotFound},
			{"no player_id", recordPath, http.StatusUnprocessableEntity},
			{"a player_id that is not a UUID", recordPath + ".csv?player_id=ann", http.StatusUnprocessableEntity},
			{"a bad id for an unknown room (checked first)", "/api/game/zzzz/record?player_id=ann", http.StatusUnprocessableEntity},
			{"a bad code", "/api/game/ZZ/record?player_id=" + annID, http.StatusUnprocessableEntity},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := s.do(t, http.MethodGet, tc.path, "", nil)
				if res.status != tc.status || res.json(t)["detail"] == nil {
					t.Errorf("got %d %s, want %d with a detail", res.status, res.body, tc.status)
				}
			})
		}
	})
}

func TestFacilitatorFreeOverWebSocket(t *testing.T) {
	s := startServer(t, nil)
	code, annID, bobID, ann, bob := s.table(t, `{"name":"f","deck_id":1,"game_settings":{"facilitator_free":true}}`)
	outer := t // Cy's socket stays open after its subtest

	for _, c := range []*wsClient{ann, bob} {
		st := c.sync()
		ann, bob := st.PlayerStates[c.nameOf(annID)], st.PlayerStates[c.nameOf(bobID)]
		if !ann.IsAdmin || !bob.IsAdmin {
			t.Errorf("player %s: is_admin Ann %v, Bob %v; want true for all", c.id, ann.IsAdmin, bob.IsAdmin)
		}
	}
	cyID := s.join(t, code, "Cy")
	t.Run("CONNECTED says admin too", func(t *testing.T) {
		s.connect(outer, cyID, code)
		var ps playerState
		ann.decode(ann.expectPlayer("CONNECTED", cyID), &ps)
		bob.expectPlayer("CONNECTED", cyID)
		if !ps.IsAdmin {
			t.Errorf("CONNECTED %+v", ps)
		}
	})
	t.Run("a player who is not the facilitator starts and reveals", func(t *testing.T) {
		bob.send("RESET", nil)
		ann.expect("RESETGAME")
		bob.expect("RESETGAME")
		bob.send("REVEAL", "")
		ann.expect("REVEALGAME")
		bob.expect("REVEALGAME")
	})
	t.Run("the real facilitator keeps the room's rules", func(t *testing.T) {
		bob.send("OPTIONS", map[string]any{"facilitator_free": false})
		ann.send("OPTIONS", map[string]any{"facilitator_free": false})
		for _, c := range []*wsClient{ann, bob} {
			st, _ := stateOf(t, c, c.expect("STATE"))
			c.expect("REVEALGAME") // the round on show stays revealed
			ann, bob := st.PlayerStates[c.nameOf(annID)], st.PlayerStates[c.nameOf(bobID)]
			if !ann.IsAdmin || bob.IsAdmin {
				t.Errorf("player %s: is_admin Ann %v, Bob %v after the room got its facilitator back", c.id, ann.IsAdmin, bob.IsAdmin)
			}
		}
	})
}

func TestFacilitatorFreeSwitchedOn(t *testing.T) {
	s := startServer(t, nil)
	code, _, bobID, ann, bob := s.table(t, `{"name":"f","deck_id":1,"game_settings":{}}`)
	ann.send("OPTIONS", map[string]any{"facilitator_free": true})
	ann.expect("STATE")
	st, _ := stateOf(t, bob, bob.expect("STATE"))
	if !st.PlayerStates[bobID].IsAdmin {
		t.Errorf("Bob is not shown as an admin: %+v", st.PlayerStates[bobID])
	}
	// A socket that learned the rule from the change writes CONNECTED alike.
	cyID := s.join(t, code, "Cy")
	s.connect(t, cyID, code)
	var ps playerState
	bob.decode(bob.expectPlayer("CONNECTED", cyID), &ps)
	if !ps.IsAdmin {
		t.Errorf("CONNECTED %+v", ps)
	}
}
