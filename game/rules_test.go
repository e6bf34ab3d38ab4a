package game

import (
	"reflect"
	"strings"
	"testing"
)

// Every rule a room can have is in RoomRules, once, and each row switches its own rule.
func TestRoomRulesListEveryRuleOnce(t *testing.T) {
	fields := reflect.TypeFor[RoomOptions]().NumField()
	if len(RoomRules) != fields {
		t.Fatalf("%d rules listed for the %d fields of RoomOptions", len(RoomRules), fields)
	}
	keys := map[string]bool{}
	var all RoomOptions
	for _, r := range RoomRules {
		if keys[r.Key] || r.Key == "" || r.Key != strings.ToLower(r.Key) || strings.ContainsAny(r.Key, " -") {
			t.Errorf("key %q is empty, repeated or not snake_case", r.Key)
		}
		keys[r.Key] = true
		if r.Label == "" || r.Summary == "" {
			t.Errorf("rule %s has no label or summary", r.Key)
		}
		alone := r.With(RoomOptions{}, true)
		for _, other := range RoomRules {
			if other.On(alone) != (other.Key == r.Key) {
				t.Errorf("switching %s on changes %s", r.Key, other.Key)
			}
		}
		if r.On(r.With(alone, false)) || r.With(alone, false) != (RoomOptions{}) {
			t.Errorf("switching %s off leaves it on", r.Key)
		}
		all = r.With(all, true)
	}
	v := reflect.ValueOf(all)
	for i := range v.NumField() {
		if !v.Field(i).Bool() {
			t.Errorf("no rule switches RoomOptions.%s", v.Type().Field(i).Name)
		}
	}
	if got, ok := RuleByKey("hide_names"); !ok || !got.On(RoomOptions{HideNames: true}) {
		t.Error("hide_names not found by its key")
	}
	if _, ok := RuleByKey("HideNames"); ok {
		t.Error("a field's Go name is not a key")
	}
}

func TestRulesThatNeedATimer(t *testing.T) {
	timer := &RoundTimerSettings{Maximum: 5, Warning: 4}
	for _, r := range RoomRules {
		without := GameSettings{Options: r.With(RoomOptions{}, true)}
		with := GameSettings{RoundTimer: timer, Options: without.Options}
		err := without.Check()
		if r.NeedsTimer {
			if CodeOf(err) != EInvalid || !strings.Contains(err.Error(), "needs a round timer") || r.Offered(without) {
				t.Errorf("%s without a timer: %v", r.Key, err)
			}
			if r.Hint == "" {
				t.Errorf("%s needs a timer and says nothing of it", r.Key)
			}
		} else if err != nil || !r.Offered(without) {
			t.Errorf("%s without a timer: %v", r.Key, err)
		}
		if err := with.Check(); err != nil || !r.Offered(with) {
			t.Errorf("%s with a timer: %v", r.Key, err)
		}
		if got := with.RulesInForce(); len(got) != 1 || got[0].Key != r.Key {
			t.Errorf("%s alone in force: %v", r.Key, got)
		}
	}
	if got := (GameSettings{}).RulesInForce(); len(got) != 0 {
		t.Errorf("a plain room has rules in force: %v", got)
	}
	if DefaultRoomOptions() != (RoomOptions{}) {
		t.Errorf("every rule is off by default, got %+v", DefaultRoomOptions())
	}
}

func TestResultsShownHideNames(t *testing.T) {
	deck := FibonacciDeck()
	card := func(label string) Card {
		for _, c := range deck.Cards {
			if c.Label == label {
				return c
			}
		}
		t.Fatalf("no card %s", label)
		return Card{}
	}
	full := ComputeResults(deck, []Ballot{{alice, card("3"), false}, {bob, card("8"), false}, {carol, card("8"), false}})
	hidden := RoomOptions{HideNames: true}.ResultsShown(full)
	if hidden.Lowest.Players != nil || hidden.Highest.Players != nil {
		t.Errorf("names kept: %+v %+v", hidden.Lowest, hidden.Highest)
	}
	for _, b := range hidden.Distribution {
		if b.Players != nil {
			t.Errorf("names kept in the bar of %s", b.Card.Label)
		}
	}
	if hidden.Lowest.Card.Label != "3" || hidden.Highest.Card.Label != "8" || *hidden.Average != *full.Average || len(hidden.Distribution) != 2 || hidden.Distribution[1].Count != 2 {
		t.Errorf("the figures changed: %+v", hidden)
	}
	if len(full.Lowest.Players) != 1 || len(full.Distribution[1].Players) != 2 {
		t.Error("hiding names changed the results it was given")
	}
	if shown := (RoomOptions{}).ResultsShown(full); !reflect.DeepEqual(shown, full) {
		t.Error("a room that shows names lost them")
	}

	t.Run("a reveal before the first round is summed up from its votes, names hidden alike", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{Options: RoomOptions{HideNames: true}}, alice, bob)
		mustOK(t, room.Vote(alice.ID, 1))
		mustOK(t, room.Vote(bob.ID, 2))
		mustOK(t, room.Reveal(alice.ID))
		st := room.State()
		if st.Current() != nil {
			t.Fatal("a reveal before the first round has a record")
		}
		res, ok := st.RoundResults()
		if !ok || res.Average == nil || *res.Average != 1.5 || res.Lowest == nil || res.Lowest.Players != nil {
			t.Fatalf("results %+v (%v)", res, ok)
		}
	})
	t.Run("the revealed round's results come from its record", func(t *testing.T) {
		room, _, _ := roomWith(t, RegistryConfig{}, GameSettings{}, alice, bob)
		mustOK(t, room.StartRound(alice.ID, nil))
		mustOK(t, room.Vote(alice.ID, 3))
		mustOK(t, room.Reveal(alice.ID))
		st := room.State()
		res, ok := st.RoundResults()
		if !ok || !reflect.DeepEqual(res, st.Current().Results) || res.Lowest.Players[0].Username != "alice" {
			t.Fatalf("results %+v, record %+v", res, st.Current().Results)
		}
		mustOK(t, room.StartRound(alice.ID, nil))
		if _, ok := room.State().RoundResults(); ok {
			t.Error("a round under way has results")
		}
	})
}
