package ws

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/played"
)

// storyRoom is a Fibonacci room with the given rules where alice (facilitator), bob and
// carol are seated, each with a recorder subscribed as their socket.
func storyRoom(t *testing.T, opts game.RoomOptions) (*game.Room, map[uuid.UUID]*wsmsgRecorder) {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	played.Must(t, err)
	reg := game.NewRegistry(game.RegistryConfig{Decks: decks, NewCode: func() string { return "st01" }})
	room, err := reg.Create("Stories", 1, game.GameSettings{Options: opts})
	played.Must(t, err)
	sockets := map[uuid.UUID]*wsmsgRecorder{}
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		played.Must(t, room.Join(p))
	}
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		sockets[p.ID] = &wsmsgRecorder{id: p.ID}
		played.Must(t, room.Connect(p.ID, sockets[p.ID]))
	}
	for _, s := range sockets {
		s.take()
	}
	return room, sockets
}

// typesOf is the type of each frame.
func typesOf(t *testing.T, frames []string) []string {
	t.Helper()
	out := make([]string, len(frames))
	for i, f := range frames {
		var m struct{ Type string }
		if err := json.Unmarshal([]byte(f), &m); err != nil {
			t.Fatalf("not JSON: %s", f)
		}
		out[i] = m.Type
	}
	return out
}

// votesIn decodes the payload of a REVEALGAME frame.
func votesIn(t *testing.T, frame string) map[string]*float64 {
	t.Helper()
	var m struct {
		Type    string
		Payload map[string]*float64
	}
	if err := json.Unmarshal([]byte(frame), &m); err != nil || m.Type != "REVEALGAME" {
		t.Fatalf("not a REVEALGAME: %s", frame)
	}
	return m.Payload
}

func TestWSStoryFrames(t *testing.T) {
	room, sockets := storyRoom(t, game.RoomOptions{})
	bob := sockets[played.Bob.ID]
	link := "HTTPS://Tracker.Example/PP-12"

	t.Run("a round on a typed story: RESETGAME keeps the link as payload, the story beside it", func(t *testing.T) {
		played.Must(t, room.Start(played.Alice.ID, game.NextRound{Story: &game.Story{Key: "PP-12", Title: `Login <page> & "co"`, Link: &link}}))
		want := `{"type":"RESETGAME","payload":"https://tracker.example/PP-12","story":{"key":"PP-12","title":"Login <page> & \"co\"","link":"https://tracker.example/PP-12"}}`
		if got := bob.take(); !slices.Equal(got, []string{want}) {
			t.Errorf("got  %v\nwant %s", got, want)
		}
		room.Sync(bob)
		state := bob.take()[0]
		if !strings.HasSuffix(state, `,"story":{"key":"PP-12","title":"Login <page> & \"co\"","link":"https://tracker.example/PP-12"}}}`) {
			t.Errorf("STATE does not end with the story: %s", state)
		}
	})
	t.Run("a round on a link alone: RESETGAME is the reference's, byte for byte", func(t *testing.T) {
		played.Must(t, room.StartRound(played.Alice.ID, &link))
		if got, want := bob.take(), []string{`{"type":"RESETGAME","payload":"https://tracker.example/PP-12"}`}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		played.Must(t, room.StartRound(played.Alice.ID, nil))
		if got, want := bob.take(), []string{`{"type":"RESETGAME","payload":null}`}; !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		room.Sync(bob)
		if state := bob.take()[0]; !strings.Contains(state, `"ticket_url":null,"round_state":"VOTING"`) || strings.Contains(state, `"story"`) {
			t.Errorf("STATE of a round without a story is not the reference's: %s", state)
		}
		played.Must(t, room.StartRound(played.Alice.ID, &link))
		bob.take()
		room.Sync(bob)
		if state := bob.take()[0]; !strings.Contains(state, `"ticket_url":"https://tracker.example/PP-12","round_state":"VOTING"`) || strings.Contains(state, `"story"`) {
			t.Errorf("STATE of a round on a link alone is not the reference's: %s", state)
		}
	})
	t.Run("the backlog's changes send nothing; a backlog story carries its id", func(t *testing.T) {
		played.Must(t, room.AddStories(played.Alice.ID, []game.Story{{Title: "First"}, {Key: "PP-2", Title: "<script>alert(1)</script>"}}))
		played.Must(t, room.ReorderBacklog(played.Alice.ID, []int{2, 1}))
		played.Must(t, room.SkipStory(played.Alice.ID, 1, true))
		if got := bob.take(); len(got) != 0 {
			t.Errorf("backlog changes sent %v", got)
		}
		played.Must(t, room.Start(played.Alice.ID, game.NextRound{Next: true}))
		want := `{"type":"RESETGAME","payload":null,"story":{"id":2,"key":"PP-2","title":"<script>alert(1)</script>","link":null}}`
		if got := bob.take(); !slices.Equal(got, []string{want}) {
			t.Errorf("got  %v\nwant %s", got, want)
		}
	})
}

