package game

import (
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Subscriber receives a room's events in the order the room produced them.
//
// Deliver is called with the room's lock held, so it must not block and must not call
// back into the room: a connection puts the event in its bounded outbox, and when the
// outbox is full it gives up on itself (closes) rather than wait.
type Subscriber interface {
	Deliver(ev *Event)
}

// Room is one planning-poker game. All its state changes happen here, under its lock:
// a command checks the rules, then emits events, which are applied and delivered.
type Room struct {
	mu    sync.Mutex
	clock Clock
	state roomState
	subs  []subscription

	maxPlayers  int                 // 0: no cap
	emptied     func(*Room, uint64) // told, outside the lock, when the last connection closes
	emptyEpoch  uint64              // counts the times the room became empty
	deleteTimer Timer               // the pending deletion of an empty room, if any

	roundTimer Timer // reveals the round when its timer runs out, if the rules say so

	// The facilitator's absence: after facilitatorTimeout (0: never) away, the role
	// passes to the player connected longest.
	facilitatorTimeout time.Duration
	awayTimer          Timer
	awayGen            uint64 // tells a stale away timer from the current one
	awayExpired        bool   // the facilitator has been away too long, but nobody could take over

	// Seats nobody uses are let go after seatRelease (0: never); see seats.go.
	seatRelease  time.Duration
	releaseTimer Timer
	lastRelease  time.Time // when the release timer last swept

	// A player whose last connection closed still counts for auto-reveal for
	// revealGrace (0: not at all), so that reloading a page does not reveal the round.
	revealGrace time.Duration
	graceTimer  Timer // checks auto-reveal again when a grace ends

	// Players present by a request from a page without scripts, until when (see
	// presence.go).
	pageUntil     map[uuid.UUID]time.Time
	presenceTimer Timer

	onPanic PanicHandler // told of a panic in one of the room's timers

	aliasKey []byte // draws the players' aliases (see alias.go)

	log EventLog // keeps the room's events beyond the process; nil: memory only
	// What the room handed to its log (see logged.go).
	snapshotEvery int    // a snapshot after this many events
	sinceSnapshot int    // events appended since the last snapshot
	loggedSeq     uint64 // the last sequence number appended, event or snapshot
	logFailures   *logFailures
}

// subscription is a subscriber and, for a connection, the player it belongs to.
type subscription struct {
	sub      Subscriber
	playerID uuid.UUID
	seated   bool // false for a room-wide view
}

// roomConfig is what a room takes from its registry.
type roomConfig struct {
	clock              Clock
	maxPlayers         int
	facilitatorTimeout time.Duration
	seatRelease        time.Duration
	revealGrace        time.Duration
	recordLimit        int
	onPanic            PanicHandler
	emptied            func(*Room, uint64)
	aliasKey           []byte
	log                EventLog
	snapshotEvery      int
	logFailures        *logFailures
}

func newRoom(cfg roomConfig, game GameInfo) *Room {
	r := roomFromState(cfg, game.Settings.MaxPlayers, newRoomState())
	g := game
	r.record(&Event{Kind: RoomCreated, Game: &g, RecordLimit: cfg.recordLimit})
	return r
}

// roomFromState returns a room with the given state: a new one's, or one brought back
// from the event log. roomCap is the room's own cap on seats (0: none).
func roomFromState(cfg roomConfig, roomCap int, state roomState) *Room {
	maxPlayers := cfg.maxPlayers
	if c := roomCap; c > 0 && (maxPlayers == 0 || c < maxPlayers) {
		maxPlayers = c
	}
	return &Room{
		clock: cfg.clock, state: state, maxPlayers: maxPlayers, emptied: cfg.emptied,
		facilitatorTimeout: cfg.facilitatorTimeout,
		seatRelease:        cfg.seatRelease, revealGrace: cfg.revealGrace, onPanic: cfg.onPanic,
		aliasKey: cfg.aliasKey, pageUntil: map[uuid.UUID]time.Time{}, log: cfg.log,
		snapshotEvery: cfg.snapshotEvery, logFailures: cfg.logFailures,
		loggedSeq: state.seq,
	}
}

// Code is the room's join code.
func (r *Room) Code() string { return r.state.game.Code }

// Game returns what the room was created with.
func (r *Room) Game() GameInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.gameInfo()
}

