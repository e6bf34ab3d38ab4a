package main

import (
	"strings"
	"testing"
)

// The session record grows with every round: the stream sends it when it changed, and
// whole to a browser that just came, never again with every vote.
func TestRoomStreamSendsTheRecordOnlyWhenItChanged(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("Record", "Ann")
	bobID := s.join(t, code, "Bob")
	bob := s.connect(t, bobID, code)
	events := ann.openEvents(code, "")
	if first := events.until(`id="players"`); !strings.Contains(first, `id="record" hx-swap-oob="true"`) {
		t.Fatalf("a new browser did not get the record: %s", first)
	}
	bob.expect("CONNECTED") // Ann's stream

	ann.get("/room/" + code)
	ann.post("/room/"+code+"/start", nil, true)
	bob.expect("RESETGAME")
	bob.send("SUBMITVOTE", 5)
	bob.expect("PLAYERVOTED")
	events.until(`data-testid="player-` + bobID + `" data-voted="true"`)
	ann.post("/room/"+code+"/reveal", nil, true)
	bob.expect("REVEALGAME")
	if d := events.until(`Revealed`); !strings.Contains(d, `data-testid="record-round" data-round="1"`) {
		t.Fatalf("the reveal's update lacks the new record: %s", d)
	}

	ann.post("/room/"+code+"/start", nil, true)
	bob.expect("RESETGAME")
	bob.send("SUBMITVOTE", 8)
	bob.expect("PLAYERVOTED")
	// Every update up to the one that shows the vote is without the unchanged record.
	for {
		d := events.next()
		if strings.Contains(d, `id="record"`) {
			t.Fatalf("an update without a new record carries it: %s", d)
		}
		if strings.Contains(d, `data-testid="player-`+bobID+`" data-voted="true"`) {
			break
		}
	}

	// A browser that comes now gets the record whole, with the state it is sent on
	// subscribing (an update for its own arrival may come first).
	carol := s.newFormClient(t)
	carol.joinRoom(code, "Carol")
	late := carol.openEvents(code, "")
	late.until(`data-testid="record-round" data-round="1"`)
}
