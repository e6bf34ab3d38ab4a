package game

// Who counts as a voter, decided here once: the room's auto-reveal, the facilitator's
// "everyone has voted" and every screen's "n of m voted" all read it from these.

// IsVoter reports whether the player counts in the round's tally: not observing, and
// either here or with a vote cast (a vote is kept through a drop-out and revealed with
// the others). A player who left without voting is not waited for on screens; only the
// room's auto-reveal waits a few seconds more for them (see RevealGraceDefault), because
// a page reload looks like leaving.
func (p PlayerState) IsVoter() bool { return !p.Observing && (p.Connected || p.Voted) }

// Tally is how many of a round's voters have voted.
type Tally struct {
	Voted  int
	Voters int
}

// Everyone reports whether there is at least one voter and every voter has voted.
func (t Tally) Everyone() bool { return t.Voters > 0 && t.Voted == t.Voters }

// TallyOf counts the voters among players and those of them who voted.
func TallyOf(players []PlayerState) Tally {
	var t Tally
	for _, p := range players {
		if !p.IsVoter() {
			continue
		}
		t.Voters++
		if p.Voted {
			t.Voted++
		}
	}
	return t
}

// Tally counts the room's voters and those of them who voted.
func (st *State) Tally() Tally { return TallyOf(st.Players) }

// EveryoneVoted reports whether the round is open and every voter has voted.
func (st *State) EveryoneVoted() bool { return st.Round == RoundVoting && st.Tally().Everyone() }