// State returns a copy of the room's public state.
func (r *Room) State() *State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.snapshotLocked()
}

func (r *Room) snapshotLocked() *State { return r.state.snapshot() }

// seated is the number of players seated, connected or not.
func (r *Room) seated() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.state.seats)
}

// record applies ev to the state and fills in its views. The caller holds the lock.
func (r *Room) record(ev *Event) {
	ev.Seq = r.state.seq + 1
	if ev.At.IsZero() {
		ev.At = r.clock.Now().UTC()
	}
	if ev.Kind == VoteCast && r.state.round == RoundRevealed {
		// A vote after the reveal revises the revealed round, unless it is the vote
		// already there.
		if st := r.state.byID[ev.Player.ID]; st != nil {
			ev.Revised = st.changedBy(ev)
		}
	}
	r.state.apply(ev)
	r.appendLocked(ev)
	ev.State = r.snapshotLocked()
	switch ev.Kind {
	case SocketOpened:
		ev.PlayerState = r.state.playerState(r.state.byID[ev.Player.ID])
	case Revealed, OptionsChanged, FacilitatorChanged, PlayerRemoved, SeatsReleased:
		ev.Votes = ev.State.Votes
	case VoteCast:
		if ev.Revised {
			ev.Votes = ev.State.Votes
		}
	}
}

// publish delivers ev to every subscriber. The caller holds the lock, which keeps every
// subscriber's view in the room's order.
func (r *Room) publish(ev *Event) {
	for _, s := range r.subs {
		s.sub.Deliver(ev)
	}
}

func (r *Room) emit(ev *Event) {
	r.record(ev)
	r.publish(ev)
}

// seatLocked finds the seat of the player with the given (secret) id.
func (r *Room) seatLocked(id uuid.UUID) (*seat, error) { return r.findSeatLocked(r.state.byID, id) }

// seatByAliasLocked finds the seat another player names by its alias.
func (r *Room) seatByAliasLocked(alias uuid.UUID) (*seat, error) {
	return r.findSeatLocked(r.state.byAlias, alias)
}

func (r *Room) findSeatLocked(seats map[uuid.UUID]*seat, key uuid.UUID) (*seat, error) {
	if r.state.closed {
		return nil, r.goneError()
	}
	st, ok := seats[key]
	if !ok {
		return nil, Errorf(ENotSeated, "Player with ID '%s' not found in game with code '%s'!", key, r.Code())
	}
	return st, nil
}

func (r *Room) goneError() error {
	return Errorf(ENotFound, "No existing game found with code '%s'", r.Code())
}

// Join seats p, with its name cleaned (see CleanName) and its alias drawn (see alias.go).
// The first player ever to join becomes the facilitator for the life of the room.
// Joining again with an id already seated changes nothing. An id that is the alias of a
// seat is refused: aliases are public, and nobody may sit under one. A full room first
// lets go of seats nobody uses (see seats.go) to make room.
func (r *Room) Join(p Player) error {
	p.Username = CleanName(p.Username)
	if err := CheckUsername(p.Username); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed {
		return r.goneError()
	}
	if _, seated := r.state.byID[p.ID]; seated {
		return nil
	}
	if _, isAlias := r.state.byAlias[p.ID]; isAlias {
		return Errorf(EConflict, "That id belongs to another player in game '%s': join with your own id", r.Code())
	}
	p.Alias = aliasOf(r.aliasKey, r.Code(), p.ID)
	if r.maxPlayers > 0 && len(r.state.seats) >= r.maxPlayers {
		r.releaseSeatsLocked(true)
	}
	if r.maxPlayers > 0 && len(r.state.seats) >= r.maxPlayers {
		return Errorf(EConflict, "Game '%s' is full: it has room for %d players", r.Code(), r.maxPlayers)
	}

	r.emit(&Event{Kind: PlayerJoined, Player: p, Admin: !r.state.hasAdmin})
	r.scheduleReleaseLocked()
	return nil
}

