package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// ticketHost names the rounds: every RESET carries https://<ticketHost>/round/<n>, which
// the WebSocket clients read from RESETGAME and the browsers from the ticket link in the
// room's fragments, so that each delivery is matched to its round. The .test domain is
// reserved: it never resolves.
const ticketHost = "pokerload.test"

// ringRounds is how many rounds of send times are kept per room; a client that lags
// further behind than that has long been counted as failing.
const ringRounds = 64

// deck1 is the values of deck 1 (Fibonacci), the deck every load room uses.
var deck1 = []string{"0.5", "1", "2", "3", "5", "8", "13", "21", "100"}

// room is one game under load: its clients, and when each vote of its recent rounds was
// sent.
type room struct {
	code     string
	clock    clock
	ws       []*wsPlayer // ws[0] is the facilitator; the first --voters of them vote
	browsers []*browser
	// voters maps each WebSocket player's id, and the alias the others see it by, to its
	// index in ws. The readers look it up; it is replaced whole, never changed.
	voters atomic.Pointer[map[string]int]

	// sends[row*len(ws)+voter] is the send time of that voter's vote in the round
	// rounds[row] (row = round % ringRounds), 0 while not sent.
	sends  []atomic.Int64
	rounds [ringRounds]atomic.Int64

	// What the facilitator's socket has heard, for the driver to wait on.
	adminRound  atomic.Int64  // round of the last RESETGAME
	adminVotes  atomic.Int64  // PLAYERVOTED heard in that round
	adminSignal chan struct{} // one slot: wakes the driver

	// Owned by the driver goroutine.
	round int64
	order []int // voting order of the current round
	next  int   // position in order
	rng   *rand.Rand

	votesSent atomic.Int64 // in the current step
	stalls    atomic.Int64 // rounds whose votes or reset the facilitator did not hear in time
	sendErrs  atomic.Int64
}