func TestWSVoteAfterReveal(t *testing.T) {
	room, sockets := storyRoom(t, game.RoomOptions{})
	alice, bob := sockets[played.Alice.ID], sockets[played.Bob.ID]
	played.Must(t, room.StartRound(played.Alice.ID, nil))
	played.Must(t, room.Vote(played.Alice.ID, 3))
	played.Must(t, room.Vote(played.Bob.ID, 5))
	played.Must(t, room.Reveal(played.Alice.ID))
	alice.take()
	bob.take()
	bobAlias := seatAlias(t, room, played.Bob.ID)

	t.Run("a changed vote sends PLAYERVOTED, then REVEALGAME with the new value, to every socket", func(t *testing.T) {
		played.Must(t, room.Vote(played.Bob.ID, 8))
		got := alice.take()
		if !slices.Equal(typesOf(t, got), []string{"PLAYERVOTED", "REVEALGAME"}) {
			t.Fatalf("Alice got %v", got)
		}
		if v := votesIn(t, got[1])[bobAlias]; v == nil || *v != 8 {
			t.Errorf("Alice's REVEALGAME shows Bob's %v, want 8: %s", v, got[1])
		}
		own := bob.take()
		if !slices.Equal(typesOf(t, own), []string{"PLAYERVOTED", "REVEALGAME"}) {
			t.Fatalf("Bob got %v", own)
		}
		if v := votesIn(t, own[1])[played.Bob.ID.String()]; v == nil || *v != 8 {
			t.Errorf("Bob's REVEALGAME shows his %v, want 8: %s", v, own[1])
		}
	})
	t.Run("an equal vote sends only PLAYERVOTED", func(t *testing.T) {
		played.Must(t, room.Vote(played.Bob.ID, 8))
		if got := typesOf(t, alice.take()); !slices.Equal(got, []string{"PLAYERVOTED"}) {
			t.Errorf("Alice got %v", got)
		}
	})
	t.Run("a second reveal sends REVEALGAME again, with the votes as they are", func(t *testing.T) {
		played.Must(t, room.Reveal(played.Alice.ID))
		got := alice.take()
		if !slices.Equal(typesOf(t, got), []string{"REVEALGAME"}) {
			t.Fatalf("Alice got %v", got)
		}
		if v := votesIn(t, got[0])[bobAlias]; v == nil || *v != 8 {
			t.Errorf("Bob's vote %v, want 8", v)
		}
	})
}

func seatAlias(t *testing.T, room *game.Room, id uuid.UUID) string {
	t.Helper()
	seat, err := room.Seat(id)
	played.Must(t, err)
	return seat.Player.Alias.String()
}

