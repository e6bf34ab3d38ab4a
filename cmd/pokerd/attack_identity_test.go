package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/uuid"
)

// Issue 11: every STATE listed every player's id, and the WebSocket took any listed id
// as its credential. A stranger with nothing but the room code started a round with a
// phishing link, voted as a browser player, revealed, changed the rules, downloaded the
// record, made himself facilitator and removed the real one, in half a second. Now each
// player sees only its own id; everyone else is an alias that opens nothing.

// uuidText matches a UUID as the server writes it.
var uuidText = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// readFrame reads one frame within d; closed is set, with the close code, when the
// server closed the socket instead.
func readFrame(conn *websocket.Conn, d time.Duration) (data []byte, closed bool, code websocket.StatusCode, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	_, data, err = conn.Read(ctx)
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		return nil, true, ce.Code, nil
	}
	return data, false, 0, err
}

// frameType is the type of a server frame.
func frameType(frame []byte) string {
	var m message
	_ = json.Unmarshal(frame, &m)
	return m.Type
}

// roomView is a legitimate player's exact view of the room: its STATE and, once
// revealed, its REVEALGAME, as answers to a SYNC. Any other frame that arrives first
// (nothing should happen in the room meanwhile) is returned in stray.
func roomView(t *testing.T, c *wsClient) (view string, stray []string) {
	t.Helper()
	c.send("SYNC", nil)
	for {
		data, closed, code, err := readFrame(c.conn, 5*time.Second)
		if err != nil || closed {
			t.Fatalf("%s's socket: no STATE (%v, closed %v %d)", c.id, err, closed, code)
		}
		if frameType(data) != "STATE" {
			stray = append(stray, string(data))
			continue
		}
		view = string(data)
		if strings.Contains(view, `"round_state":"REVEALED"`) {
			reveal, _, _, err := readFrame(c.conn, 5*time.Second)
			if err != nil || frameType(reveal) != "REVEALGAME" {
				t.Fatalf("%s's socket: no REVEALGAME after a revealed STATE (%v): %s", c.id, err, reveal)
			}
			view += "\n" + string(reveal)
		}
		return view, stray
	}
}

