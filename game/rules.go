package game

// The room's rules, listed once. Every surface that offers, shows, reads or writes a
// rule (the create form, the facilitator's form, the rules line of the room page, the
// JSON API and the WebSocket protocol, the docs) walks RoomRules, so that a new rule is
// a field of RoomOptions, a row here, and the behaviour behind it.

// Rule is one of a room's rules, in the domain's own words.
type Rule struct {
	// Key names the rule in forms and on the wire: "auto_reveal".
	Key string
	// Label is the rule as a choice: "Reveal when everyone has voted".
	Label string
	// Hint says what the rule needs, when it needs something; empty otherwise.
	Hint string
	// Summary is the rule as a statement, for the room's list of rules in force.
	Summary string
	// NeedsTimer: the rule works only in a room with a round timer.
	NeedsTimer bool
	// Default is whether a new room has the rule when nothing says otherwise.
	Default bool

	field func(*RoomOptions) *bool
}

// RoomRules are the rules a room can have, in the order every surface lists them.
var RoomRules = []Rule{
	{
		Key:     "auto_reveal",
		Label:   "Reveal when everyone has voted",
		Summary: "cards are revealed when everyone has voted",
		field:   func(o *RoomOptions) *bool { return &o.AutoReveal },
	},
	{
		Key:        "reveal_on_timer",
		Label:      "Reveal when the round timer runs out",
		Hint:       "needs a round timer",
		Summary:    "cards are revealed when time is up",
		NeedsTimer: true,
		field:      func(o *RoomOptions) *bool { return &o.RevealOnTimer },
	},
	{
		Key:     "facilitator_free",
		Label:   "Anyone may start rounds and reveal",
		Summary: "anyone may start rounds and reveal",
		field:   func(o *RoomOptions) *bool { return &o.FacilitatorFree },
	},
	{
		Key:     "hide_names",
		Label:   "Hide who voted what",
		Summary: "cards are shown without names",
		field:   func(o *RoomOptions) *bool { return &o.HideNames },
	},
	{
		Key:     "ask_confidence",
		Label:   "Voters may mark a vote unsure",
		Summary: "voters may mark a vote unsure",
		field:   func(o *RoomOptions) *bool { return &o.AskConfidence },
	},
}

// On reports whether o has the rule switched on.
func (r Rule) On(o RoomOptions) bool { return *r.field(&o) }

// With returns o with the rule switched on or off.
func (r Rule) With(o RoomOptions, on bool) RoomOptions {
	*r.field(&o) = on
	return o
}

// Offered reports whether a room with these settings can have the rule at all.
func (r Rule) Offered(s GameSettings) bool { return !r.NeedsTimer || s.RoundTimer != nil }

// RuleByKey finds a rule by its key.
func RuleByKey(key string) (Rule, bool) {
	for _, r := range RoomRules {
		if r.Key == key {
			return r, true
		}
	}
	return Rule{}, false
}

// DefaultRoomOptions are the rules of a room created without naming any.
func DefaultRoomOptions() RoomOptions {
	var o RoomOptions
	for _, r := range RoomRules {
		o = r.With(o, r.Default)
	}
	return o
}

// RulesInForce are the rules switched on in a room with these settings, in list order.
func (s GameSettings) RulesInForce() []Rule {
	var on []Rule
	for _, r := range RoomRules {
		if r.On(s.Options) && r.Offered(s) {
			on = append(on, r)
		}
	}
	return on
}

// checkRules reports a rule switched on that the settings cannot carry.
func (s GameSettings) checkRules(o RoomOptions) error {
	for _, r := range RoomRules {
		if r.On(o) && r.NeedsTimer && s.RoundTimer == nil {
			return Errorf(EInvalid, "the rule “%s” needs a round timer", r.Label)
		}
	}
	return nil
}