func newRoom(code string, c clock, seed uint64) *room {
	return &room{code: code, clock: c, adminSignal: make(chan struct{}, 1),
		rng: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// seal is called once the room's players are known; the first voters of them vote in
// each round (all when voters is 0).
func (r *room) seal(voters int) {
	r.sends = make([]atomic.Int64, ringRounds*len(r.ws))
	byID := make(map[string]int, len(r.ws))
	for i, p := range r.ws {
		byID[p.id] = i
		p.idx = i
	}
	r.voters.Store(&byID)
	if voters <= 0 || voters > len(r.ws) {
		voters = len(r.ws)
	}
	r.order = make([]int, voters)
	for i := range r.order {
		r.order[i] = i
	}
}

// voterOf is the index in ws of the player named by id, a real id or an alias.
func (r *room) voterOf(id []byte) (int, bool) {
	i, ok := (*r.voters.Load())[string(id)]
	return i, ok
}

// learnAliases adds the aliases by which the players see each other (pokerd names every
// player but the recipient by an alias; the reference by its id) to voters, from the
// first STATE of the first two players (each sees itself by its id): every player was
// seated before anyone connected.
func (r *room) learnAliases() error {
	byName := make(map[string]int, len(r.ws))
	for i, p := range r.ws {
		byName[p.name] = i
	}
	voters := maps.Clone(*r.voters.Load())
	for _, p := range r.ws[:min(2, len(r.ws))] {
		var state struct {
			Payload struct {
				PlayerStates map[string]struct {
					Player struct {
						Username string `json:"username"`
					} `json:"player"`
				} `json:"player_states"`
			} `json:"payload"`
		}
		if err := json.Unmarshal(p.firstState, &state); err != nil {
			return fmt.Errorf("room %s: the first STATE of %s: %w", r.code, p.name, err)
		}
		found := 0
		for name, ps := range state.Payload.PlayerStates {
			if i, ok := byName[ps.Player.Username]; ok {
				voters[name] = i
				found++
			}
		}
		if found != len(r.ws) {
			return fmt.Errorf("room %s: the first STATE of %s names %d of its %d players", r.code, p.name, found, len(r.ws))
		}
	}
	r.voters.Store(&voters)
	return nil
}

func (r *room) startRow(round int64) {
	row := int(round % ringRounds)
	base := row * len(r.ws)
	for i := range r.ws {
		r.sends[base+i].Store(0)
	}
	r.rounds[row].Store(round)
}

// sentAt is when the voter's vote of that round was sent, if it was.
func (r *room) sentAt(round int64, voter int) (int64, bool) {
	row := int(round % ringRounds)
	if round <= 0 || r.rounds[row].Load() != round {
		return 0, false
	}
	at := r.sends[row*len(r.ws)+voter].Load()
	return at, at != 0
}

func (r *room) signalAdmin() {
	select {
	case r.adminSignal <- struct{}{}:
	default:
	}
}

// waitAdmin waits until cond holds for what the facilitator has heard, at most d.
func (r *room) waitAdmin(ctx context.Context, d time.Duration, cond func() bool) bool {
	timer := time.NewTimer(d)
	defer timer.Stop()
	for !cond() {
		select {
		case <-r.adminSignal:
		case <-timer.C:
			return cond()
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// drive sends this room's share of the votes, one every interval from start, until end:
// the facilitator starts a round (RESET) and waits to hear it, the players vote in a
// random order, and once the facilitator has heard every vote it reveals (REVEAL). The
// schedule is open-loop: a send that falls behind is made at once, so that a slow server
// shows as latency, and as fewer votes than offered once the step's time is up.
func (r *room) drive(ctx context.Context, interval time.Duration, start, end time.Time, wait time.Duration) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for k := 0; ; k++ {
		at := start.Add(time.Duration(k) * interval)
		if !at.Before(end) || !time.Now().Before(end) {
			return
		}
		if d := time.Until(at); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		if r.next == 0 && !r.startRound(ctx, wait) {
			return
		}
		voter := r.order[r.next]
		r.next++
		r.vote(ctx, voter)
		if r.next == len(r.order) {
			r.reveal(ctx, wait)
			r.next = 0
		}
	}
}

func (r *room) startRound(ctx context.Context, wait time.Duration) bool {
	r.round++
	round := r.round
	r.startRow(round)
	ticket := "https://" + ticketHost + "/round/" + strconv.FormatInt(round, 10)
	if !r.send(ctx, r.ws[0], `{"type":"RESET","payload":"`+ticket+`"}`) {
		return ctx.Err() == nil
	}
	// Votes wait for the reset to be through the room: a vote the server took before it
	// would be cleared, and heard in the wrong round.
	if !r.waitAdmin(ctx, wait, func() bool { return r.adminRound.Load() >= round }) && ctx.Err() == nil {
		r.stalls.Add(1)
	}
	r.rng.Shuffle(len(r.order), func(i, j int) { r.order[i], r.order[j] = r.order[j], r.order[i] })
	return ctx.Err() == nil
}

func (r *room) vote(ctx context.Context, voter int) {
	card := deck1[r.rng.IntN(len(deck1))]
	row := int(r.round % ringRounds)
	r.sends[row*len(r.ws)+voter].Store(r.clock.now())
	if r.send(ctx, r.ws[voter], `{"type":"SUBMITVOTE","payload":`+card+`}`) {
		r.votesSent.Add(1)
	} else {
		r.sends[row*len(r.ws)+voter].Store(0)
	}
}

func (r *room) reveal(ctx context.Context, wait time.Duration) {
	round, want := r.round, int64(len(r.order))
	heard := func() bool { return r.adminRound.Load() > round || r.adminVotes.Load() >= want }
	if !r.waitAdmin(ctx, wait, heard) && ctx.Err() == nil {
		r.stalls.Add(1)
	}
	r.send(ctx, r.ws[0], `{"type":"REVEAL","payload":""}`)
}

func (r *room) send(ctx context.Context, p *wsPlayer, msg string) bool {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.conn.Write(wctx, websocket.MessageText, []byte(msg)); err != nil {
		if ctx.Err() == nil {
			r.sendErrs.Add(1)
		}
		return false
	}
	return true
}
