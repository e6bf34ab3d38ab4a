package handlers

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

const fanoutPlayers = 50

// fanoutSub mimics a WebSocket session's path from the room to the socket: Deliver does
// a non-blocking send into a bounded outbox (as wsSession.Deliver does), and a consumer
// goroutine, standing in for writeLoop, renders each event with wsFrames.
type fanoutSub struct {
	outbox chan *game.Event
	// votes is the current iteration's barrier: told once per VoteCast event handled.
	votes      *sync.WaitGroup
	overflowed atomic.Bool
	frames     atomic.Int64 // frames rendered
	deliveries atomic.Int64 // VoteCast events handled
	playerVote []byte       // the first PLAYERVOTED frame seen, to check the encoder ran
}

func (s *fanoutSub) Deliver(ev *game.Event) {
	select {
	case s.outbox <- ev:
	default:
		// The real session would cut itself off; here the benchmark fails at the end,
		// and the barrier is still released so that it does not hang.
		s.overflowed.Store(true)
		if ev.Kind == game.VoteCast {
			s.votes.Done()
		}
	}
}

func (s *fanoutSub) consume(done *sync.WaitGroup) {
	defer done.Done()
	for ev := range s.outbox {
		frames := wsFrames(ev)
		s.frames.Add(int64(len(frames)))
		if ev.Kind == game.VoteCast {
			if s.playerVote == nil && len(frames) > 0 {
				s.playerVote = frames[0]
			}
			s.deliveries.Add(1)
			s.votes.Done()
		}
	}
}

func BenchmarkVoteFanout50(b *testing.B) {
	db, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		b.Fatal(err)
	}
	reg := game.NewRegistry(game.RegistryConfig{Decks: db})
	room, err := reg.Create("bench", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		b.Fatal(err)
	}
	deck := game.FibonacciDeck()

	var votes sync.WaitGroup // one barrier, reused by every iteration
	var consumers sync.WaitGroup
	ids := make([]uuid.UUID, fanoutPlayers)
	subs := make([]*fanoutSub, fanoutPlayers)
	for i := range ids {
		ids[i] = uuid.New()
		if err := room.Join(game.Player{ID: ids[i], Username: fmt.Sprintf("player %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for i, id := range ids {
		// Room enough for the set-up events (a snapshot and up to 50 CONNECTED) plus one vote.
		subs[i] = &fanoutSub{outbox: make(chan *game.Event, 2*fanoutPlayers+8), votes: &votes}
		consumers.Add(1)
		go subs[i].consume(&consumers)
		if err := room.Connect(id, subs[i]); err != nil {
			b.Fatal(err)
		}
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		// Once Disconnect returns the room never delivers to that subscriber again, so its
		// outbox can be closed, which ends its consumer.
		for i, id := range ids {
			room.Disconnect(id, subs[i])
		}
		for _, s := range subs {
			close(s.outbox)
		}
		consumers.Wait()
	}
	defer stop()

	b.ReportAllocs()
	n := 0
	for b.Loop() {
		votes.Add(fanoutPlayers)
		if err := room.Vote(ids[n%fanoutPlayers], deck.Cards[n%len(deck.Cards)].Value); err != nil {
			b.Fatal(err)
		}
		votes.Wait() // every subscriber has rendered this vote's frame
		n++
	}
	b.StopTimer()
	stop()

	var deliveries int64
	for i, s := range subs {
		if s.overflowed.Load() {
			b.Fatalf("subscriber %d overflowed its outbox", i)
		}
		if got := s.deliveries.Load(); got != int64(n) {
			b.Fatalf("subscriber %d handled %d votes, want %d", i, got, n)
		}
		if n > 0 && string(s.playerVote) != `{"type":"PLAYERVOTED","payload":{"id":"`+ids[0].String()+`","username":"player 0"}}` {
			b.Fatalf("subscriber %d: first vote frame %s", i, s.playerVote)
		}
		deliveries += s.deliveries.Load()
	}
	if _, err := reg.Room(room.Code()); err == nil {
		b.Errorf("the room outlived its last socket")
	}
	if n > 0 {
		b.ReportMetric(float64(deliveries)/float64(n), "deliveries/op")
	}
}

func BenchmarkEncodeState50(b *testing.B) {
	st := &game.State{
		Game: game.GameInfo{
			Code: "ab12", Name: "Sprint 42 <core> & \"friends\"", Deck: game.FibonacciDeck(),
			Settings: game.GameSettings{RoundTimer: &game.RoundTimerSettings{Maximum: 5, Warning: 4}},
		},
		Round: game.RoundVoting,
	}
	ticket := "https://jira.example.com/browse/PP-1234"
	start := game.SystemClock{}.Now()
	st.TicketURL, st.RoundStart = &ticket, &start
	for i := range fanoutPlayers {
		st.Players = append(st.Players, game.PlayerState{
			Player:    game.Player{ID: uuid.New(), Username: fmt.Sprintf("Player №%d", i)},
			Connected: i%3 != 0,
			Admin:     i == 0,
			Observing: i%10 == 9,
			Voted:     i%2 == 0,
		})
	}
	buf := appendGameState(nil, st)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = appendGameState(buf[:0], st)
	}
	if len(buf) == 0 {
		b.Fatal("nothing encoded")
	}
}