func TestWSHiddenNamesReveal(t *testing.T) {
	room, sockets := storyRoom(t, game.RoomOptions{HideNames: true})
	players := []game.Player{played.Alice, played.Bob, played.Carol}
	names := map[string]string{} // every id and alias, to the player's name
	for _, p := range players {
		names[p.ID.String()] = p.Username
		names[seatAlias(t, room, p.ID)] = p.Username
	}
	played.Must(t, room.StartRound(played.Alice.ID, nil))
	played.Must(t, room.Vote(played.Alice.ID, 5))
	played.Must(t, room.Vote(played.Bob.ID, 3))
	played.Must(t, room.Vote(played.Carol.ID, 13))
	for _, s := range sockets {
		s.take()
	}
	played.Must(t, room.Reveal(played.Alice.ID))

	own := map[uuid.UUID]float64{played.Alice.ID: 5, played.Bob.ID: 3, played.Carol.ID: 13}
	first := map[uuid.UUID]map[string]*float64{}
	for _, p := range players {
		frames := sockets[p.ID].take()
		if len(frames) != 1 {
			t.Fatalf("%s got %v", p.Username, frames)
		}
		votes := votesIn(t, frames[0])
		first[p.ID] = votes
		checkAnonymousVotes(t, p, votes, own[p.ID], names)
	}

	t.Run("a second REVEALGAME of the round agrees with the first", func(t *testing.T) {
		played.Must(t, room.Reveal(played.Alice.ID))
		for _, p := range players {
			frames := sockets[p.ID].take()
			if len(frames) != 1 || frames[0] != mustFrame(t, first[p.ID], frames[0]) {
				t.Errorf("%s's second REVEALGAME %v differs from the first %v", p.Username, frames, first[p.ID])
			}
		}
	})
	t.Run("the REVEALGAME after STATE is the same", func(t *testing.T) {
		room.Sync(sockets[played.Bob.ID])
		frames := sockets[played.Bob.ID].take()
		if len(frames) != 2 {
			t.Fatalf("SYNC gave %v", frames)
		}
		checkAnonymousVotes(t, played.Bob, votesIn(t, frames[1]), 3, names)
	})
	t.Run("a vote after the reveal: the voter alone hears PLAYERVOTED, everyone gets REVEALGAME", func(t *testing.T) {
		played.Must(t, room.Vote(played.Carol.ID, 8))
		if got := typesOf(t, sockets[played.Carol.ID].take()); !slices.Equal(got, []string{"PLAYERVOTED", "REVEALGAME"}) {
			t.Errorf("Carol got %v", got)
		}
		got := sockets[played.Bob.ID].take()
		if !slices.Equal(typesOf(t, got), []string{"REVEALGAME"}) {
			t.Fatalf("Bob got %v: a PLAYERVOTED then a changed card would tell him whose card it is", got)
		}
		votes := votesIn(t, got[0])
		checkAnonymousVotes(t, played.Bob, votes, 3, names)
		if sum := sumOf(votes); sum != 5+3+8 {
			t.Errorf("the values add up to %v, want 16: %v", sum, votes)
		}
	})
}

// mustFrame re-encodes a votes map for comparison, keeping the order of frame.
func mustFrame(t *testing.T, votes map[string]*float64, frame string) string {
	t.Helper()
	again := votesIn(t, frame)
	if len(again) != len(votes) {
		return ""
	}
	for k, v := range votes {
		w, ok := again[k]
		if !ok || (v == nil) != (w == nil) || (v != nil && *v != *w) {
			return ""
		}
	}
	return frame
}

func sumOf(votes map[string]*float64) float64 {
	sum := 0.0
	for _, v := range votes {
		if v != nil {
			sum += *v
		}
	}
	return sum
}

// checkAnonymousVotes checks a REVEALGAME map as p receives it in a room that hides
// names: p's own vote under p's id, no card under any other player's id or alias, and
// every card there, so that the average is the round's.
func checkAnonymousVotes(t *testing.T, p game.Player, votes map[string]*float64, mine float64, names map[string]string) {
	t.Helper()
	if v := votes[p.ID.String()]; v == nil || *v != mine {
		t.Errorf("%s's own vote is %v, want %v: %v", p.Username, v, mine, votes)
	}
	var values []float64
	for key, v := range votes {
		if name, isPlayer := names[key]; isPlayer && key != p.ID.String() && v != nil {
			t.Errorf("%s's REVEALGAME puts %v next to %s", p.Username, *v, name)
		}
		if v != nil {
			values = append(values, *v)
		}
	}
	if len(values) != 3 {
		t.Errorf("%s's REVEALGAME holds %d cards, want 3: %v", p.Username, len(values), votes)
	}
}
