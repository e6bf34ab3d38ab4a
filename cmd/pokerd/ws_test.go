package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

func TestWebSocketRefusals(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "refusals")
	id := s.join(t, code, "Ann")

	for _, tc := range []struct{ name, id, code string }{
		{"a player id that is not a UUID", "not-a-uuid", code},
		{"a code in capitals", id, "ABCD"},
		{"a code too short", id, "abc"},
	} {
		t.Run(tc.name+" is refused with 403 before the upgrade", func(t *testing.T) {
			_, err := s.tryDial(tc.id, tc.code, nil)
			if err == nil || !strings.Contains(err.Error(), "403") {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("an unknown game is closed with 4000", func(t *testing.T) {
		c := s.dial(t, id, "nope1")
		code, reason := c.closeStatus()
		if code != 4000 || reason != "No game with code 'nope1' exists!" {
			t.Fatalf("got %d %q", code, reason)
		}
	})
	t.Run("a player who never joined is closed with 4001 naming the canonical id", func(t *testing.T) {
		stranger := uuid.New().String()
		c := s.dial(t, strings.ToUpper(stranger), code)
		got, reason := c.closeStatus()
		want := "Player with ID '" + stranger + "' not found in game with code '" + code + "'!"
		if got != 4001 || reason != want {
			t.Fatalf("got %d %q, want 4001 %q", got, reason, want)
		}
	})
	t.Run("refused sockets leave the game as it was", func(t *testing.T) {
		c := s.connect(t, id, code)
		st := c.sync()
		if len(st.PlayerStates) != 1 || !st.PlayerStates[id].IsConnected {
			t.Fatalf("state %+v", st)
		}
	})
	t.Run("a socket opened with another player's alias is closed with 4001, as for a stranger", func(t *testing.T) {
		bobID := s.join(t, code, "Bob")
		ann := s.connect(t, id, code)
		alias := ann.nameOf(bobID) // learnt from Ann's STATE
		if alias == "" || alias == bobID {
			t.Fatalf("Ann sees Bob as %q", alias)
		}
		c := s.dial(t, alias, code)
		got, reason := c.closeStatus()
		want := "Player with ID '" + alias + "' not found in game with code '" + code + "'!"
		if got != 4001 || reason != want {
			t.Fatalf("got %d %q, want 4001 %q", got, reason, want)
		}
		// Nothing reached Ann: her next message answers her own SYNC, Bob still away.
		if st := ann.sync(); st.PlayerStates[alias].IsConnected || len(st.PlayerStates) != 2 {
			t.Fatalf("state after the refusal %+v", st.PlayerStates)
		}
	})
}

func TestWebSocketOrigins(t *testing.T) {
	s := startServer(t, map[string]string{"PP_CORS_URLS": "https://poker.example.com"})
	code := s.createGame(t, "origins")
	id := s.join(t, code, "Ann")
	for _, origin := range []string{"", "http://127.0.0.1:5173", "https://poker.example.com", s.base} {
		t.Run("origin "+origin+" may connect", func(t *testing.T) {
			h := http.Header{}
			if origin != "" {
				h.Set("Origin", origin)
			}
			conn, err := s.tryDial(id, code, h)
			if err != nil {
				t.Fatalf("dial: %v", err)
			}
			conn.CloseNow()
		})
	}
	t.Run("another origin may not", func(t *testing.T) {
		_, err := s.tryDial(id, code, http.Header{"Origin": {"http://evil.example"}})
		if err == nil || !strings.Contains(err.Error(), "403") {
			t.Fatalf("got %v", err)
		}
	})
}

var roundStartShape = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

func TestWebSocketSession(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "session")
	adminID := s.join(t, code, "Ann")
	bobID := s.join(t, code, "Bob")
	carolID := s.join(t, code, "Carol")

	// The admin connects first: its STATE already shows it connected.
	admin := s.dial(t, adminID, code)
	stateMsg := admin.expect("STATE")
	var st gameState
	admin.decode(stateMsg, &st)
	if st.RoundState != "INIT" || st.TicketURL != nil || st.RoundStart != nil {
		t.Fatalf("a new game: %s", stateMsg.Payload)
	}
	if ps := st.PlayerStates[adminID]; !ps.IsConnected || !ps.IsAdmin || ps.HasVoted || ps.IsObserving || ps.Player.Username != "Ann" {
		t.Fatalf("admin's own state: %+v", ps)
	}
	if ps, listed := st.PlayerStates[admin.nameOf(bobID)]; !listed || ps.IsConnected || ps.IsAdmin || ps.Player.Username != "Bob" {
		t.Fatalf("bob before connecting: %+v", ps)
	}
	var raw struct {
		PlayerStates json.RawMessage `json:"player_states"`
	}
	_ = json.Unmarshal(stateMsg.Payload, &raw)
	// The admin finds itself by its own id, and the others by their aliases.
	if keys := objectKeys(t, raw.PlayerStates); !slices.Equal(keys, []string{adminID, admin.nameOf(bobID), admin.nameOf(carolID)}) {
		t.Fatalf("player_states in order %v, want join order", keys)
	}
	if keys := objectKeys(t, stateMsg.Payload); !slices.Equal(keys, []string{"game", "player_states", "ticket_url", "round_state", "round_start"}) {
		t.Fatalf("GameState keys %v", keys)
	}
	connected := admin.expect("CONNECTED")
	if keys := objectKeys(t, connected.Payload); !slices.Equal(keys, []string{"player", "is_connected", "is_admin", "is_observing", "has_voted"}) {
		t.Fatalf("PlayerState keys %v", keys)
	}

	bob := s.connect(t, bobID, code)
	admin.expectPlayer("CONNECTED", bobID)

	t.Run("a non-admin's RESET and REVEAL change nothing and send nothing", func(t *testing.T) {
		bob.send("RESET", nil)
		bob.send("REVEAL", "")
		if st := bob.sync(); st.RoundState != "INIT" {
			t.Fatalf("round %s", st.RoundState)
		}
		admin.send("SYNC", nil)
		admin.expect("STATE")
	})

	t.Run("RESET with a ticket starts a round for everyone, the link normalised", func(t *testing.T) {
		admin.send("RESET", "HTTPS://Jira.Example.COM?ticket=PP-1")
		for _, c := range []*wsClient{admin, bob} {
			var ticket string
			c.decode(c.expect("RESETGAME"), &ticket)
			if ticket != "https://jira.example.com/?ticket=PP-1" {
				t.Fatalf("ticket %q", ticket)
			}
		}
		st := bob.sync()
		if st.RoundState != "VOTING" || st.TicketURL == nil || *st.TicketURL != "https://jira.example.com/?ticket=PP-1" || st.RoundStart == nil || !roundStartShape.MatchString(*st.RoundStart) {
			t.Fatalf("state after reset: %+v", st)
		}
	})

	t.Run("a RESET with a link that is not http(s) is ignored", func(t *testing.T) {
		for _, bad := range []any{"javascript:alert(1)", "", "ftp://x.y/", 42} {
			admin.send("RESET", bad)
		}
		if st := admin.sync(); st.TicketURL == nil || *st.TicketURL != "https://jira.example.com/?ticket=PP-1" {
			t.Fatalf("ticket changed: %+v", st.TicketURL)
		}
	})

	t.Run("votes reach everyone as PLAYERVOTED without the value", func(t *testing.T) {
		bob.send("SUBMITVOTE", 5)
		for _, c := range []*wsClient{admin, bob} {
			m := c.expectPlayer("PLAYERVOTED", bobID)
			// The payload is the Player alone: an id (or alias) and a name, no value.
			var fields map[string]any
			c.decode(m, &fields)
			if len(fields) != 2 || fields["id"] != c.nameOf(bobID) || fields["username"] != "Bob" {
				t.Fatalf("the vote leaked: %s", m.Payload)
			}
		}
		admin.send("SUBMITVOTE", 0.5)
		admin.expectPlayer("PLAYERVOTED", adminID)
		bob.expectPlayer("PLAYERVOTED", adminID)
	})

	t.Run("invalid messages are ignored and the connection stays open", func(t *testing.T) {
		bob.send("SUBMITVOTE", 4)   // not a card of the deck
		bob.send("SUBMITVOTE", "3") // not a number
		bob.send("SUBMITVOTE", true)
		bob.send("submitvote", 3)
		bob.send("PLAYERVOTED", bobID)
		bob.send("NONSENSE", nil)
		bob.sendRaw(websocket.MessageText, []byte(`this is not JSON`))
		bob.sendRaw(websocket.MessageText, []byte(`{"type":"SYNC"}`))
		bob.sendRaw(websocket.MessageBinary, []byte{0, 1, 2})
		st := bob.sync()
		if !st.PlayerStates[bobID].HasVoted || st.RoundState != "VOTING" {
			t.Fatalf("state: %+v", st)
		}
	})

	t.Run("REVEAL shows every player's vote in join order, null for no vote", func(t *testing.T) {
		admin.send("REVEAL", "")
		for _, c := range []*wsClient{admin, bob} {
			m := c.expect("REVEALGAME")
			want := `{"` + c.nameOf(adminID) + `":0.5,"` + c.nameOf(bobID) + `":5.0,"` + c.nameOf(carolID) + `":null}`
			if string(m.Payload) != want {
				t.Fatalf("got  %s\nwant %s", m.Payload, want)
			}
		}
	})

	t.Run("a player connecting after the reveal gets STATE, REVEALGAME, then CONNECTED", func(t *testing.T) {
		carol := s.dial(t, carolID, code)
		var st gameState
		carol.decode(carol.expect("STATE"), &st)
		if st.RoundState != "REVEALED" || !st.PlayerStates[carolID].IsConnected {
			t.Fatalf("state %+v", st)
		}
		carol.expect("REVEALGAME")
		carol.expectPlayer("CONNECTED", carolID)
		admin.expectPlayer("CONNECTED", carolID)
		bob.expectPlayer("CONNECTED", carolID)

		t.Run("SYNC after a reveal answers STATE and REVEALGAME to the sender only", func(t *testing.T) {
			carol.send("SYNC", nil)
			carol.expect("STATE")
			carol.expect("REVEALGAME")
			carol.send("OBSERVE", map[string]string{"id": carolID})
			for _, c := range []*wsClient{carol, admin, bob} {
				c.expectPlayer("OBSERVING", carolID)
			}
		})

		t.Run("votes after a reveal are taken and shown at once by a fresh REVEALGAME", func(t *testing.T) {
			carol.send("SUBMITVOTE", 13) // observers may vote too
			for _, c := range []*wsClient{carol, admin, bob} {
				c.expectPlayer("PLAYERVOTED", carolID)
				m := c.expect("REVEALGAME")
				if !strings.Contains(string(m.Payload), `"`+c.nameOf(carolID)+`":13.0`) {
					t.Fatalf("got %s", m.Payload)
				}
			}
			// A second reveal sends REVEALGAME again, with the votes as they are.
			admin.send("REVEAL", nil)
			m := bob.expect("REVEALGAME")
			if !strings.Contains(string(m.Payload), `"`+bob.nameOf(carolID)+`":13.0`) {
				t.Fatalf("got %s", m.Payload)
			}
			admin.expect("REVEALGAME")
			carol.expect("REVEALGAME")
		})

		t.Run("OBSERVE toggles back", func(t *testing.T) {
			if !carol.sync().PlayerStates[carolID].IsObserving {
				t.Fatal("carol is not observing")
			}
			carol.send("OBSERVE", nil)
			for _, c := range []*wsClient{carol, admin, bob} {
				c.expectPlayer("OBSERVING", carolID)
			}
			if carol.sync().PlayerStates[carolID].IsObserving {
				t.Fatal("carol still observing")
			}
		})
		carol.close()
		admin.expectPlayer("DISCONNECTED", carolID)
		bob.expectPlayer("DISCONNECTED", carolID)
	})

	t.Run("RESET without a ticket clears every vote", func(t *testing.T) {
		admin.send("RESET", nil)
		for _, c := range []*wsClient{admin, bob} {
			m := c.expect("RESETGAME")
			if string(m.Payload) != "null" {
				t.Fatalf("payload %s", m.Payload)
			}
		}
		st := admin.sync()
		for id, ps := range st.PlayerStates {
			if ps.HasVoted {
				t.Fatalf("%s still has a vote", id)
			}
		}
		if st.TicketURL != nil {
			t.Fatalf("ticket %v", *st.TicketURL)
		}
	})

	t.Run("a vote survives a disconnect and is revealed after the reconnect", func(t *testing.T) {
		bob.send("SUBMITVOTE", 8)
		bob.expectPlayer("PLAYERVOTED", bobID)
		admin.expectPlayer("PLAYERVOTED", bobID)
		bob.close()
		admin.expectPlayer("DISCONNECTED", bobID)
		if ps := admin.sync().PlayerStates[admin.nameOf(bobID)]; ps.IsConnected || !ps.HasVoted {
			t.Fatalf("bob away: %+v", ps)
		}
		bob = s.dial(t, bobID, code)
		bob.expect("STATE")
		var ps playerState
		bob.decode(bob.expectPlayer("CONNECTED", bobID), &ps)
		if !ps.HasVoted || !ps.IsConnected {
			t.Fatalf("bob back: %+v", ps)
		}
		admin.expectPlayer("CONNECTED", bobID)
		admin.send("REVEAL", nil)
		if m := admin.expect("REVEALGAME"); !strings.Contains(string(m.Payload), `"`+admin.nameOf(bobID)+`":8.0`) {
			t.Fatalf("got %s", m.Payload)
		}
		bob.expect("REVEALGAME")
	})
}

func TestWebSocketSeveralTabs(t *testing.T) {
	s := startServer(t, nil, "--empty-room-grace", "0")
	code := s.createGame(t, "tabs")
	adminID := s.join(t, code, "Ann")
	bobID := s.join(t, code, "Bob")
	admin := s.connect(t, adminID, code)
	tab1 := s.connect(t, bobID, code)
	admin.expectPlayer("CONNECTED", bobID)
	tab2 := s.connect(t, bobID, code)
	admin.expectPlayer("CONNECTED", bobID)
	tab1.expectPlayer("CONNECTED", bobID)

	tab1.send("OBSERVE", nil)
	for _, c := range []*wsClient{admin, tab1, tab2} {
		c.expectPlayer("OBSERVING", bobID)
	}
	t.Run("closing one tab of two sends nothing and keeps observing", func(t *testing.T) {
		tab1.close()
		tab2.send("SUBMITVOTE", 3) // the next thing admin sees must be this vote, not DISCONNECTED
		admin.expectPlayer("PLAYERVOTED", bobID)
		tab2.expectPlayer("PLAYERVOTED", bobID)
		ps := admin.sync().PlayerStates[admin.nameOf(bobID)]
		if !ps.IsConnected || !ps.IsObserving {
			t.Fatalf("bob: %+v", ps)
		}
	})
	t.Run("closing the last tab disconnects and stops observing", func(t *testing.T) {
		tab2.close()
		admin.expectPlayer("DISCONNECTED", bobID)
		ps := admin.sync().PlayerStates[admin.nameOf(bobID)]
		if ps.IsConnected || ps.IsObserving || !ps.HasVoted {
			t.Fatalf("bob: %+v", ps)
		}
	})
}

func TestEmptyGameDeletion(t *testing.T) {
	t.Run("with no grace the game goes when its last socket closes", func(t *testing.T) {
		// The reference's behaviour, in memory: with a database, an empty room is kept
		// for --retention instead.
		s := startServer(t, nil, "--empty-room-grace", "0", "--data", "")
		code := s.createGame(t, "gone")
		id := s.join(t, code, "Ann")
		untouched := s.createGame(t, "never connected")
		c := s.connect(t, id, code)
		c.close()
		eventually(t, "deletion", func() bool {
			return s.post(t, "/api/join/"+code, `{"username":"late"}`).status == 404
		})
		c2 := s.dial(t, id, code)
		if got, _ := c2.closeStatus(); got != 4000 {
			t.Fatalf("close %d, want 4000", got)
		}
		if res := s.post(t, "/api/join/"+untouched, `{"username":"x"}`); res.status != 200 {
			t.Fatalf("a game nobody connected to must stay: %d", res.status)
		}
	})
	t.Run("within the grace period a reconnect keeps the game", func(t *testing.T) {
		s := startServer(t, map[string]string{"PP_EMPTY_ROOM_GRACE": "1h"})
		code := s.createGame(t, "kept")
		id := s.join(t, code, "Ann")
		s.connect(t, id, code).close()
		c := s.connect(t, id, code)
		st := c.sync()
		if !st.PlayerStates[id].IsAdmin || !st.PlayerStates[id].IsConnected {
			t.Fatalf("state %+v", st)
		}
	})
}

func TestGamesAreIsolated(t *testing.T) {
	s := startServer(t, nil)
	codeA, codeB := s.createGame(t, "a"), s.createGame(t, "b")
	a := s.connect(t, s.join(t, codeA, "Ann"), codeA)
	b := s.connect(t, s.join(t, codeB, "Bob"), codeB)
	a.send("RESET", nil)
	a.expect("RESETGAME")
	a.send("SUBMITVOTE", 3)
	a.expectPlayer("PLAYERVOTED", a.id)
	// Bob's next message must be his own SYNC answer, with a game untouched by Ann's.
	st := b.sync()
	if st.RoundState != "INIT" || len(st.PlayerStates) != 1 {
		t.Fatalf("game b: %+v", st)
	}
}

func TestOversizedFrameClosesWith1009(t *testing.T) {
	s := startServer(t, nil, "--ws-read-limit", "1024")
	code := s.createGame(t, "big")
	c := s.connect(t, s.join(t, code, "Ann"), code)
	c.sendRaw(websocket.MessageText, []byte(`{"type":"SYNC","payload":"`+strings.Repeat("x", 2048)+`"}`))
	if got, _ := c.closeStatus(); got != websocket.StatusMessageTooBig {
		t.Fatalf("close %d, want 1009", got)
	}
}

func TestMessageFloodIsCapped(t *testing.T) {
	// The flood cut-off has its own attack test; here over-rate messages are only ignored.
	s := startServer(t, nil, "--ws-message-rate", "5", "--ws-flood-limit", "0")
	code := s.createGame(t, "flood")
	adminID := s.join(t, code, "Ann")
	bobID := s.join(t, code, "Bob")
	admin := s.connect(t, adminID, code)
	bob := s.connect(t, bobID, code)
	admin.expectPlayer("CONNECTED", bobID)
	const sent = 200
	for range sent {
		bob.send("SUBMITVOTE", 3)
	}
	// Bob's close is read after all his votes, so his DISCONNECTED ends the count.
	bob.close()
	got := 0
	for {
		m := admin.next()
		if m.Type == "DISCONNECTED" {
			break
		}
		if m.Type != "PLAYERVOTED" {
			t.Fatalf("admin got %s", m.Type)
		}
		got++
	}
	// A burst of 10 plus what the rate refills while the votes are read.
	if got == 0 || got > 20 {
		t.Fatalf("admin saw %d of bob's %d votes; want a burst of at most 20", got, sent)
	}
}

func TestShutdownClosesSocketsWith1001(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "bye")
	c := s.connect(t, s.join(t, code, "Ann"), code)
	stopped := make(chan error, 1)
	go func() {
		got, reason := c.closeStatus()
		if got != websocket.StatusGoingAway {
			stopped <- &closeError{got, reason}
			return
		}
		stopped <- nil
	}()
	s.stop()
	select {
	case err := <-stopped:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the socket was not closed")
	}
}

type closeError struct {
	code   websocket.StatusCode
	reason string
}

func (e *closeError) Error() string { return "closed with " + e.code.String() + " " + e.reason }

func TestSilentPeerIsDroppedByPing(t *testing.T) {
	s := startServer(t, nil, "--ws-ping-interval", "100ms")
	code := s.createGame(t, "ping")
	adminID := s.join(t, code, "Ann")
	ghostID := s.join(t, code, "Ghost")
	admin := s.connect(t, adminID, code)
	// The ghost's client never reads, so it never answers a ping: a laptop that went
	// to sleep, as the server sees it.
	ghost, err := s.tryDial(ghostID, code, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ghost.CloseNow()
	admin.expectPlayer("CONNECTED", ghostID)
	// The admin reads, so it answers pings and stays.
	admin.expectPlayer("DISCONNECTED", ghostID)
	if ps := admin.sync().PlayerStates; !ps[adminID].IsConnected || len(ps) != 2 || ps[admin.nameOf(ghostID)].IsConnected {
		t.Fatalf("states %+v", ps)
	}
	// When the ghost's client wakes up, the close frame tells it why it was dropped.
	woken := &wsClient{t: t, conn: ghost, id: ghostID}
	if code, reason := woken.closeStatus(); code != websocket.StatusPolicyViolation || reason != "no answer to ping" {
		t.Fatalf("closed with %d %q", code, reason)
	}
}