// Connect opens a connection for a seated player. sub first receives a Snapshot (taken
// after the player is marked connected), then every later event, starting with this
// connection's SocketOpened. A nil sub marks presence without receiving events. Call
// Disconnect with the same sub when the connection ends.
func (r *Room) Connect(id uuid.UUID, sub Subscriber) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil {
		return err
	}
	if r.deleteTimer != nil {
		r.deleteTimer.Stop()
		r.deleteTimer = nil
	}
	ev := &Event{Kind: SocketOpened, Player: st.player}
	r.record(ev)
	if sub != nil {
		sub.Deliver(r.snapshotEventLocked())
		r.subs = append(r.subs, subscription{sub: sub, playerID: id, seated: true})
	}
	r.publish(ev)
	if st.byPage {
		r.endPagePresenceLocked(st) // the stream speaks for the player from now on
	}
	r.takeOverLocked(st) // a room whose facilitator left with nobody here
	r.checkFacilitatorLocked()
	return nil
}

// Disconnect ends a connection opened by Connect. With a sub, it is safe to call more
// than once: only the first call counts. When it was the room's last open connection,
// the registry is told so that it can delete the room.
func (r *Room) Disconnect(id uuid.UUID, sub Subscriber) {
	r.noteEmpty(r.disconnect(id, sub))
}

func (r *Room) disconnect(id uuid.UUID, sub Subscriber) (epoch uint64, empty bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.state.byID[id]
	if !ok || st.connections() == 0 || r.state.closed || (sub != nil && !r.removeSubLocked(sub)) {
		return 0, false
	}
	r.emit(&Event{Kind: SocketClosed, Player: st.player, LastSocket: st.sockets == 1})
	r.checkFacilitatorLocked()
	r.autoRevealLocked()
	return r.emptiedLocked()
}

// emptiedLocked reports whether no connection is left, counting the times the room
// became empty. The caller passes the answer to noteEmpty once it has unlocked.
func (r *Room) emptiedLocked() (epoch uint64, empty bool) {
	if r.state.sockets > 0 || r.state.closed {
		return 0, false
	}
	r.emptyEpoch++
	return r.emptyEpoch, true
}

// noteEmpty tells the registry, outside the room's lock, that the room became empty for
// the epoch-th time; it may delete the room. (Every lock is released by a deferred
// unlock, so that a panic met under it leaves the room usable.)
func (r *Room) noteEmpty(epoch uint64, empty bool) {
	if empty && r.emptied != nil {
		r.emptied(r, epoch)
	}
}

// Subscribe delivers the room's events to sub without seating anyone (a room-wide view,
// such as one rendering stream for all its browsers). sub first receives a Snapshot.
// The returned function ends the subscription. A closed room refuses with ENotFound.
func (r *Room) Subscribe(sub Subscriber) (unsubscribe func(), err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed {
		return nil, r.goneError()
	}
	sub.Deliver(r.snapshotEventLocked())
	r.subs = append(r.subs, subscription{sub: sub})
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.removeSubLocked(sub)
	}, nil
}

// removeSubLocked removes sub and reports whether it was there.
func (r *Room) removeSubLocked(sub Subscriber) bool {
	i := slices.IndexFunc(r.subs, func(s subscription) bool { return s.sub == sub })
	if i < 0 {
		return false
	}
	r.subs = slices.Delete(r.subs, i, i+1)
	return true
}

func (r *Room) snapshotEventLocked() *Event {
	st := r.snapshotLocked()
	return &Event{Seq: r.state.seq, Kind: Snapshot, At: r.clock.Now().UTC(), State: st, Votes: st.Votes}
}

// Sync delivers a Snapshot to sub alone, in order with the events it already receives.
func (r *Room) Sync(sub Subscriber) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed {
		return // its subscribers were let go when it closed
	}
	sub.Deliver(r.snapshotEventLocked())
}

