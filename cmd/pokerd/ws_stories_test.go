package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// nextRaw reads the next frame as the server wrote it.
func (c *wsClient) nextRaw() string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := c.conn.Read(ctx)
	if err != nil {
		c.t.Fatalf("player %s: no message: %v", c.id, err)
	}
	return string(data)
}

// revealedVotes reads a REVEALGAME's map.
func (c *wsClient) revealedVotes() map[string]*float64 {
	c.t.Helper()
	var votes map[string]*float64
	c.decode(c.expect("REVEALGAME"), &votes)
	return votes
}

func TestWSVoteAfterRevealReachesEverySocket(t *testing.T) {
	s := startServer(t, nil)
	_, annID, bobID, ann, bob := s.table(t, `{"name":"revote","deck_id":1,"game_settings":{}}`)

	ann.send("RESET", "HTTPS://Example.COM")
	for _, c := range []*wsClient{ann, bob} {
		if got, want := c.nextRaw(), `{"type":"RESETGAME","payload":"https://example.com/"}`; got != want {
			t.Errorf("RESETGAME to %s: %s, want the reference's %s", c.id, got, want)
		}
	}
	ann.send("SUBMITVOTE", 3)
	ann.expectPlayer("PLAYERVOTED", annID)
	bob.expectPlayer("PLAYERVOTED", annID)
	bob.send("SUBMITVOTE", 5)
	ann.expectPlayer("PLAYERVOTED", bobID)
	bob.expectPlayer("PLAYERVOTED", bobID)
	ann.send("REVEAL", "")
	ann.revealedVotes()
	bob.revealedVotes()

	bob.send("SUBMITVOTE", 8)
	bob.expectPlayer("PLAYERVOTED", bobID)
	if v := bob.revealedVotes()[bobID]; v == nil || *v != 8 {
		t.Errorf("Bob's own REVEALGAME shows %v, want 8", v)
	}
	ann.expectPlayer("PLAYERVOTED", bobID)
	votes := ann.revealedVotes()
	if v := votes[ann.nameOf(bobID)]; v == nil || *v != 8 {
		t.Errorf("Ann's REVEALGAME shows Bob's %v, want 8: %v", v, votes)
	}
	if v := votes[annID]; v == nil || *v != 3 {
		t.Errorf("Ann's own vote %v, want 3", v)
	}

	t.Run("an equal vote sends only PLAYERVOTED", func(t *testing.T) {
		bob.send("SUBMITVOTE", 8)
		ann.expectPlayer("PLAYERVOTED", bobID)
		ann.send("SYNC", nil)
		ann.expect("STATE") // nothing came between: no REVEALGAME
		ann.expect("REVEALGAME")
	})
	t.Run("STATE of a round on a link alone is the reference's: the link, no story", func(t *testing.T) {
		ann.send("SYNC", nil)
		m := ann.expect("STATE")
		if p := string(m.Payload); !strings.HasSuffix(p[:strings.LastIndex(p, `,"round_start"`)], `"ticket_url":"https://example.com/","round_state":"REVEALED"`) || strings.Contains(p, `"story"`) {
			t.Errorf("STATE: %s", m.Payload)
		}
		ann.expect("REVEALGAME")
	})
}

func TestWSHiddenNamesLinkNoNameToACard(t *testing.T) {
	s := startServer(t, nil)
	code, annID, bobID, ann, bob := s.table(t, `{"name":"anon","deck_id":1,"game_settings":{"hide_names":true}}`)
	carolID := s.join(t, code, "Carol")
	carol := s.connect(t, carolID, code)
	ann.expectPlayer("CONNECTED", carolID)
	bob.expectPlayer("CONNECTED", carolID)

	ann.send("RESET", nil)
	for _, c := range []*wsClient{ann, bob, carol} {
		c.expect("RESETGAME")
	}
	cast := map[string]float64{annID: 5, bobID: 3, carolID: 13}
	for _, c := range []*wsClient{ann, bob, carol} {
		c.send("SUBMITVOTE", cast[c.id])
		for _, r := range []*wsClient{ann, bob, carol} {
			r.expectPlayer("PLAYERVOTED", c.id)
		}
	}
	ann.send("REVEAL", "")
	seats := []string{annID, bobID, carolID}
	first := map[string]map[string]*float64{}
	for _, c := range []*wsClient{ann, bob, carol} {
		votes := c.revealedVotes()
		first[c.id] = votes
		checkNoNameOnACard(t, c, seats, votes, cast[c.id], 21)
	}

	t.Run("a second reveal gives the same map", func(t *testing.T) {
		ann.send("REVEAL", "")
		for _, c := range []*wsClient{ann, bob, carol} {
			again := c.revealedVotes()
			a, _ := json.Marshal(again)
			b, _ := json.Marshal(first[c.id])
			if string(a) != string(b) {
				t.Errorf("%s: %s, then %s", c.id, b, a)
			}
		}
	})
	t.Run("a vote after the reveal: the others get the new map, and not who voted", func(t *testing.T) {
		carol.send("SUBMITVOTE", 8)
		carol.expectPlayer("PLAYERVOTED", carolID)
		checkNoNameOnACard(t, carol, seats, carol.revealedVotes(), 8, 16)
		for _, c := range []*wsClient{ann, bob} {
			checkNoNameOnACard(t, c, seats, c.revealedVotes(), cast[c.id], 16)
		}
	})
	t.Run("a socket that connects now sees the same", func(t *testing.T) {
		bob2 := s.dial(t, bobID, code)
		bob2.expect("STATE")
		checkNoNameOnACard(t, bob2, seats, bob2.revealedVotes(), 3, 16)
	})
}

// checkNoNameOnACard checks a REVEALGAME's map as c received it: c's own vote under
// c's id, no card under any other player's name, and cards adding up to sum.
func checkNoNameOnACard(t *testing.T, c *wsClient, seats []string, votes map[string]*float64, mine, sum float64) {
	t.Helper()
	if v := votes[c.id]; v == nil || *v != mine {
		t.Errorf("%s's own vote %v, want %v: %v", c.id, v, mine, votes)
	}
	total := 0.0
	for _, v := range votes {
		if v != nil {
			total += *v
		}
	}
	if total != sum {
		t.Errorf("%s's cards add up to %v, want %v: %v", c.id, total, sum, votes)
	}
	for _, other := range seats {
		if other == c.id {
			continue
		}
		for _, name := range []string{other, c.nameOf(other)} {
			if v, there := votes[name]; there && v != nil {
				t.Errorf("%s's REVEALGAME puts %v under %s's name", c.id, *v, other)
			}
		}
	}
}
