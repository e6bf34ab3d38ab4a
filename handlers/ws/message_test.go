package ws

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/allocs"
	"github.com/pokerd/pokerd/handlers/internal/played"
	"github.com/pokerd/pokerd/handlers/wire"
)

func wsmsgStr(s string) *string { return &s }

func TestDecodeClientMessageAccepted(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want clientMessage
	}{
		{"vote 3", `{"type":"SUBMITVOTE","payload":3}`, clientMessage{Type: msgSubmitVote, Vote: 3}},
		{"vote 0.5", `{"type":"SUBMITVOTE","payload":0.5}`, clientMessage{Type: msgSubmitVote, Vote: 0.5}},
		{"vote -1 (deck checked by the room)", `{"type":"SUBMITVOTE","payload":-1}`, clientMessage{Type: msgSubmitVote, Vote: -1}},
		{"vote 3.0", `{"type":"SUBMITVOTE","payload":3.0}`, clientMessage{Type: msgSubmitVote, Vote: 3}},
		{"vote exponent", `{"type":"SUBMITVOTE","payload":1e2}`, clientMessage{Type: msgSubmitVote, Vote: 100}},
		{"vote, spaces", ` { "payload" : 21 , "type" : "SUBMITVOTE" } `, clientMessage{Type: msgSubmitVote, Vote: 21}},
		{"observe null", `{"type":"OBSERVE","payload":null}`, clientMessage{Type: msgObserve}},
		{"observe player", `{"type":"OBSERVE","payload":{"id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","username":"Ann"}}`, clientMessage{Type: msgObserve}},
		{"sync object", `{"type":"SYNC","payload":{}}`, clientMessage{Type: msgSync}},
		{"sync null", `{"type":"SYNC","payload":null}`, clientMessage{Type: msgSync}},
		{"reset null", `{"type":"RESET","payload":null}`, clientMessage{Type: msgReset}},
		{"reset url", `{"type":"RESET","payload":"https://x.y/1"}`, clientMessage{Type: msgReset, Ticket: wsmsgStr("https://x.y/1")}},
		{"reset empty string (URL checked by the room)", `{"type":"RESET","payload":""}`, clientMessage{Type: msgReset, Ticket: wsmsgStr("")}},
		{"reset escaped url", `{"type":"RESET","payload":"https:\/\/x.y\/\u0031"}`, clientMessage{Type: msgReset, Ticket: wsmsgStr("https://x.y/1")}},
		{"reveal empty string", `{"type":"REVEAL","payload":""}`, clientMessage{Type: msgReveal}},
		{"reveal null", `{"type":"REVEAL","payload":null}`, clientMessage{Type: msgReveal}},
		{"unknown fields ignored", `{"type":"REVEAL","payload":1,"extra":[1,2]}`, clientMessage{Type: msgReveal}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeClientMessage([]byte(c.in))
			if err != nil {
				t.Fatalf("decodeClientMessage(%s): %v", c.in, err)
			}
			if !wsmsgEqual(got, c.want) {
				t.Errorf("decodeClientMessage(%s) = %s, want %s", c.in, wsmsgString(got), wsmsgString(c.want))
			}
		})
	}
}