// Vote records the player's card. Votes are taken in every round state, observers'
// included, as the reference does; the value must be one of the deck's cards. A vote
// after the reveal revises the revealed round (its record and results) at once.
func (r *Room) Vote(id uuid.UUID, value float64) error { return r.VoteWith(id, value, false) }

// ToggleObserving switches the player between voting and watching; a vote is kept.
func (r *Room) ToggleObserving(id uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil {
		return err
	}
	r.emit(&Event{Kind: ObservingToggled, Player: st.player})
	r.autoRevealLocked()
	return nil
}

// StartRound clears the votes and starts a round for the given ticket link (nil: none).
// Only the facilitator may (anyone, in a facilitator-free room); the link must be http(s)
// and is stored normalised. A round timer starts on the server with the round.
func (r *Room) StartRound(id uuid.UUID, ticketURL *string) error {
	if ticketURL == nil {
		return r.Start(id, NextRound{})
	}
	return r.Start(id, NextRound{Story: &Story{Link: ticketURL}})
}

// Reveal shows every player's vote. Only the facilitator may (anyone, in a
// facilitator-free room), in any round state.
func (r *Room) Reveal(id uuid.UUID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkCanRunLocked(id); err != nil {
		return err
	}
	r.emit(&Event{Kind: Revealed, Cause: ByHand})
	return nil
}

func (r *Room) checkAdminLocked(id uuid.UUID) error {
	if _, err := r.seatLocked(id); err != nil {
		return err
	}
	if !r.state.hasAdmin || id != r.state.adminID {
		return Errorf(EForbidden, "only the facilitator may do that")
	}
	return nil
}

// checkCanRunLocked lets the facilitator through, and everyone in a facilitator-free room.
func (r *Room) checkCanRunLocked(id uuid.UUID) error {
	if _, err := r.seatLocked(id); err != nil {
		return err
	}
	if r.state.game.Settings.Options.FacilitatorFree {
		return nil
	}
	return r.checkAdminLocked(id)
}

// scheduleDelete keeps t, the pending deletion for the epoch-th emptying, so that a
// reconnect can cancel it; a deletion already overtaken by a reconnect is cancelled now.
func (r *Room) scheduleDelete(epoch uint64, t Timer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed || r.state.sockets > 0 || r.emptyEpoch != epoch {
		t.Stop()
		return
	}
	if r.deleteTimer != nil {
		r.deleteTimer.Stop()
	}
	r.deleteTimer = t
}

// closeIfEmpty closes the room if no connection has opened since it became empty for the
// epoch-th time (epoch 0: since it was created). It reports whether it closed the room.
func (r *Room) closeIfEmpty(epoch uint64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.state.closed || r.state.sockets > 0 || r.emptyEpoch != epoch {
		return false
	}
	r.closeLocked()
	return true
}

func (r *Room) closeLocked() {
	ev := &Event{Kind: RoomClosed}
	r.record(ev)
	for _, t := range []Timer{r.roundTimer, r.awayTimer, r.deleteTimer, r.releaseTimer, r.graceTimer, r.presenceTimer} {
		if t != nil {
			t.Stop()
		}
	}
	r.roundTimer, r.awayTimer, r.deleteTimer, r.releaseTimer, r.graceTimer, r.presenceTimer = nil, nil, nil, nil, nil, nil
	// The room is let go of before its subscribers are told, so that one of them
	// failing cannot leave it half closed.
	subs := r.subs
	r.subs = nil
	for _, s := range subs {
		s.sub.Deliver(ev)
	}
}

func (r *Room) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state.closed
}

// Seat is what one player may know about themself: their public state and their own
// vote, which the others see only once revealed.
type Seat struct {
	PlayerState
	Vote   *float64
	Unsure bool // the vote is marked unsure
}

// Seat returns the seated player's own view.
func (r *Room) Seat(id uuid.UUID) (Seat, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, err := r.seatLocked(id)
	if err != nil {
		return Seat{}, err
	}
	seat := Seat{PlayerState: r.state.playerState(st), Unsure: st.unsure}
	if st.vote != nil {
		v := *st.vote
		seat.Vote = &v
	}
	return seat, nil
}
