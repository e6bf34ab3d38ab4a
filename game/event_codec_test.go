package game

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// everyKind is one event of each kind a room's history holds, every field apply reads
// set to something other than its zero value.
func everyKind(t *testing.T) []*Event {
	t.Helper()
	hash, err := HashPasscode("open sesame")
	mustOK(t, err)
	at := testStart.UTC()
	a := Player{ID: alice.ID, Alias: uuid.MustParse("00000000-0000-4000-8000-0000000000aa"), Username: "alice"}
	b := Player{ID: bob.ID, Alias: uuid.MustParse("00000000-0000-4000-8000-0000000000bb"), Username: "bob ☕"}
	game := &GameInfo{Code: "abcd", Name: "Sprint 12", Deck: Deck{ID: 1_000_003, Name: "Own", Cards: []Card{
		{"0", 0, false}, {"½", 0.5, false}, {"?", 100, true},
	}}, Settings: GameSettings{
		RoundTimer: &RoundTimerSettings{Maximum: 5, Warning: 4}, MaxPlayers: 12, Passcode: hash,
		Options: RoomOptions{AutoReveal: true, RevealOnTimer: true},
	}}
	evs := []*Event{
		{Kind: RoomCreated, Game: game, RecordLimit: 50},
		{Kind: PlayerJoined, Player: a, Admin: true},
		{Kind: SocketOpened, Player: a, ByPage: true},
		{Kind: SocketClosed, Player: a, ByPage: true, LastSocket: true},
		{Kind: VoteCast, Player: b, Value: 0.5, Unsure: true},
		{Kind: ObservingToggled, Player: b},
		{Kind: RoundStarted, TicketURL: ptr("https://tracker.example/PROJ-1"), Story: &Story{ID: 2, Key: "PROJ-1", Title: "Login ☕", Link: ptr("https://tracker.example/PROJ-1")}},
		{Kind: Revealed, Cause: TimerRanOut},
		{Kind: RoomClosed},
		{Kind: OptionsChanged, Options: RoomOptions{FacilitatorFree: true, HideNames: true}},
		{Kind: FacilitatorChanged, Player: b, Cause: AwayTimeout},
		{Kind: PlayerRemoved, Player: b, Cause: LeftByChoice},
		{Kind: EstimateSet, Round: 3, Estimate: "8 ☕"},
		{Kind: SeatsReleased, Released: []Player{a, b}},
		{Kind: StoriesAdded, Stories: []Story{{ID: 1, Title: "Sign up"}, {ID: 2, Key: "PROJ-1", Title: "Login ☕", Link: ptr("https://tracker.example/PROJ-1")}}},
		{Kind: StoryChanged, Story: &Story{ID: 2, Key: "PROJ-2", Title: "Log in"}, Skipped: true},
		{Kind: StoryDeleted, StoryID: 1},
		{Kind: BacklogReordered, Order: []int{3, 2}},
	}
	for i, ev := range evs {
		ev.Seq, ev.At = uint64(i+1), at.Add(time.Duration(i)*time.Second)
	}
	return evs
}

// historyPart is ev without the views filled in for subscribers.
func historyPart(ev *Event) *Event {
	return &Event{
		Seq: ev.Seq, Kind: ev.Kind, At: ev.At, Game: ev.Game, Player: ev.Player, Admin: ev.Admin,
		Value: ev.Value, TicketURL: ev.TicketURL, LastSocket: ev.LastSocket, ByPage: ev.ByPage,
		Options: ev.Options, Cause: ev.Cause, Round: ev.Round, Estimate: ev.Estimate,
		Released: ev.Released, RecordLimit: ev.RecordLimit, Story: ev.Story, Stories: ev.Stories,
		StoryID: ev.StoryID, Skipped: ev.Skipped, Order: ev.Order, Unsure: ev.Unsure,
	}
}

func TestEventCodecRoundTripsEveryKind(t *testing.T) {
	evs := everyKind(t)
	covered := map[EventKind]bool{}
	for _, ev := range evs {
		covered[ev.Kind] = true
		// What subscribers are given must not travel: replay rebuilds it.
		ev.State, ev.Votes, ev.PlayerState, ev.Revised = &State{Round: RoundVoting}, []Vote{{}}, PlayerState{Admin: true}, true
		data, err := EncodeEvent(ev)
		mustOK(t, err)
		got, err := DecodeEvent(ev.Kind, ev.Seq, data)
		if err != nil {
			t.Fatalf("%v: %v (data %s)", ev.Kind, err, data)
		}
		if want := historyPart(ev); !reflect.DeepEqual(got, want) {
			t.Errorf("%v came back as\n%+v\nwant\n%+v", ev.Kind, got, want)
		}
		for _, view := range []string{`"State"`, `"Votes"`, `"PlayerState"`, `"Revised"`, `"revised"`, "open sesame"} {
			if strings.Contains(string(data), view) {
				t.Errorf("%v: the encoding carries %s: %s", ev.Kind, view, data)
			}
		}
	}
	for k := RoomCreated; k < Snapshot; k++ {
		if !covered[k] {
			t.Errorf("no round trip for %v: add it to everyKind", k)
		}
	}
}

