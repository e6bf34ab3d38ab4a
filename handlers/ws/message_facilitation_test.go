package ws

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/wire"
)

// facBob is the alias by which the sender of a HANDOFF or a REMOVE names Bob.
const facBob = "0b11a500-0000-4000-8000-0000000000b1"

// facDescribe writes a message with its facilitation fields, for failure messages.
func facDescribe(m clientMessage) string {
	opts := "<nil>"
	if o := m.Options; o != nil {
		opts = fmt.Sprint(*o)
	}
	return fmt.Sprintf("{Type:%s Options:%s Alias:%s Round:%d Estimate:%q}", m.Type, opts, m.Alias, m.Round, m.Estimate)
}

func TestDecodeFacilitationMessages(t *testing.T) {
	bob := uuid.MustParse(facBob)
	cases := []struct {
		name string
		in   string
		want clientMessage
	}{
		{"options, one rule", `{"type":"OPTIONS","payload":{"auto_reveal":true}}`,
			clientMessage{Type: msgOptions, Options: &optionsChange{"auto_reveal": true}}},
		{"options, every rule", `{"type":"OPTIONS","payload":{"auto_reveal":false,"reveal_on_timer":true,"facilitator_free":true,"hide_names":false}}`,
			clientMessage{Type: msgOptions, Options: &optionsChange{"auto_reveal": false, "reveal_on_timer": true, "facilitator_free": true, "hide_names": false}}},
		{"options, none (changes nothing)", `{"type":"OPTIONS","payload":{}}`,
			clientMessage{Type: msgOptions, Options: &optionsChange{}}},
		{"options, unknown keys ignored", `{"type":"OPTIONS","payload":{"hide_names":true,"max_players":3}}`,
			clientMessage{Type: msgOptions, Options: &optionsChange{"hide_names": true}}},
		{"options, spaces", `{"type":"OPTIONS","payload": { "hide_names" : true } }`,
			clientMessage{Type: msgOptions, Options: &optionsChange{"hide_names": true}}},
		{"handoff", `{"type":"HANDOFF","payload":"` + facBob + `"}`, clientMessage{Type: msgHandOff, Alias: bob}},
		{"handoff, upper case", `{"type":"HANDOFF","payload":"` + strings.ToUpper(facBob) + `"}`, clientMessage{Type: msgHandOff, Alias: bob}},
		{"handoff, urn form", `{"type":"HANDOFF","payload":"urn:uuid:` + facBob + `"}`, clientMessage{Type: msgHandOff, Alias: bob}},
		{"remove", `{"type":"REMOVE","payload":"` + facBob + `"}`, clientMessage{Type: msgRemove, Alias: bob}},
		{"remove, no hyphens", `{"type":"REMOVE","payload":"` + strings.ReplaceAll(facBob, "-", "") + `"}`, clientMessage{Type: msgRemove, Alias: bob}},
		{"estimate", `{"type":"ESTIMATE","payload":{"round":2,"estimate":"5"}}`, clientMessage{Type: msgEstimate, Round: 2, Estimate: "5"}},
		{"estimate, empty (clears it; the room decides)", `{"type":"ESTIMATE","payload":{"estimate":"","round":1}}`, clientMessage{Type: msgEstimate, Round: 1}},
		{"estimate, a negative round (the room decides)", `{"type":"ESTIMATE","payload":{"round":-1,"estimate":"M"}}`, clientMessage{Type: msgEstimate, Round: -1, Estimate: "M"}},
		{"estimate, escaped text", `{"type":"ESTIMATE","payload":{"round":1,"estimate":"\u00bd <b>"}}`, clientMessage{Type: msgEstimate, Round: 1, Estimate: "½ <b>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeClientMessage([]byte(c.in))
			if err != nil {
				t.Fatalf("decodeClientMessage(%s): %v", c.in, err)
			}
			if facDescribe(got) != facDescribe(c.want) {
				t.Errorf("decodeClientMessage(%s)\n got %s\nwant %s", c.in, facDescribe(got), facDescribe(c.want))
			}
		})
	}
}

