package ws

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/wire"
)

const fanoutPlayers = 50

// fanoutSub mimics a WebSocket session's path from the room to the socket: Deliver does
// a non-blocking send into a bounded outbox (as wsSession.Deliver does), and a consumer
// goroutine, standing in for writeLoop, renders each event with wsFrames for its player.
type fanoutSub struct {
	id        uuid.UUID // the player whose socket this is
	encodings encodingCounter
	outbox    chan *game.Event
	// pending counts the events delivered and not yet rendered, every socket's.
	pending    *sync.WaitGroup
	overflowed atomic.Bool
	frames     atomic.Int64 // frames rendered
	deliveries atomic.Int64 // VoteCast events handled
	playerVote []byte       // the first PLAYERVOTED frame seen, to check the encoder ran
}

func (s *fanoutSub) Deliver(ev *game.Event) {
	// Deliver runs in the goroutine that made the room act, before it waits on pending.
	s.pending.Add(1)
	select {
	case s.outbox <- ev:
	default:
		// The real session would cut itself off; here the test fails at the end.
		s.overflowed.Store(true)
		s.pending.Done()
	}
}

func (s *fanoutSub) consume(done *sync.WaitGroup) {
	defer done.Done()
	for ev := range s.outbox {
		frames := wsFrames(ev, s.id, s.encodings)
		s.frames.Add(int64(len(frames)))
		if ev.Kind == game.VoteCast {
			if s.playerVote == nil && len(frames) > 0 {
				s.playerVote = frames[0]
			}
			s.deliveries.Add(1)
		}
		s.pending.Done()
	}
}

// fanoutRoom is a room of fanoutPlayers players, each with one socket, whose encodings
// are counted.
type fanoutRoom struct {
	tb        testing.TB
	reg       *game.Registry
	room      *game.Room
	ids       []uuid.UUID
	alias0    uuid.UUID // the alias of the first player, who casts the first vote
	subs      []*fanoutSub
	encodings encodings
	pending   sync.WaitGroup // events delivered and not yet rendered
	consumers sync.WaitGroup
	stopped   bool
	cast      int // votes cast
}

func newFanoutRoom(tb testing.TB) *fanoutRoom {
	db, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		tb.Fatal(err)
	}
	f := &fanoutRoom{tb: tb, reg: game.NewRegistry(game.RegistryConfig{Decks: db})}
	f.room, err = f.reg.Create("bench", game.DefaultDeckID, game.GameSettings{})
	if err != nil {
		tb.Fatal(err)
	}
	f.ids = make([]uuid.UUID, fanoutPlayers)
	f.subs = make([]*fanoutSub, fanoutPlayers)
	for i := range f.ids {
		f.ids[i] = uuid.New()
		if err := f.room.Join(game.Player{ID: f.ids[i], Username: fmt.Sprintf("player %d", i)}); err != nil {
			tb.Fatal(err)
		}
	}
	seat, err := f.room.Seat(f.ids[0])
	if err != nil {
		tb.Fatal(err)
	}
	f.alias0 = seat.Player.Alias
	for i, id := range f.ids {
		// Room enough for the set-up events (a snapshot and up to 50 CONNECTED) plus one vote.
		f.subs[i] = &fanoutSub{id: id, encodings: &f.encodings, outbox: make(chan *game.Event, 2*fanoutPlayers+8), pending: &f.pending}
		f.consumers.Add(1)
		go f.subs[i].consume(&f.consumers)
		if err := f.room.Connect(id, f.subs[i]); err != nil {
			tb.Fatal(err)
		}
	}
	f.pending.Wait() // the snapshots and CONNECTED of the set-up are rendered
	tb.Cleanup(f.stop)
	return f
}

// vote has the next player vote and waits until every socket has rendered the vote.
func (f *fanoutRoom) vote() {
	deck := game.FibonacciDeck()
	n := f.cast
	if err := f.room.Vote(f.ids[n%fanoutPlayers], deck.Cards[n%len(deck.Cards)].Value); err != nil {
		f.tb.Fatal(err)
	}
	f.pending.Wait()
	f.cast++
}

