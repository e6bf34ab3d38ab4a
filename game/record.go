package game

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// RoundRecord is one revealed round as the session record keeps it. Records are never
// changed once made: a later reveal or an agreed estimate replaces the record, so
// snapshots can share them.
type RoundRecord struct {
	Number    int // the round's place in the session, from 1
	TicketURL *string
	// The round's story: StoryID is its backlog id (0: typed for the round); Key and
	// Title as they were when the round started (TicketURL is its link).
	StoryID int    `json:",omitempty"`
	Key     string `json:",omitempty"`
	Title   string `json:",omitempty"`
	// Anonymous: the round was revealed while the room hid names. Votes then hold the
	// cards alone (Player is zero), in deck order, and Results name nobody: nothing in
	// the record links a name to a card.
	Anonymous  bool `json:",omitempty"`
	StartedAt  time.Time
	RevealedAt time.Time // the last reveal of the round
	Votes      []RecordedVote
	Results    Results
	Estimate   string // the estimate the team agreed on, set by the facilitator
}

// Duration is how long the round took, from its start to its last reveal.
func (r *RoundRecord) Duration() time.Duration { return r.RevealedAt.Sub(r.StartedAt) }

// RecordedVote is one seated player's part in a round; Card is nil when they did not vote.
type RecordedVote struct {
	Player    Player
	Observing bool
	Card      *Card
	Unsure    bool `json:",omitempty"` // the voter marked the vote unsure
}

// MaxEstimateLength bounds an agreed estimate, in characters.
const MaxEstimateLength = 20

// cleanEstimate cleans an agreed estimate as names are cleaned (it is shown to
// everyone) and checks its length.
func cleanEstimate(estimate string) (string, error) {
	estimate = strings.TrimSpace(CleanName(estimate))
	if utf8.RuneCountInString(estimate) > MaxEstimateLength {
		return "", Errorf(EInvalid, "an estimate has at most %d characters", MaxEstimateLength)
	}
	return estimate, nil
}

// recordRound builds the record of the current round from the state as it is revealed.
// In a room that hides names, the record is anonymous from the start.
func (s *roomState) recordRound(at time.Time) *RoundRecord {
	rec := &RoundRecord{Number: s.roundNumber, RevealedAt: at, Votes: make([]RecordedVote, len(s.seats))}
	if story := s.story; story != nil {
		rec.StoryID, rec.Key, rec.Title = story.ID, story.Key, story.Title
		if story.Link != nil {
			u := *story.Link
			rec.TicketURL = &u
		}
	}
	if s.roundStart != nil {
		rec.StartedAt = *s.roundStart
	}
	var ballots []Ballot
	for i, st := range s.seats {
		rec.Votes[i] = RecordedVote{Player: st.player, Observing: st.observing}
		if st.vote == nil {
			continue
		}
		card, ok := s.game.Deck.CardByValue(*st.vote)
		if !ok {
			continue
		}
		rec.Votes[i].Card, rec.Votes[i].Unsure = &card, st.unsure
		ballots = append(ballots, Ballot{Player: st.player, Card: card, Unsure: st.unsure})
	}
	rec.Results = ComputeResults(s.game.Deck, ballots)
	if prev := s.lastRecord(); prev != nil && prev.Number == rec.Number {
		rec.Estimate = prev.Estimate
	}
	if s.game.Settings.Options.HideNames {
		return anonymous(rec, s.game.Deck)
	}
	return rec
}

// reviseRecord records the revealed round again after a vote changed in it (a vote
// after the reveal), keeping when it was revealed, its agreed estimate and its
// anonymity. A reveal with no round started has no record to revise.
func (s *roomState) reviseRecord() {
	old := s.record(s.roundNumber)
	if old == nil {
		return
	}
	rec := s.recordRound(old.RevealedAt)
	rec.Estimate = old.Estimate
	if old.Anonymous && !rec.Anonymous {
		rec = anonymous(rec, s.game.Deck)
	}
	s.putRecord(rec)
}

// anonymous is rec with nothing that links a name to a card: the cards played alone,
// in deck order, and results that name nobody. rec itself is left as it was.
func anonymous(rec *RoundRecord, deck Deck) *RoundRecord {
	out := *rec
	out.Anonymous = true
	out.Votes = nil
	var ballots []Ballot
	for _, v := range rec.Votes {
		if v.Card == nil {
			continue
		}
		out.Votes = append(out.Votes, RecordedVote{Card: v.Card, Unsure: v.Unsure})
		ballots = append(ballots, Ballot{Card: *v.Card, Unsure: v.Unsure})
	}
	place := func(c *Card) int {
		return slices.IndexFunc(deck.Cards, func(d Card) bool { return d.Value == c.Value })
	}
	slices.SortStableFunc(out.Votes, func(a, b RecordedVote) int {
		if d := place(a.Card) - place(b.Card); d != 0 {
			return d
		}
		switch {
		case a.Unsure == b.Unsure:
			return 0
		case a.Unsure:
			return 1
		}
		return -1
	})
	out.Results = ComputeResults(deck, ballots).WithoutNames()
	return &out
}

func (s *roomState) lastRecord() *RoundRecord {
	if len(s.records) == 0 {
		return nil
	}
	return s.records[len(s.records)-1]
}

// MaxRecordRoundsDefault is how many rounds a session record keeps unless the server is
// told otherwise: a long day of estimating, far below what would make the record a
// burden to keep or to send.
const MaxRecordRoundsDefault = 200

// putRecord adds rec, or replaces the record of the same round. A new round beyond the
// record's limit pushes the oldest out, so that a room played round after round (by a
// script, say) holds and sends a bounded record.
func (s *roomState) putRecord(rec *RoundRecord) {
	for i, r := range s.records {
		if r.Number == rec.Number {
			s.records[i] = rec
			return
		}
	}
	if s.recordLimit > 0 && len(s.records) >= s.recordLimit {
		// In place: every snapshot holds a copy of the list, never this one.
		s.records = slices.Delete(s.records, 0, len(s.records)-s.recordLimit+1)
	}
	s.records = append(s.records, rec)
}

func (s *roomState) record(number int) *RoundRecord {
	for _, r := range s.records {
		if r.Number == number {
			return r
		}
	}
	return nil
}