func TestDecodeClientMessageRefused(t *testing.T) {
	cases := []struct{ name, in string }{
		{"empty", ``},
		{"not JSON", `hello`},
		{"truncated", `{"type":"SYNC","payload":`},
		{"binary garbage", "\x00\xff\xfe\x80\x01binary\x9c"},
		{"array", `[{"type":"SYNC","payload":null}]`},
		{"null", `null`},
		{"string", `"SYNC"`},
		{"number", `3`},
		{"trailing data", `{"type":"SYNC","payload":null} {}`},
		{"sync without payload", `{"type":"SYNC"}`},
		{"without type", `{"payload":1}`},
		{"empty object", `{}`},
		{"type a number", `{"type":1,"payload":null}`},
		{"type null", `{"type":null,"payload":null}`},
		{"type an object", `{"type":{"x":"SYNC"},"payload":null}`},
		{"type lower case", `{"type":"submitvote","payload":3}`},
		{"type mixed case", `{"type":"Sync","payload":null}`},
		{"Type key capitalised", `{"Type":"SYNC","payload":null}`},
		{"Payload key capitalised", `{"type":"SYNC","Payload":null}`},
		{"type with space", `{"type":"SYNC ","payload":null}`},
		{"server STATE", `{"type":"STATE","payload":{}}`},
		{"server PLAYERVOTED", `{"type":"PLAYERVOTED","payload":null}`},
		{"server REVEALGAME", `{"type":"REVEALGAME","payload":{}}`},
		{"server RESETGAME", `{"type":"RESETGAME","payload":null}`},
		{"server CONNECTED", `{"type":"CONNECTED","payload":null}`},
		{"server DISCONNECTED", `{"type":"DISCONNECTED","payload":null}`},
		{"server OBSERVING", `{"type":"OBSERVING","payload":null}`},
		{"vote string", `{"type":"SUBMITVOTE","payload":"3"}`},
		{"vote true", `{"type":"SUBMITVOTE","payload":true}`},
		{"vote null", `{"type":"SUBMITVOTE","payload":null}`},
		{"vote object", `{"type":"SUBMITVOTE","payload":{}}`},
		{"vote array", `{"type":"SUBMITVOTE","payload":[]}`},
		{"vote array of number", `{"type":"SUBMITVOTE","payload":[3]}`},
		{"vote 1e400", `{"type":"SUBMITVOTE","payload":1e400}`},
		{"vote -1e400", `{"type":"SUBMITVOTE","payload":-1e400}`},
		{"vote NaN", `{"type":"SUBMITVOTE","payload":NaN}`},
		{"vote Infinity", `{"type":"SUBMITVOTE","payload":Infinity}`},
		{"reset number", `{"type":"RESET","payload":5}`},
		{"reset object", `{"type":"RESET","payload":{}}`},
		{"reset array", `{"type":"RESET","payload":["https://x.y"]}`},
		{"reset true", `{"type":"RESET","payload":true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeClientMessage([]byte(c.in))
			if err == nil {
				t.Fatalf("decodeClientMessage(%q) = %s, want an error", c.in, wsmsgString(got))
			}
			if !errors.Is(err, errNotAMessage) {
				t.Errorf("error %v does not wrap errNotAMessage", err)
			}
			if got != (clientMessage{}) {
				t.Errorf("decodeClientMessage(%q) returned %s with its error", c.in, wsmsgString(got))
			}
		})
	}
}

func wsmsgEqual(a, b clientMessage) bool {
	if a.Type != b.Type || a.Vote != b.Vote || (a.Ticket == nil) != (b.Ticket == nil) {
		return false
	}
	return a.Ticket == nil || *a.Ticket == *b.Ticket
}

func wsmsgString(m clientMessage) string {
	ticket := "<nil>"
	if m.Ticket != nil {
		ticket = `"` + *m.Ticket + `"`
	}
	b, _ := json.Marshal(m.Vote)
	return "{Type:" + m.Type + " Vote:" + string(b) + " Ticket:" + ticket + "}"
}

// Fixtures for the event renderings: each player's id, and the alias everyone else
// sees. Carol is in no room: she stands for any other recipient.
var (
	wsmsgAnn   = game.Player{ID: uuid.MustParse("a0000000-0000-4000-8000-00000000000a"), Alias: uuid.MustParse(wsmsgAnnAlias), Username: "Ann"}
	wsmsgBob   = game.Player{ID: uuid.MustParse(wsmsgBobID), Alias: uuid.MustParse(wsmsgBobAlias), Username: "Bob"}
	wsmsgCarol = uuid.MustParse("cccccccc-0000-4000-8000-00000000000c")
)

const (
	wsmsgAnnAlias    = `a11a5000-0000-4000-8000-0000000000a1`
	wsmsgAnnJSON     = `{"id":"a0000000-0000-4000-8000-00000000000a","username":"Ann"}` // as Ann sees herself
	wsmsgAnnSeenJSON = `{"id":"` + wsmsgAnnAlias + `","username":"Ann"}`                // as everyone else sees her
	wsmsgBobID       = `0b000000-0000-4000-8000-00000000000b`
	wsmsgBobAlias    = `0b11a500-0000-4000-8000-0000000000b1`
)

// encodings counts the encodings wsFrames makes.
type encodings struct{ n atomic.Int64 }

func (c *encodings) Inc()         { c.n.Add(1) }
func (c *encodings) count() int64 { return c.n.Load() }

func wsmsgEncodings() *encodings { return &encodings{} }

// wsmsgFramesTo is the frames of ev as the player with the given id receives them.
func wsmsgFramesTo(ev *game.Event, recipient uuid.UUID) []string {
	return wsmsgFrames(wsFrames(ev, recipient, wsmsgEncodings()))
}

func wsmsgState(round game.RoundState) *game.State {
	st := &game.State{
		Game: game.GameInfo{Code: "ab12", Name: "G", Deck: game.FibonacciDeck()},
		Players: []game.PlayerState{
			{Player: wsmsgAnn, Connected: true, Admin: true, Voted: true},
			{Player: wsmsgBob},
		},
		Round: round,
	}
	if round == game.RoundRevealed {
		v := 0.5
		st.Votes = []game.Vote{{PlayerID: wsmsgAnn.ID, Alias: wsmsgAnn.Alias, Value: &v}, {PlayerID: wsmsgBob.ID, Alias: wsmsgBob.Alias}}
	}
	return st
}

func wsmsgFrames(frames [][]byte) []string {
	out := make([]string, len(frames))
	for i, f := range frames {
		out[i] = string(f)
	}
	return out
}

func TestRenderWSFrames(t *testing.T) {
	revealed := wsmsgState(game.RoundRevealed)
	voting := wsmsgState(game.RoundVoting)
	half := 0.5
	votes := []game.Vote{{PlayerID: wsmsgAnn.ID, Alias: wsmsgAnn.Alias, Value: &half}, {PlayerID: wsmsgBob.ID, Alias: wsmsgBob.Alias}}
	revealVotes := `{"` + wsmsgAnnAlias + `":0.5,"` + wsmsgBobAlias + `":null}`
	ticket := "https://example.com/browse/X-1?a=<b>&c"

	// Every case is rendered for Carol, who is not its subject: she sees everyone by alias.
	cases := []struct {
		name string
		ev   *game.Event
		want []string
	}{
		{"socket closed, other tab open", &game.Event{Kind: game.SocketClosed, Player: wsmsgAnn, LastSocket: false}, nil},
		{"socket closed, last socket", &game.Event{Kind: game.SocketClosed, Player: wsmsgAnn, LastSocket: true},
			[]string{`{"type":"DISCONNECTED","payload":` + wsmsgAnnSeenJSON + `}`}},
		{"snapshot voting", &game.Event{Kind: game.Snapshot, State: voting},
			[]string{`{"type":"STATE","payload":` + string(wire.AppendGameState(nil, voting, wire.Names{})) + `}`}},
		{"snapshot revealed", &game.Event{Kind: game.Snapshot, State: revealed, Votes: revealed.Votes},
			[]string{
				`{"type":"STATE","payload":` + string(wire.AppendGameState(nil, revealed, wire.Names{})) + `}`,
				`{"type":"REVEALGAME","payload":` + revealVotes + `}`,
			}},
		{"round started without ticket", &game.Event{Kind: game.RoundStarted},
			[]string{`{"type":"RESETGAME","payload":null}`}},
		{"round started with ticket", &game.Event{Kind: game.RoundStarted, TicketURL: &ticket},
			[]string{`{"type":"RESETGAME","payload":"https://example.com/browse/X-1?a=<b>&c"}`}},
		{"socket opened", &game.Event{Kind: game.SocketOpened, Player: wsmsgAnn,
			PlayerState: game.PlayerState{Player: wsmsgAnn, Connected: true, Admin: true, Voted: true}, State: wsmsgState(game.RoundVoting)},
			[]string{`{"type":"CONNECTED","payload":{"player":` + wsmsgAnnSeenJSON + `,"is_connected":true,"is_admin":true,"is_observing":false,"has_voted":true}}`}},
		{"vote cast", &game.Event{Kind: game.VoteCast, Player: wsmsgAnn, Value: 3},
			[]string{`{"type":"PLAYERVOTED","payload":` + wsmsgAnnSeenJSON + `}`}},
		{"observing toggled", &game.Event{Kind: game.ObservingToggled, Player: wsmsgAnn},
			[]string{`{"type":"OBSERVING","payload":` + wsmsgAnnSeenJSON + `}`}},
		{"revealed", &game.Event{Kind: game.Revealed, Votes: votes},
			[]string{`{"type":"REVEALGAME","payload":` + revealVotes + `}`}},
		{"revealed, nobody seated", &game.Event{Kind: game.Revealed},
			[]string{`{"type":"REVEALGAME","payload":{}}`}},
		{"player joined", &game.Event{Kind: game.PlayerJoined, Player: wsmsgAnn, Admin: true}, nil},
		{"room created", &game.Event{Kind: game.RoomCreated, Game: &game.GameInfo{Code: "ab12"}}, nil},
		{"room closed", &game.Event{Kind: game.RoomClosed}, nil},
		{"unknown kind", &game.Event{Kind: game.EventKind(99)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := wsmsgFramesTo(c.ev, wsmsgCarol)
			if len(got) != len(c.want) {
				t.Fatalf("%d frames %q, want %d %q", len(got), got, len(c.want), c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("frame %d:\n got %s\nwant %s", i, got[i], c.want[i])
				}
				if !json.Valid([]byte(got[i])) {
					t.Errorf("frame %d is not valid JSON: %s", i, got[i])
				}
			}
		})
	}
}

// TestWSFramesNameTheRecipientByItsID: each recipient sees itself by its real id and
// every other player by alias, in a message about one player and in one about all.
func TestWSFramesNameTheRecipientByItsID(t *testing.T) {
	annID := wsmsgAnn.ID.String()
	t.Run("a message about one player names them by id to their own sockets only", func(t *testing.T) {
		for _, ev := range []*game.Event{
			{Kind: game.VoteCast, Player: wsmsgAnn, Value: 3},
			{Kind: game.ObservingToggled, Player: wsmsgAnn},
			{Kind: game.SocketClosed, Player: wsmsgAnn, LastSocket: true},
			{Kind: game.SocketOpened, Player: wsmsgAnn, PlayerState: game.PlayerState{Player: wsmsgAnn, Connected: true}, State: wsmsgState(game.RoundVoting)},
		} {
			own := strings.Join(wsmsgFramesTo(ev, wsmsgAnn.ID), "")
			if !strings.Contains(own, `"id":"`+annID+`"`) || strings.Contains(own, wsmsgAnnAlias) {
				t.Errorf("%v to Ann herself: %s", ev.Kind, own)
			}
			for _, other := range []uuid.UUID{wsmsgBob.ID, wsmsgCarol} {
				seen := strings.Join(wsmsgFramesTo(ev, other), "")
				if !strings.Contains(seen, `"id":"`+wsmsgAnnAlias+`"`) || strings.Contains(seen, annID) {
					t.Errorf("%v to %s: %s", ev.Kind, other, seen)
				}
			}
		}
	})

	t.Run("a STATE and a REVEALGAME name their recipient by id exactly where its alias was", func(t *testing.T) {
		st := wsmsgState(game.RoundRevealed)
		ev := &game.Event{Kind: game.Snapshot, State: st, Votes: st.Votes}
		shared := wsmsgFramesTo(ev, wsmsgCarol)
		for _, p := range []game.Player{wsmsgAnn, wsmsgBob} {
			got := wsmsgFramesTo(ev, p.ID)
			if len(got) != 2 {
				t.Fatalf("%s got %d frames", p.Username, len(got))
			}
			for i := range got {
				want := strings.ReplaceAll(shared[i], p.Alias.String(), p.ID.String())
				if got[i] != want {
					t.Errorf("%s's frame %d:\n got %s\nwant %s", p.Username, i, got[i], want)
				}
				if strings.Count(got[i], p.ID.String()) != strings.Count(shared[i], p.Alias.String()) || strings.Contains(got[i], p.Alias.String()) {
					t.Errorf("%s's frame %d names them by alias, or too often by id: %s", p.Username, i, got[i])
				}
				for _, other := range []game.Player{wsmsgAnn, wsmsgBob} {
					if other != p && strings.Contains(got[i], other.ID.String()) {
						t.Errorf("%s's frame %d carries %s's id: %s", p.Username, i, other.Username, got[i])
					}
				}
			}
			var state played.GameState
			if err := json.Unmarshal([]byte(got[0][len(`{"type":"STATE","payload":`):len(got[0])-1]), &state); err != nil {
				t.Fatal(err)
			}
			if me, ok := state.PlayerStates[p.ID.String()]; !ok || me.Player.ID != p.ID.String() || me.Player.Username != p.Username {
				t.Errorf("%s does not find themself by id in player_states: %s", p.Username, got[0])
			}
		}
		for _, id := range []string{annID, wsmsgBobID} {
			if strings.Contains(strings.Join(shared, ""), id) {
				t.Errorf("the frames for anyone carry the id %s: %s", id, shared)
			}
		}
	})
}

func TestWSFramesMemoized(t *testing.T) {
	events := []*game.Event{
		{Kind: game.Snapshot, State: wsmsgState(game.RoundRevealed), Votes: wsmsgState(game.RoundRevealed).Votes},
		{Kind: game.VoteCast, Player: wsmsgAnn, Value: 1},
		{Kind: game.RoundStarted},
	}
	for _, ev := range events {
		encodings := wsmsgEncodings()
		first := wsFrames(ev, wsmsgCarol, encodings)
		second := wsFrames(ev, wsmsgCarol, encodings)
		if len(first) == 0 || len(first) != len(second) {
			t.Fatalf("%v: %d then %d frames", ev.Kind, len(first), len(second))
		}
		if &first[0] != &second[0] {
			t.Errorf("%v: the second call built a new frame list", ev.Kind)
		}
		for i := range first {
			if &first[i][0] != &second[i][0] {
				t.Errorf("%v: frame %d was encoded again", ev.Kind, i)
			}
		}
		if n := encodings.count(); n != 1 {
			t.Errorf("%v: %v encodings for one recipient", ev.Kind, n)
		}
	}

	// An event without frames is memoized as none, too.
	none := &game.Event{Kind: game.PlayerJoined, Player: wsmsgAnn}
	if f := wsFrames(none, wsmsgCarol, wsmsgEncodings()); f != nil {
		t.Errorf("PlayerJoined: %q", wsmsgFrames(f))
	}
	if f := wsFrames(none, wsmsgCarol, wsmsgEncodings()); f != nil {
		t.Errorf("PlayerJoined, again: %q", wsmsgFrames(f))
	}

	// Many sockets at once share two encodings: Bob's own, and everyone else's.
	ev := &game.Event{Kind: game.ObservingToggled, Player: wsmsgBob}
	encodings := wsmsgEncodings()
	var wg sync.WaitGroup
	results := make([][][]byte, 16)
	for i := range results {
		recipient := wsmsgCarol
		if i%2 == 1 {
			recipient = wsmsgBob.ID
		}
		wg.Go(func() { results[i] = wsFrames(ev, recipient, encodings) })
	}
	wg.Wait()
	for i, r := range results {
		if &r[0][0] != &results[i%2][0][0] {
			t.Errorf("goroutine %d got its own encoding", i)
		}
	}
	if n := encodings.count(); n != 2 {
		t.Errorf("%v encodings, want 2", n)
	}
}

// wsmsgRecorder is a Subscriber that keeps every event, for the socket of player id.
type wsmsgRecorder struct {
	id     uuid.UUID
	mu     sync.Mutex
	events []*game.Event
}

func (r *wsmsgRecorder) Deliver(ev *game.Event) {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
}

// take returns the frames of the events received since the last call.
func (r *wsmsgRecorder) take() []string {
	r.mu.Lock()
	evs := r.events
	r.events = nil
	r.mu.Unlock()
	var out []string
	for _, ev := range evs {
		out = append(out, wsmsgFramesTo(ev, r.id)...)
	}
	return out
}

type wsmsgClock struct{ now time.Time }

func (c wsmsgClock) Now() time.Time { return c.now }

func (c wsmsgClock) AfterFunc(d time.Duration, f func()) game.Timer { return time.AfterFunc(d, f) }

// TestWSFramesFromRoom renders the events a real room emits, as a socket sees them.
func TestWSFramesFromRoom(t *testing.T) {
	db, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 5, 1, 14, 34, 56, 789012345, time.FixedZone("CEST", 2*60*60))
	reg := game.NewRegistry(game.RegistryConfig{
		Decks: db, Clock: wsmsgClock{now}, NewCode: func() string { return "ab12" },
	})
	room, err := reg.Create("Sprint & <co>", 1, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []game.Player{wsmsgAnn, wsmsgBob} {
		if err := room.Join(game.Player{ID: p.ID, Username: p.Username}); err != nil {
			t.Fatal(err)
		}
	}
	// Ann's socket: she sees herself by id, Bob by the alias the room gave him.
	bobSeat, err := room.Seat(wsmsgBob.ID)
	if err != nil {
		t.Fatal(err)
	}
	bobAlias := bobSeat.Player.Alias.String()
	if bobAlias == wsmsgBobID {
		t.Fatalf("Bob's alias is his id")
	}
	bobJSON := `{"id":"` + bobAlias + `","username":"Bob"}`
	gameJSON := `{"name":"Sprint & <co>","deck_id":1,"game_settings":{},"code":"ab12"}`
	check := func(step string, got []string, want ...string) {
		t.Helper()
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s:\n got %s\nwant %s", step, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
	}

	ann := &wsmsgRecorder{id: wsmsgAnn.ID}
	if err := room.Connect(wsmsgAnn.ID, ann); err != nil {
		t.Fatal(err)
	}
	check("connect", ann.take(),
		`{"type":"STATE","payload":{"game":`+gameJSON+`,"player_states":{`+
			`"a0000000-0000-4000-8000-00000000000a":{"player":`+wsmsgAnnJSON+`,"is_connected":true,"is_admin":true,"is_observing":false,"has_voted":false},`+
			`"`+bobAlias+`":{"player":`+bobJSON+`,"is_connected":false,"is_admin":false,"is_observing":false,"has_voted":false}},`+
			`"ticket_url":null,"round_state":"INIT","round_start":null}}`,
		`{"type":"CONNECTED","payload":{"player":`+wsmsgAnnJSON+`,"is_connected":true,"is_admin":true,"is_observing":false,"has_voted":false}}`)

	ticket := "HTTPS://Example.COM"
	if err := room.StartRound(wsmsgAnn.ID, &ticket); err != nil {
		t.Fatal(err)
	}
	check("reset", ann.take(), `{"type":"RESETGAME","payload":"https://example.com/"}`)

	if err := room.Vote(wsmsgBob.ID, 0.5); err != nil {
		t.Fatal(err)
	}
	if err := room.ToggleObserving(wsmsgBob.ID); err != nil {
		t.Fatal(err)
	}
	check("vote, observe", ann.take(),
		`{"type":"PLAYERVOTED","payload":`+bobJSON+`}`,
		`{"type":"OBSERVING","payload":`+bobJSON+`}`)

	if err := room.Reveal(wsmsgAnn.ID); err != nil {
		t.Fatal(err)
	}
	reveal := `{"type":"REVEALGAME","payload":{"a0000000-0000-4000-8000-00000000000a":null,"` + bobAlias + `":0.5}}`
	check("reveal", ann.take(), reveal)

	room.Sync(ann)
	check("sync", ann.take(),
		`{"type":"STATE","payload":{"game":`+gameJSON+`,"player_states":{`+
			`"a0000000-0000-4000-8000-00000000000a":{"player":`+wsmsgAnnJSON+`,"is_connected":true,"is_admin":true,"is_observing":false,"has_voted":false},`+
			`"`+bobAlias+`":{"player":`+bobJSON+`,"is_connected":false,"is_admin":false,"is_observing":true,"has_voted":true}},`+
			`"ticket_url":"https://example.com/","round_state":"REVEALED","round_start":"2024-05-01T12:34:56.789012Z"}}`,
		reveal)

	// A second tab: closing it says nothing, closing the last one says DISCONNECTED.
	tab1, tab2 := &wsmsgRecorder{id: wsmsgBob.ID}, &wsmsgRecorder{id: wsmsgBob.ID}
	if err := room.Connect(wsmsgBob.ID, tab1); err != nil {
		t.Fatal(err)
	}
	if err := room.Connect(wsmsgBob.ID, tab2); err != nil {
		t.Fatal(err)
	}
	ann.take()
	room.Disconnect(wsmsgBob.ID, tab2)
	check("close a second tab", ann.take())
	room.Disconnect(wsmsgBob.ID, tab1)
	check("close the last tab", ann.take(), `{"type":"DISCONNECTED","payload":`+bobJSON+`}`)

	room.Disconnect(wsmsgAnn.ID, ann)
	check("own disconnect", ann.take())
	if _, err := reg.Room("ab12"); err == nil {
		t.Errorf("the room outlived its last socket with no grace period")
	}
}

// FuzzDecodeClientMessage checks that no frame panics the decoder, that its work stays
// within a small multiple of the frame's size, and that whatever it accepts is a
// well-formed client message, no larger than the frame, that survives re-encoding.
func FuzzDecodeClientMessage(f *testing.F) {
	seeds := []string{
		`{"type":"SUBMITVOTE","payload":3}`,
		`{"type":"SUBMITVOTE","payload":0.5}`,
		`{"type":"SUBMITVOTE","payload":-1}`,
		`{"type":"SUBMITVOTE","payload":-0}`,
		`{"type":"SUBMITVOTE","payload":1.5e-7}`,
		`{"type":"OBSERVE","payload":null}`,
		`{"type":"OBSERVE","payload":{"id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","username":"Ann"}}`,
		`{"type":"SYNC","payload":{}}`,
		`{"type":"RESET","payload":null}`,
		`{"type":"RESET","payload":"https://x.y/1"}`,
		`{"type":"RESET","payload":"\u2028<a>\ud83c\udccf\ud800"}`,
		`{"type":"REVEAL","payload":""}`,
		`hello`,
		"\x00\xff\xfe\x80\x01binary\x9c",
		`[{"type":"SYNC","payload":null}]`,
		`null`,
		`{"type":"SYNC"}`,
		`{"payload":1}`,
		`{"type":1,"payload":null}`,
		`{"type":null,"payload":null}`,
		`{"type":"submitvote","payload":3}`,
		`{"type":"STATE","payload":{}}`,
		`{"type":"PLAYERVOTED","payload":null}`,
		`{"type":"REVEALGAME","payload":{}}`,
		`{"type":"SUBMITVOTE","payload":"3"}`,
		`{"type":"SUBMITVOTE","payload":true}`,
		`{"type":"SUBMITVOTE","payload":null}`,
		`{"type":"SUBMITVOTE","payload":{}}`,
		`{"type":"SUBMITVOTE","payload":[]}`,
		`{"type":"SUBMITVOTE","payload":1e400}`,
		`{"type":"RESET","payload":5}`,
		`{"type":"RESET","payload":{}}`,
		`{"type":"SUBMITVOTE","payload":3,"type":"RESET"}`,
		`{"type":"SYNC","payload":null} {}`,
		// Attacks: numbers that cost work in proportion to their exponent or length,
		// and text that a room would carry to every socket.
		`{"type":"SUBMITVOTE","payload":1e100000000}`,
		`{"type":"SUBMITVOTE","payload":-1e-100000000}`,
		`{"type":"SUBMITVOTE","payload":` + strings.Repeat("9", 1000) + `}`,
		`{"type":"ESTIMATE","payload":{"round":1e100000000,"estimate":"8"}}`,
		`{"type":"ESTIMATE","payload":{"round":1,"estimate":"` + strings.Repeat("8", 300) + `"}}`,
		`{"type":"RESET","payload":"https://x.y/` + strings.Repeat("x", 500) + `"}`,
		`{"type":"OPTIONS","payload":{"auto_reveal":true,"x":` + strings.Repeat("[", 300) + `}}`,
		`{"type":"HANDOFF","payload":"` + strings.Repeat("f", 300) + `"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	clientTypes := map[string]bool{msgSubmitVote: true, msgObserve: true, msgSync: true, msgReset: true, msgReveal: true}
	// The facilitation messages are decoded too; FuzzDecodeFacilitationMessage checks them.
	facilitationTypes := map[string]bool{msgOptions: true, msgHandOff: true, msgRemove: true, msgEstimate: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		var msg clientMessage
		var err error
		allocs.Bounded(t, len(data), 256<<10, 32, func() { msg, err = decodeClientMessage(data) })
		if err != nil {
			if len(err.Error()) > 200+len(data) {
				t.Fatalf("an error of %d bytes for a frame of %d", len(err.Error()), len(data))
			}
			if !errors.Is(err, errNotAMessage) {
				t.Fatalf("error %v does not wrap errNotAMessage", err)
			}
			return
		}
		// Text grows by at most three times: the JSON decoder makes each byte that is not
		// UTF-8 into U+FFFD, three bytes (found by fuzzing, in the corpus).
		if len(msg.Estimate) > 3*len(data) {
			t.Fatalf("an estimate of %d bytes from a frame of %d", len(msg.Estimate), len(data))
		}
		if facilitationTypes[msg.Type] {
			return
		}
		if !clientTypes[msg.Type] {
			t.Fatalf("accepted type %q from %q", msg.Type, data)
		}
		if !json.Valid(data) {
			t.Fatalf("accepted a frame that is not JSON: %q", data)
		}
		if msg.Type == msgSubmitVote && (math.IsNaN(msg.Vote) || math.IsInf(msg.Vote, 0)) {
			t.Fatalf("accepted a vote that is not finite: %v from %q", msg.Vote, data)
		}
		if msg.Type != msgSubmitVote && msg.Vote != 0 {
			t.Fatalf("%s carries a vote %v", msg.Type, msg.Vote)
		}
		if msg.Type != msgReset && msg.Ticket != nil {
			t.Fatalf("%s carries a ticket %q", msg.Type, *msg.Ticket)
		}
		if msg.Ticket != nil && len(*msg.Ticket) > 3*len(data) {
			t.Fatalf("a ticket of %d bytes from a frame of %d", len(*msg.Ticket), len(data))
		}

		// Re-encode with the server's own encoder and decode again.
		b := append([]byte(nil), `{"type":`...)
		b = wire.AppendString(b, msg.Type)
		b = append(b, `,"payload":`...)
		switch msg.Type {
		case msgSubmitVote:
			b = wire.AppendFloat(b, msg.Vote)
		case msgReset:
			b = wire.AppendOptionalString(b, msg.Ticket)
		default:
			b = append(b, "null"...)
		}
		b = append(b, '}')
		again, err := decodeClientMessage(b)
		if err != nil {
			t.Fatalf("re-encoded %s (from %q) is refused: %v", b, data, err)
		}
		if !wsmsgEqual(again, msg) || math.Signbit(again.Vote) != math.Signbit(msg.Vote) {
			t.Fatalf("re-encoded %s decodes to %s, want %s (from %q)", b, wsmsgString(again), wsmsgString(msg), data)
		}
	})
}

// TestStateFrameGolden pins one whole STATE frame, byte for byte, as Bea receives it:
// she is named by her id, Al by his alias.
func TestStateFrameGolden(t *testing.T) {
	ticket := "https://example.com/t/1"
	start := time.Date(2024, 5, 1, 14, 34, 56, 789012345, time.FixedZone("CEST", 2*60*60))
	bea := game.Player{ID: uuid.MustParse("b0000000-0000-4000-8000-000000000002"), Alias: uuid.MustParse("b1a50000-0000-4000-8000-0000000000b1"), Username: "Bea"}
	ev := &game.Event{
		Seq:  9,
		Kind: game.Snapshot,
		State: &game.State{
			Game: game.GameInfo{
				Code:     "ab12",
				Name:     "Sprint <42> & \"co\"",
				Deck:     game.FibonacciDeck(),
				Settings: game.GameSettings{RoundTimer: &game.RoundTimerSettings{Maximum: 5, Warning: 4}},
			},
			Players: []game.PlayerState{
				{Player: bea, Connected: true, Admin: true, Voted: true},
				{Player: game.Player{ID: uuid.MustParse("a0000000-0000-4000-8000-000000000001"), Alias: uuid.MustParse("a1a50000-0000-4000-8000-0000000000a1"), Username: "Al\n"}, Observing: true},
			},
			TicketURL:  &ticket,
			Round:      game.RoundVoting,
			RoundStart: &start,
		},
	}
	frames := wsFrames(ev, bea.ID, wsmsgEncodings())
	if len(frames) != 1 {
		t.Fatalf("want 1 frame, got %d", len(frames))
	}
	want := `{"type":"STATE","payload":{` +
		`"game":{"name":"Sprint <42> & \"co\"","deck_id":1,"game_settings":{"round_timer_settings":{"maximum":5,"warning":4}},"code":"ab12"},` +
		`"player_states":{` +
		`"b0000000-0000-4000-8000-000000000002":{"player":{"id":"b0000000-0000-4000-8000-000000000002","username":"Bea"},"is_connected":true,"is_admin":true,"is_observing":false,"has_voted":true},` +
		`"a1a50000-0000-4000-8000-0000000000a1":{"player":{"id":"a1a50000-0000-4000-8000-0000000000a1","username":"Al\n"},"is_connected":false,"is_admin":false,"is_observing":true,"has_voted":false}},` +
		`"ticket_url":"https://example.com/t/1","round_state":"VOTING","round_start":"2024-05-01T12:34:56.789012Z"}}`
	if got := string(frames[0]); got != want {
		t.Errorf("STATE frame:\n got %s\nwant %s", got, want)
	}
	if !json.Valid(frames[0]) {
		t.Errorf("STATE frame is not valid JSON")
	}
}

// played.GameState is a STATE payload as a client decodes it.