func TestDecodeFacilitationMessagesRefused(t *testing.T) {
	cases := []struct{ name, in string }{
		{"options without payload", `{"type":"OPTIONS"}`},
		{"options null", `{"type":"OPTIONS","payload":null}`},
		{"options a list", `{"type":"OPTIONS","payload":[{"auto_reveal":true}]}`},
		{"options a string", `{"type":"OPTIONS","payload":"auto_reveal"}`},
		{"options, a rule null", `{"type":"OPTIONS","payload":{"auto_reveal":null}}`},
		{"options, a rule a string", `{"type":"OPTIONS","payload":{"auto_reveal":"true"}}`},
		{"options, a rule a number", `{"type":"OPTIONS","payload":{"hide_names":1}}`},
		{"options, lower-case type", `{"type":"options","payload":{}}`},
		{"handoff null", `{"type":"HANDOFF","payload":null}`},
		{"handoff a number", `{"type":"HANDOFF","payload":42}`},
		{"handoff an object", `{"type":"HANDOFF","payload":{"id":"` + facBob + `"}}`},
		{"handoff not a UUID", `{"type":"HANDOFF","payload":"Bob"}`},
		{"handoff empty", `{"type":"HANDOFF","payload":""}`},
		{"remove a list", `{"type":"REMOVE","payload":["` + facBob + `"]}`},
		{"remove a UUID too long", `{"type":"REMOVE","payload":"` + facBob + `0"}`},
		{"estimate null", `{"type":"ESTIMATE","payload":null}`},
		{"estimate a string", `{"type":"ESTIMATE","payload":"5"}`},
		{"estimate without round", `{"type":"ESTIMATE","payload":{"estimate":"5"}}`},
		{"estimate without estimate", `{"type":"ESTIMATE","payload":{"round":1}}`},
		{"estimate, round a string", `{"type":"ESTIMATE","payload":{"round":"1","estimate":"5"}}`},
		{"estimate, round a fraction", `{"type":"ESTIMATE","payload":{"round":1.5,"estimate":"5"}}`},
		{"estimate, round 1.0", `{"type":"ESTIMATE","payload":{"round":1.0,"estimate":"5"}}`},
		{"estimate, round too big", `{"type":"ESTIMATE","payload":{"round":1e30,"estimate":"5"}}`},
		{"estimate, round null", `{"type":"ESTIMATE","payload":{"round":null,"estimate":"5"}}`},
		{"estimate, estimate a number", `{"type":"ESTIMATE","payload":{"round":1,"estimate":5}}`},
		{"estimate, estimate null", `{"type":"ESTIMATE","payload":{"round":1,"estimate":null}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeClientMessage([]byte(c.in))
			if !errors.Is(err, errNotAMessage) {
				t.Fatalf("decodeClientMessage(%s) = %s, %v; want an errNotAMessage", c.in, facDescribe(got), err)
			}
			if got != (clientMessage{}) {
				t.Errorf("decodeClientMessage(%s) returned %s with its error", c.in, facDescribe(got))
			}
		})
	}
}

func TestOptionsChangeApply(t *testing.T) {
	current := game.RoomOptions{AutoReveal: true, HideNames: true}
	cases := []struct {
		name   string
		change optionsChange
		want   game.RoomOptions
	}{
		{"nothing named keeps everything", optionsChange{}, current},
		{"one switched off", optionsChange{"auto_reveal": false}, game.RoomOptions{HideNames: true}},
		{"one switched on", optionsChange{"facilitator_free": true}, game.RoomOptions{AutoReveal: true, FacilitatorFree: true, HideNames: true}},
		{"all named", optionsChange{"auto_reveal": false, "reveal_on_timer": true, "facilitator_free": false, "hide_names": false}, game.RoomOptions{RevealOnTimer: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.change.applyTo(current); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestAppendGameRules(t *testing.T) {
	timer := &game.RoundTimerSettings{Maximum: 5, Warning: 4}
	cases := []struct {
		name     string
		settings game.GameSettings
		want     string
	}{
		{"defaults: the reference's bytes", game.GameSettings{}, `{}`},
		{"a timer alone", game.GameSettings{RoundTimer: timer}, `{"round_timer_settings":{"maximum":5,"warning":4}}`},
		{"capacity", game.GameSettings{MaxPlayers: 8}, `{"max_players":8}`},
		{"one option", game.GameSettings{Options: game.RoomOptions{HideNames: true}}, `{"hide_names":true}`},
		{"everything, timer first", game.GameSettings{RoundTimer: timer, MaxPlayers: 2, Options: game.RoomOptions{AutoReveal: true, RevealOnTimer: true, FacilitatorFree: true, HideNames: true}},
			`{"round_timer_settings":{"maximum":5,"warning":4},"max_players":2,"auto_reveal":true,"reveal_on_timer":true,"facilitator_free":true,"hide_names":true}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(wire.AppendGame(nil, game.GameInfo{Code: "ab12", Name: "G", Deck: game.FibonacciDeck(), Settings: c.settings}))
			want := `{"name":"G","deck_id":1,"game_settings":` + c.want + `,"code":"ab12"}`
			if got != want {
				t.Errorf("\n got %s\nwant %s", got, want)
			}
			if !json.Valid([]byte(got)) {
				t.Errorf("not JSON: %s", got)
			}
		})
	}
}