func TestAttackStrangerCannotActAsAnyoneElse(t *testing.T) {
	s := startServer(t, nil)
	before := beforeAttack(t, s)

	// The team: a facilitator and a player on the JSON API, a player in the browser.
	code := s.createGame(t, "Team under attack")
	leadID := s.join(t, code, "Lead")
	lead := s.connect(t, leadID, code)
	annID := s.join(t, code, "Ann")
	ann := s.connect(t, annID, code)
	lead.expect("CONNECTED")
	bea := s.newFormClient(t)
	bea.joinRoom(code, "Bea")
	beaStream := bea.openEvents(code, "")
	beaStream.next()
	bea.page(code) // a fresh CSRF token for her votes
	for _, c := range []*wsClient{lead, ann} {
		c.expect("CONNECTED") // Bea's stream connects her
	}

	// The stranger joins with an id of his own, as anyone with the code can, and reads
	// everything his socket and the API give him while the team plays a round.
	const strangerName = "Mallory"
	strangerID := s.join(t, code, strangerName)
	stranger := s.dial(t, strangerID, code)
	var seen []string // every frame and answer the stranger received
	readUntil := func(typ string) {
		t.Helper()
		for {
			data, closed, _, err := readFrame(stranger.conn, 5*time.Second)
			if err != nil || closed {
				t.Fatalf("the stranger's socket ended: %v", err)
			}
			seen = append(seen, string(data))
			if frameType(data) == typ {
				return
			}
		}
	}
	readUntil("CONNECTED") // his STATE, then his own CONNECTED
	lead.send("RESET", "https://tracker.example/T-1")
	readUntil("RESETGAME")
	ann.send("SUBMITVOTE", 3)
	readUntil("PLAYERVOTED")
	if res := bea.post("/room/"+code+"/vote", url.Values{"value": {"5"}}, true); res.status != http.StatusOK {
		t.Fatalf("Bea's vote: %d %s", res.status, res.body)
	}
	readUntil("PLAYERVOTED")
	stranger.send("SUBMITVOTE", 8) // his own vote: that much he may do
	readUntil("PLAYERVOTED")
	lead.send("OPTIONS", map[string]any{"auto_reveal": true}) // a STATE for everyone
	readUntil("STATE")
	lead.send("REVEAL", nil)
	readUntil("REVEALGAME")
	stranger.send("SYNC", nil)
	readUntil("STATE")
	readUntil("REVEALGAME")
	for _, path := range []string{"/api/game/" + code + "/record?player_id=" + strangerID, "/api/game/" + code + "/record.csv?player_id=" + strangerID} {
		res := s.get(t, path)
		if res.status != http.StatusForbidden {
			t.Errorf("the stranger's own record request: %d, want 403", res.status)
		}
		seen = append(seen, string(res.body))
	}
	everything := strings.Join(seen, "\n")

	// What he has: every UUID he was shown that is not his own.
	var ids []string
	for _, id := range uuidText.FindAllString(everything, -1) {
		if id != strangerID && !strings.Contains(strings.Join(ids, " "), id) {
			ids = append(ids, id)
		}
	}
	if len(ids) < 3 {
		t.Fatalf("the stranger saw %d other players' names, want the lead, Ann and Bea: %s", len(ids), everything)
	}

	// The room as the facilitator sees it, before the attack, once the round's frames
	// have reached him.
	for {
		data, closed, _, err := readFrame(lead.conn, 5*time.Second)
		if err != nil || closed {
			t.Fatalf("the lead's socket ended: %v", err)
		}
		if frameType(data) == "REVEALGAME" {
			break
		}
	}
	viewBefore, _ := roomView(t, lead)

	// The attack: each id he saw, tried everywhere an id is a credential.
	for _, id := range ids {
		conn, err := s.tryDial(id, code, nil)
		if err != nil {
			t.Fatalf("dial as %s: %v", id, err)
		}
		data, closed, closeCode, err := readFrame(conn, 5*time.Second)
		switch {
		case closed && closeCode == 4001:
			// Refused, as a stranger is.
		case err != nil:
			t.Errorf("a socket opened with %s neither was refused with 4001 nor answered: %v", id, err)
		default:
			t.Errorf("a socket opened with %s, seen by the stranger, was accepted: %.200s", id, data)
			// Then it acts as that player, as the finding did.
			as := &wsClient{t: t, conn: conn, id: id}
			as.send("RESET", "https://phishing.example/login")
			as.send("SUBMITVOTE", 21)
			as.send("REVEAL", nil)
			as.send("OPTIONS", map[string]any{"facilitator_free": true, "hide_names": true})
			if m := regexp.MustCompile(`"([0-9a-f-]{36})":\{"player":\{"id":"[0-9a-f-]{36}","username":"` + strangerName + `"`).FindStringSubmatch(string(data)); m != nil {
				as.send("HANDOFF", m[1]) // the stranger, as this socket names him
			}
		}
		_ = conn.CloseNow()

		if res := s.post(t, "/api/join/"+code, `{"username":"`+strangerName+`","id":"`+id+`"}`); res.status != http.StatusConflict {
			t.Errorf("a join with %s, seen by the stranger: %d %s, want 409", id, res.status, res.body)
		}
		for _, path := range []string{"/api/game/" + code + "/record?player_id=" + id, "/api/game/" + code + "/record.csv?player_id=" + id} {
			if res := s.get(t, path); res.status != http.StatusForbidden {
				t.Errorf("the record with %s, seen by the stranger: %d, want 403", id, res.status)
			}
		}
		// His own socket names the others only by what he saw: none of it makes him
		// the facilitator.
		stranger.send("HANDOFF", id)
		stranger.send("REMOVE", id)
	}
	stranger.send("RESET", "https://phishing.example/login")
	stranger.send("REVEAL", nil)
	stranger.send("OPTIONS", map[string]any{"facilitator_free": true})
	stranger.send("ESTIMATE", map[string]any{"round": 1, "estimate": "100"})
	for _, id := range ids {
		stranger.send("REMOVE", id) // as facilitator, if a hand-off above made him one
	}
	strangerView, _ := roomView(t, stranger) // his commands are all handled by now

	// Nothing changed for the team: the facilitator's view is the same to the byte, and
	// nothing at all happened in the room meanwhile.
	viewAfter, stray := roomView(t, lead)
	if viewAfter != viewBefore {
		t.Errorf("the room changed under the attack:\nbefore %s\nafter  %s", viewBefore, viewAfter)
	}
	if len(stray) > 0 {
		t.Errorf("the facilitator was sent %d messages during the attack: %.300s", len(stray), strings.Join(stray, "\n"))
	}
	if !strings.Contains(strangerView, `"username":"Lead"},"is_connected":true,"is_admin":true`) {
		t.Errorf("the lead is no longer the connected facilitator, as the stranger sees it: %s", strangerView)
	}

	// Bea's seat id is derived from her browser's cookie, which never leaves her
	// browser; the stranger must not have seen it.
	var beaSeat string
	base, _ := url.Parse(s.base)
	for _, ck := range bea.client.Jar.Cookies(base) {
		if ck.Name == "pokerd_browser" {
			beaSeat = uuid.NewSHA1(uuid.MustParse(ck.Value), []byte("pokerd seat "+code)).String()
		}
	}
	if beaSeat == "" {
		t.Fatal("Bea's browser has no identity cookie")
	}
	if strings.Contains(everything, beaSeat) {
		t.Errorf("the stranger saw Bea's seat id %s", beaSeat)
	}
	if !strings.Contains(everything, `"username":"Bea"`) {
		t.Errorf("the stranger never saw Bea at all: the check above proves nothing")
	}

	// The id derived above is Bea's: the server takes it as hers (so the check was not
	// vacuous), and names her by it only to her own connection.
	own := s.dial(t, beaSeat, code)
	data, closed, _, err := readFrame(own.conn, 5*time.Second)
	if err != nil || closed || !strings.Contains(string(data), `"`+beaSeat+`":{"player":{"id":"`+beaSeat+`","username":"Bea"}`) {
		t.Errorf("a socket with Bea's derived seat id got %.300s (closed %v, %v), want her STATE naming her by that id", data, closed, err)
	}

	own.close()
	stranger.close()
	lead.close()
	ann.close()
	beaStream.cancel()
	survivedAttack(t, s, before)
}