// stop disconnects every socket and waits for the consumers to end.
func (f *fanoutRoom) stop() {
	if f.stopped {
		return
	}
	f.stopped = true
	// Once Disconnect returns the room never delivers to that subscriber again, so its
	// outbox can be closed, which ends its consumer.
	for i, id := range f.ids {
		f.room.Disconnect(id, f.subs[i])
	}
	for _, s := range f.subs {
		close(s.outbox)
	}
	f.consumers.Wait()
}

// check fails unless every socket rendered every vote, and the first vote reached the
// voter by its id and everyone else by its alias.
func (f *fanoutRoom) check() {
	f.tb.Helper()
	ownFrame := `{"type":"PLAYERVOTED","payload":{"id":"` + f.ids[0].String() + `","username":"player 0"}}`
	othersFrame := `{"type":"PLAYERVOTED","payload":{"id":"` + f.alias0.String() + `","username":"player 0"}}`
	for i, s := range f.subs {
		if s.overflowed.Load() {
			f.tb.Fatalf("subscriber %d overflowed its outbox", i)
		}
		if got := s.deliveries.Load(); got != int64(f.cast) {
			f.tb.Fatalf("subscriber %d handled %d votes, want %d", i, got, f.cast)
		}
		want := othersFrame
		if i == 0 {
			want = ownFrame
		}
		if f.cast > 0 && string(s.playerVote) != want {
			f.tb.Fatalf("subscriber %d: first vote frame %s, want %s", i, s.playerVote, want)
		}
	}
}

// TestVoteFanoutEncodesTwice: a vote in a room of 50 is encoded at most twice, once for
// the voter's own socket and once for the 49 others, never once per socket.
func TestVoteFanoutEncodesTwice(t *testing.T) {
	f := newFanoutRoom(t)
	before := f.encodings.count()
	f.vote()
	encoded := f.encodings.count() - before
	f.stop()
	f.check()
	if n := encoded; n > 2 {
		t.Fatalf("one vote in a room of %d was encoded %d times, want at most 2", fanoutPlayers, n)
	}
}

func BenchmarkVoteFanout50(b *testing.B) {
	f := newFanoutRoom(b)
	b.ReportAllocs()
	before := f.encodings.count()
	for b.Loop() {
		f.vote() // returns once every subscriber has rendered this vote's frame
	}
	b.StopTimer()
	encoded := f.encodings.count() - before
	f.stop()
	f.check()
	if _, err := f.reg.Room(f.room.Code()); err == nil {
		b.Errorf("the room outlived its last socket")
	}
	if f.cast > 0 {
		var deliveries int64
		for _, s := range f.subs {
			deliveries += s.deliveries.Load()
		}
		b.ReportMetric(float64(deliveries)/float64(f.cast), "deliveries/op")
		b.ReportMetric(float64(encoded)/float64(f.cast), "encodings/op")
	}
}

// fanoutState is the state of a room of fanoutPlayers players in a round.
func fanoutState() *game.State {
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
			Player:    game.Player{ID: uuid.New(), Alias: uuid.New(), Username: fmt.Sprintf("Player №%d", i)},
			Connected: i%3 != 0,
			Admin:     i == 0,
			Observing: i%10 == 9,
			Voted:     i%2 == 0,
		})
	}
	return st
}

func BenchmarkEncodeState50(b *testing.B) {
	st := fanoutState()
	buf := wire.AppendGameState(nil, st, wire.Names{})
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = wire.AppendGameState(buf[:0], st, wire.Names{})
	}
	if len(buf) == 0 {
		b.Fatal("nothing encoded")
	}
}

// BenchmarkStateToEveryone50 is what a STATE costs a room of 50 (new rules, a new
// facilitator): one encoding, then, per socket, a copy that names its player by its id.
// An op is the whole room served.
func BenchmarkStateToEveryone50(b *testing.B) {
	st := fanoutState()
	encodings := &encodings{}
	b.ReportAllocs()
	for b.Loop() {
		ev := &game.Event{Kind: game.OptionsChanged, State: st}
		for _, ps := range st.Players {
			if frames := wsFrames(ev, ps.Player.ID, encodings); len(frames) != 1 {
				b.Fatalf("%d frames", len(frames))
			}
		}
	}
	b.ReportMetric(float64(encodings.count())/float64(b.N), "encodings/op")
}