// TestFacilitatorFreeFrames checks that in a facilitator-free room every player is
// written as an admin, in STATE and in CONNECTED, and nowhere else.
func TestFacilitatorFreeFrames(t *testing.T) {
	free := game.RoomOptions{FacilitatorFree: true}
	st := wsmsgState(game.RoundVoting)
	st.Game.Settings.Options = free
	state := strings.Join(wsmsgFramesTo(&game.Event{Kind: game.Snapshot, State: st}, wsmsgAnn.ID), "")
	if strings.Contains(state, `"is_admin":false`) || strings.Count(state, `"is_admin":true`) != 2 {
		t.Errorf("STATE of a facilitator-free room: %s", state)
	}

	bob := game.PlayerState{Player: wsmsgBob, Connected: true}
	opened := func(rules game.RoomOptions) *game.Event {
		after := wsmsgState(game.RoundVoting)
		after.Game.Settings.Options = rules
		return &game.Event{Kind: game.SocketOpened, Player: wsmsgBob, PlayerState: bob, State: after}
	}
	if got := wsmsgFramesTo(opened(free), wsmsgAnn.ID)[0]; !strings.Contains(got, `"is_admin":true`) {
		t.Errorf("CONNECTED in a facilitator-free room: %s", got)
	}
	if got := wsmsgFramesTo(opened(game.RoomOptions{}), wsmsgAnn.ID)[0]; !strings.Contains(got, `"is_admin":false`) {
		t.Errorf("CONNECTED in a room with a facilitator: %s", got)
	}
}

// TestConnectedCarriesTheRulesInForce checks that the room tells each CONNECTED the
// rules in force when the socket opened, so that it is written alike on every socket.
func TestConnectedCarriesTheRulesInForce(t *testing.T) {
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := game.Player{ID: uuid.New(), Username: "a"}, game.Player{ID: uuid.New(), Username: "b"}
	for _, p := range []game.Player{alice, bob} {
		if err := room.Join(p); err != nil {
			t.Fatal(err)
		}
	}
	rec := &eventRecorder{}
	if err := room.Connect(alice.ID, rec); err != nil {
		t.Fatal(err)
	}
	if err := room.SetOptions(alice.ID, game.RoomOptions{FacilitatorFree: true}); err != nil {
		t.Fatal(err)
	}
	if err := room.Connect(bob.ID, nil); err != nil {
		t.Fatal(err)
	}
	last := rec.evs[len(rec.evs)-1]
	if last.Kind != game.SocketOpened || !last.State.Game.Settings.Options.FacilitatorFree {
		t.Fatalf("last event %v with rules %+v", last.Kind, last.State.Game.Settings.Options)
	}
	if got := wsmsgFramesTo(last, alice.ID)[0]; !strings.Contains(got, `"is_admin":true`) {
		t.Errorf("CONNECTED after the room went facilitator-free: %s", got)
	}
}

type eventRecorder struct{ evs []*game.Event }

func (r *eventRecorder) Deliver(ev *game.Event) { r.evs = append(r.evs, ev) }

// FuzzDecodeFacilitationMessage checks that the facilitation messages decode only from
// well-formed frames, and carry only their own fields.
func FuzzDecodeFacilitationMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"OPTIONS","payload":{"auto_reveal":true,"hide_names":false}}`,
		`{"type":"OPTIONS","payload":{}}`,
		`{"type":"OPTIONS","payload":{"auto_reveal":null}}`,
		`{"type":"HANDOFF","payload":"` + facBob + `"}`,
		`{"type":"REMOVE","payload":"{` + facBob + `}"}`,
		`{"type":"REMOVE","payload":null}`,
		`{"type":"ESTIMATE","payload":{"round":1,"estimate":"5"}}`,
		`{"type":"ESTIMATE","payload":{"round":1.5,"estimate":"5"}}`,
		`{"type":"ESTIMATE","payload":{"round":-0,"estimate":"\ud800"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := decodeClientMessage(data)
		if err != nil {
			if !errors.Is(err, errNotAMessage) {
				t.Fatalf("error %v does not wrap errNotAMessage", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted a frame that is not JSON: %q", data)
		}
		if (msg.Options != nil) != (msg.Type == msgOptions) {
			t.Fatalf("%s with options %v", msg.Type, msg.Options)
		}
		if msg.Alias != uuid.Nil && msg.Type != msgHandOff && msg.Type != msgRemove {
			t.Fatalf("%s names player %s", msg.Type, msg.Alias)
		}
		if msg.Type != msgEstimate && (msg.Round != 0 || msg.Estimate != "") {
			t.Fatalf("%s carries an estimate %d %q", msg.Type, msg.Round, msg.Estimate)
		}
	})
}
