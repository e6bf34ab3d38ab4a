package views

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

var votedCountText = regexp.MustCompile(`data-testid="voted-count">(\d+) of (\d+) voted<`)

// pageTally reads what the round panel says of the votes: "n of m voted" (ok false when
// it says nothing of them) and whether it says "Everyone has voted".
func pageTally(t *testing.T, st *game.State) (tally game.Tally, counted, everyone bool) {
	t.Helper()
	html := renderString(t, RoundPanel(st, false))
	everyone = strings.Contains(html, `data-testid="everyone-voted"`)
	m := votedCountText.FindStringSubmatch(html)
	if m == nil {
		return game.Tally{}, false, everyone
	}
	tally.Voted, _ = strconv.Atoi(m[1])
	tally.Voters, _ = strconv.Atoi(m[2])
	return tally, true, everyone
}

// checkPageAgrees fails when the round panel contradicts itself or game: "n of m voted"
// and "Everyone has voted" are both game's answers, so they can never disagree.
func checkPageAgrees(t *testing.T, st *game.State, what string) {
	t.Helper()
	tally, counted, everyone := pageTally(t, st)
	if everyone && (!counted || tally.Voted != tally.Voters || tally.Voters == 0) {
		t.Errorf("%s: the page says %d of %d voted and everyone has voted", what, tally.Voted, tally.Voters)
	}
	if st.Round == game.RoundVoting && counted && tally.Voters > 0 && tally.Voted == tally.Voters && !everyone {
		t.Errorf("%s: the page says %d of %d voted but not that everyone has", what, tally.Voted, tally.Voters)
	}
	if counted && tally != st.Tally() {
		t.Errorf("%s: the page says %d of %d voted, game %+v", what, tally.Voted, tally.Voters, st.Tally())
	}
	if counted != (st.Round != game.RoundInit) {
		t.Errorf("%s: the count is shown %v in round %s", what, counted, st.Round)
	}
	if everyone != st.EveryoneVoted() {
		t.Errorf("%s: the page says everyone voted %v, game %v", what, everyone, st.EveryoneVoted())
	}
	// The facilitator's Reveal button is highlighted on the same answer.
	me := game.Seat{PlayerState: game.PlayerState{Player: game.Player{ID: uuid.New()}, Admin: true, Connected: true}}
	ready := strings.Contains(renderString(t, Hand(RoomData{State: st, Me: me})), "btn-ready")
	if ready != st.EveryoneVoted() {
		t.Errorf("%s: Reveal highlighted %v, game says everyone voted %v", what, ready, st.EveryoneVoted())
	}
}

// Every combination of three players here or not, observing or not, voted or not, in
// every round state.
func TestVotedCountAndEveryoneVotedNeverDisagree(t *testing.T) {
	for _, round := range []game.RoundState{game.RoundInit, game.RoundVoting, game.RoundRevealed} {
		for bits := range 1 << 9 {
			st := fixedState(round, 3)
			var what []string
			for i := range st.Players {
				p := &st.Players[i]
				p.Connected, p.Observing, p.Voted = bits&(1<<(3*i)) != 0, bits&(1<<(3*i+1)) != 0, bits&(1<<(3*i+2)) != 0
				what = append(what, fmt.Sprintf("{here %v observing %v voted %v}", p.Connected, p.Observing, p.Voted))
			}
			checkPageAgrees(t, st, string(round)+" "+strings.Join(what, " "))
		}
	}
}

// The states of the issue, played in a real room: an offline player who never voted, a
// page reload, an observer, a reveal.
func TestVotedCountFollowsTheRoom(t *testing.T) {
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	reg := game.NewRegistry(game.RegistryConfig{Decks: decks, EmptyRoomGrace: time.Hour, RevealGrace: 5 * time.Second})
	room, err := reg.Create("Team", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	ann, bob, cat := game.Player{ID: uuid.New(), Username: "Ann"}, game.Player{ID: uuid.New(), Username: "Bob"}, game.Player{ID: uuid.New(), Username: "Cat"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []game.Player{ann, bob, cat} {
		must(room.Join(p))
		must(room.Connect(p.ID, nil))
	}
	steps := []struct {
		what string
		do   func()
	}{
		{"three players here", func() {}},
		{"a round starts", func() { must(room.StartRound(ann.ID, nil)) }},
		{"Ann votes", func() { must(room.Vote(ann.ID, 5)) }},
		{"Cat goes offline without voting", func() { room.Disconnect(cat.ID, nil) }},
		{"Bob votes", func() { must(room.Vote(bob.ID, 8)) }},
		{"Cat is back", func() { must(room.Connect(cat.ID, nil)) }},
		{"Cat observes", func() { must(room.ToggleObserving(cat.ID)) }},
		{"Cat plays again", func() { must(room.ToggleObserving(cat.ID)) }},
		{"Cat votes", func() { must(room.Vote(cat.ID, 3)) }},
		{"Bob reloads his page", func() { room.Disconnect(bob.ID, nil) }},
		{"Bob's page is back", func() { must(room.Connect(bob.ID, nil)) }},
		{"the cards are revealed", func() { must(room.Reveal(ann.ID)) }},
		{"Ann goes offline", func() { room.Disconnect(ann.ID, nil) }},
		{"a new round", func() { must(room.StartRound(ann.ID, nil)) }},
	}
	for _, s := range steps {
		s.do()
		checkPageAgrees(t, room.State(), s.what)
	}
}