func TestEncodeEventRefusesWhatIsNoHistory(t *testing.T) {
	if _, err := EncodeEvent(&Event{Seq: 3, Kind: Snapshot}); err == nil {
		t.Fatal("a Snapshot was encoded as an event of the room's history")
	}
}

func TestDecodeEventRefusesBadInput(t *testing.T) {
	good, err := EncodeEvent(&Event{Seq: 2, Kind: VoteCast, Player: alice, Value: 3, At: testStart})
	mustOK(t, err)
	for _, tc := range []struct {
		name string
		kind EventKind
		seq  uint64
		data string
		want string
	}{
		{"not JSON", VoteCast, 2, "\x00garbage", "cannot be read"},
		{"empty", VoteCast, 2, "", "cannot be read"},
		{"a newer format", VoteCast, 2, strings.Replace(string(good), `"v":1`, `"v":2`, 1), "format version 2"},
		{"no version", VoteCast, 2, `{"at":"2024-05-01T12:00:00Z","player":{"id":"a11ce000-0000-4000-8000-000000000001"}}`, "format version 0"},
		{"an unknown field", VoteCast, 2, strings.Replace(string(good), `{`, `{"extra":1,`, 1), "cannot be read"},
		{"data after the event", VoteCast, 2, string(good) + `{}`, "cannot be read"},
		{"a vote without its player", VoteCast, 2, `{"v":1,"at":"2024-05-01T12:00:00Z","value":3}`, "no player"},
		{"a room without its game", RoomCreated, 1, `{"v":1,"at":"2024-05-01T12:00:00Z"}`, "no game"},
		{"rules without rules", OptionsChanged, 4, `{"v":1,"at":"2024-05-01T12:00:00Z"}`, "no options"},
		{"stories added without stories", StoriesAdded, 4, `{"v":1,"at":"2024-05-01T12:00:00Z"}`, "no stories"},
		{"a story added without an id", StoriesAdded, 4, `{"v":1,"at":"2024-05-01T12:00:00Z","stories":[{"title":"x"}]}`, "without an id"},
		{"an empty story added", StoriesAdded, 4, `{"v":1,"at":"2024-05-01T12:00:00Z","stories":[{"id":3}]}`, "without a title"},
		{"a story changed without the story", StoryChanged, 4, `{"v":1,"at":"2024-05-01T12:00:00Z","skipped":true}`, "no story"},
		{"a story deleted without its id", StoryDeleted, 4, `{"v":1,"at":"2024-05-01T12:00:00Z"}`, "no story id"},
		{"a reorder without an order", BacklogReordered, 4, `{"v":1,"at":"2024-05-01T12:00:00Z"}`, "no order"},
		{"a round on an empty story", RoundStarted, 4, `{"v":1,"at":"2024-05-01T12:00:00Z","story":{"id":2}}`, "an empty story"},
		{"a passcode hash cut short", RoomCreated, 1, `{"v":1,"at":"2024-05-01T12:00:00Z","game":{"code":"abcd","name":"x","deck":{"id":1,"name":"F","cards":[{"label":"1","value":1}]},"options":{},"passcodeSalt":"AAAA","passcodeHash":"AAAA"}}`, "passcode"},
		{"an unknown kind", EventKind(99), 2, string(good), "unknown kind"},
		{"a snapshot as an event", Snapshot, 2, string(good), "unknown kind"},
		{"number 0", VoteCast, 0, string(good), "numbered 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev, err := DecodeEvent(tc.kind, tc.seq, []byte(tc.data))
			if err == nil {
				t.Fatalf("decoded %+v", ev)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// FuzzDecodeEvent: whatever the log hands back, decoding answers an event or an error,
// never a panic, and an event it answers encodes again to what decodes the same.
func FuzzDecodeEvent(f *testing.F) {
	for _, ev := range everyKind(&testing.T{}) {
		data, err := EncodeEvent(ev)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(int(ev.Kind), ev.Seq, data)
	}
	f.Add(int(VoteCast), uint64(2), []byte(`{"v":1,"player":{"id":"x"}}`))
	f.Add(int(RoomCreated), uint64(1), []byte(`{"v":1,"game":{"deck":{"cards":[{"label":"a"}]}}}`))
	f.Fuzz(func(t *testing.T, kind int, seq uint64, data []byte) {
		ev, err := DecodeEvent(EventKind(kind), seq, data)
		if err != nil {
			return
		}
		again, err := EncodeEvent(ev)
		if err != nil {
			return // a value JSON cannot carry (none is known); refused, not lost silently
		}
		ev2, err := DecodeEvent(ev.Kind, seq, again)
		if err != nil {
			t.Fatalf("what decoded once does not decode again: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(ev, ev2) {
			t.Fatalf("decoded, encoded and decoded again differs:\n%+v\n%+v", ev, ev2)
		}
	})
}
