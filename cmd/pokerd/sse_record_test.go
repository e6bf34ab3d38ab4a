package main

import (
	"net/url"
	"strings"
	"testing"
)

// The session record grows with every round: the stream sends what changed in it, a
// round at a time, and the whole record only to a browser that just came; never again
// with every vote.
func TestRoomStreamSendsTheRecordOnlyWhenItChanged(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("Record", "Ann")
	bobID := s.join(t, code, "Bob")
	bob := s.connect(t, bobID, code)
	bobAlias := playerAliasOf(t, ann.page(code), "Bob") // pages name players by alias
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
	events.until(`data-testid="player-` + bobAlias + `" data-voted="true"`)
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
		if strings.Contains(d, `data-testid="player-`+bobAlias+`" data-voted="true"`) {
			break
		}
	}

	// The second reveal carries its own round alone, put on top of the rows the browser
	// has; an agreed estimate replaces its round's row alone.
	ann.post("/room/"+code+"/reveal", nil, true)
	bob.expect("REVEALGAME")
	d := events.until(`Revealed`)
	if !strings.Contains(d, `<tbody hx-swap-oob="afterbegin:#record-rows"><tr id="record-round-2"`) ||
		strings.Contains(d, `data-round="1"`) || strings.Contains(d, `id="record"`) {
		t.Fatalf("the second reveal's update is not its round alone: %s", d)
	}
	ann.post("/room/"+code+"/estimate", url.Values{"round": {"1"}, "estimate": {"8"}}, true)
	d = events.until(`data-round="1"`)
	if !strings.Contains(d, `<tr id="record-round-1" data-testid="record-round" data-round="1" hx-swap-oob="true">`) ||
		!strings.Contains(d, `<span class="viewer-only" data-testid="record-estimate">8</span>`) || strings.Contains(d, `data-round="2"`) {
		t.Fatalf("the estimate's update is not its round's row alone: %s", d)
	}

	// A browser that comes now gets the record whole, with the state it is sent on
	// subscribing (an update for its own arrival may come first).
	carol := s.newFormClient(t)
	carol.joinRoom(code, "Carol")
	late := carol.openEvents(code, "")
	whole := late.until(`data-testid="record-round" data-round="1"`)
	if !strings.Contains(whole, `id="record" hx-swap-oob="true"`) || !strings.Contains(whole, `data-round="2"`) {
		t.Fatalf("a late browser did not get the whole record: %s", whole)
	}
}
