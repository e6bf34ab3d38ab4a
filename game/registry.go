package game

import (
	"cmp"
	"sync"
	"time"
)

// RegistryConfig holds what a Registry needs. Zero caps mean no cap.
type RegistryConfig struct {
	Decks             DeckDB
	Clock             Clock         // default: SystemClock
	NewCode           CodeGenerator // default: RandomCodes(CodeLength)
	MaxRooms          int
	MaxPlayersPerRoom int
	// EmptyRoomGrace is how long a room whose last connection closed is kept, so that a
	// facilitator who reloads the page does not lose it. 0 deletes it at once. With a
	// Log, Retention takes its place.
	EmptyRoomGrace time.Duration
	// UnusedRoomTTL is how long a room that nobody has connected to yet is kept, so that
	// rooms created and never used do not fill the server. 0 keeps them forever.
	UnusedRoomTTL time.Duration
	// FacilitatorTimeout is how long a facilitator may be disconnected before the role
	// passes to the player connected longest. 0 never passes it on.
	FacilitatorTimeout time.Duration
	// SeatRelease is how long a seat may stay unused (never connected, never acted)
	// before it is let go, and how long an absent player's seat counts towards the
	// room's capacity (see seats.go). 0 never lets a seat go.
	SeatRelease time.Duration
	// RevealGrace is how long a player whose last connection closed still counts for
	// auto-reveal, so that reloading a page does not reveal the round. 0: no grace.
	RevealGrace time.Duration
	// MaxRecordRounds is how many rounds a room's session record keeps, the oldest
	// dropped first. 0 keeps them all.
	MaxRecordRounds int
	// CodeLength is the length of new rooms' codes, MinCodeLength to MaxCodeLength
	// (see code.go for why the default is long enough). 0: DefaultCodeLength.
	CodeLength int
	// OnPanic is told of a panic recovered in a room's timer (with its stack); the
	// room and the process carry on. Nil logs it with the default logger.
	OnPanic PanicHandler
	// AliasKey draws the players' public aliases from their secret ids (see alias.go).
	// Instances that share rooms share it. Default: a random key for this registry.
	AliasKey []byte
	// Log keeps the rooms' events beyond the process (see eventlog.go). Nil: the rooms
	// live in memory only, and a restart loses them.
	Log EventLog
	// Retention is, with a Log, how long a room nobody is connected to is kept after its
	// last event (see retention.go); it replaces EmptyRoomGrace then. 0 keeps such
	// rooms for ever.
	Retention time.Duration
	// SnapshotEvery is, with a Log, how many events a room hands it between two
	// snapshots of its whole state. 0: SnapshotEveryDefault.
	SnapshotEvery int
}

// Registry holds the rooms by code. Its lock guards only the map: it is never held
// while a room works.
type Registry struct {
	cfg   RegistryConfig
	mu    sync.RWMutex
	rooms map[string]*Room
	// Rooms with their own cards have a deck of their own, under an id no configured
	// deck uses, so that GET /api/decks/{id} finds it as the Vue frontend expects.
	customDecks  map[int]Deck
	nextCustomID int

	logFailures logFailures // events and snapshots the rooms could not hand to the log
}

// firstCustomDeckID is where the ids of rooms' own decks start.
const firstCustomDeckID = 1_000_000

// NewRegistry returns an empty registry.
func NewRegistry(cfg RegistryConfig) *Registry {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.NewCode == nil {
		next, err := RandomCodes(cmp.Or(cfg.CodeLength, DefaultCodeLength))
		if err != nil {
			panic("game.NewRegistry: " + err.Error()) // a configuration checked before
		}
		cfg.NewCode = next
	}
	if len(cfg.AliasKey) == 0 {
		cfg.AliasKey = NewAliasKey()
	}
	if cfg.SnapshotEvery <= 0 {
		cfg.SnapshotEvery = SnapshotEveryDefault
	}
	return &Registry{cfg: cfg, rooms: map[string]*Room{}, customDecks: map[int]Deck{}, nextCustomID: firstCustomDeckID}
}

// maxCodeAttempts bounds the search for an unused code; with the room cap far below the
// number of codes, a clash this many times in a row means the generator is broken.
const maxCodeAttempts = 100

// Create opens a room with the given name (cleaned, see CleanName), deck and settings.
func (g *Registry) Create(name string, deckID int, settings GameSettings) (*Room, error) {
	name = CleanName(name)
	if err := checkNewRoom(name, &settings); err != nil {
		return nil, err
	}
	deck, err := g.cfg.Decks.Deck(deckID)
	if err != nil {
		return nil, err
	}
	return g.open(name, deck, settings)
}

// CreateWithCards opens a room that plays with its own cards instead of a configured
// deck (see ParseCustomCards).
func (g *Registry) CreateWithCards(name string, cards []Card, settings GameSettings) (*Room, error) {
	name = CleanName(name)
	if err := checkNewRoom(name, &settings); err != nil {
		return nil, err
	}
	if len(cards) > MaxCustomCards {
		return nil, Errorf(EInvalid, "a room has at most %d cards", MaxCustomCards)
	}
	deck, err := CustomDeck(0, cards)
	if err != nil {
		return nil, err
	}
	return g.open(name, deck, settings)
}

func checkNewRoom(name string, settings *GameSettings) error {
	if err := CheckGameName(name); err != nil {
		return err
	}
	if err := settings.Check(); err != nil {
		return err
	}
	if settings.RoundTimer != nil {
		t := *settings.RoundTimer
		settings.RoundTimer = &t
	}
	return nil
}

// Deck finds a configured deck or a room's own deck by id.
func (g *Registry) Deck(id int) (Deck, error) {
	g.mu.RLock()
	d, ok := g.customDecks[id]
	g.mu.RUnlock()
	if ok {
		return cloneDeck(d), nil
	}
	return g.cfg.Decks.Deck(id)
}

func (g *Registry) open(name string, deck Deck, settings GameSettings) (*Room, error) {
	room, err := g.add(name, deck, settings)
	if err != nil {
		return nil, err
	}
	if g.cfg.UnusedRoomTTL > 0 {
		// Epoch 0: the room has never been emptied, so nobody has connected yet.
		room.scheduleDelete(0, g.after(g.cfg.UnusedRoomTTL, func() { g.deleteIfEmpty(room, 0) }))
	}
	return room, nil
}

// add registers a new room under an unused code.
func (g *Registry) add(name string, deck Deck, settings GameSettings) (*Room, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cfg.MaxRooms > 0 && len(g.rooms) >= g.cfg.MaxRooms {
		return nil, Errorf(EExhausted, "This server already holds its limit of %d games; try again later", g.cfg.MaxRooms)
	}
	for range maxCodeAttempts {
		code := g.cfg.NewCode()
		if _, taken := g.rooms[code]; taken || !ValidCode(code) {
			continue
		}
		if deck.ID == 0 { // the room's own cards
			deck.ID = g.freeCustomDeckIDLocked()
			g.customDecks[deck.ID] = cloneDeck(deck)
		}
		room := newRoom(g.roomConfig(), GameInfo{Code: code, Name: name, Deck: deck, Settings: settings})
		g.rooms[code] = room
		return room, nil
	}
	return nil, Errorf(EExhausted, "no free game code could be found; try again later")
}

// roomConfig is what every room of the registry takes from it.
func (g *Registry) roomConfig() roomConfig {
	return roomConfig{
		clock:              g.cfg.Clock,
		maxPlayers:         g.cfg.MaxPlayersPerRoom,
		facilitatorTimeout: g.cfg.FacilitatorTimeout,
		seatRelease:        g.cfg.SeatRelease,
		revealGrace:        g.cfg.RevealGrace,
		recordLimit:        g.cfg.MaxRecordRounds,
		onPanic:            g.cfg.OnPanic,
		emptied:            g.roomEmptied,
		aliasKey:           g.cfg.AliasKey,
		log:                g.cfg.Log,
		snapshotEvery:      g.cfg.SnapshotEvery,
		logFailures:        &g.logFailures,
	}
}

// Room returns the open room with the given code.
func (g *Registry) Room(code string) (*Room, error) {
	g.mu.RLock()
	room, ok := g.rooms[code]
	g.mu.RUnlock()
	if !ok {
		if !ValidCode(code) {
			// Not a code at all: the message does not echo what may be any length.
			return nil, Errorf(ENotFound, "No existing game found with that code")
		}
		return nil, Errorf(ENotFound, "No existing game found with code '%s'", code)
	}
	return room, nil
}

// Len is the number of open rooms.
func (g *Registry) Len() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return len(g.rooms)
}

// roomEmptied is called by a room, outside its lock, when its last connection closed.
func (g *Registry) roomEmptied(room *Room, epoch uint64) {
	if g.cfg.Log != nil {
		g.keepUntilIdle(room, epoch) // see retention.go
		return
	}
	if g.cfg.EmptyRoomGrace <= 0 {
		g.deleteIfEmpty(room, epoch)
		return
	}
	room.scheduleDelete(epoch, g.after(g.cfg.EmptyRoomGrace, func() { g.deleteIfEmpty(room, epoch) }))
}

// after runs f once d has passed, with panics recovered (see timers.go).
func (g *Registry) after(d time.Duration, f func()) Timer {
	return g.cfg.Clock.AfterFunc(d, guarded(g.cfg.OnPanic, f))
}

func (g *Registry) deleteIfEmpty(room *Room, epoch uint64) {
	// Deferred: a room whose closing panicked (in a subscriber) is closed all the same,
	// and must not stay in the map, counted against the cap, for ever.
	defer g.forgetIfClosed(room)
	room.closeIfEmpty(epoch)
}

// forgetIfClosed takes a closed room, and its own deck, out of the registry.
func (g *Registry) forgetIfClosed(room *Room) {
	if !room.isClosed() {
		return
	}
	deckID := room.Game().Deck.ID
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rooms[room.Code()] != room {
		return // forgotten already (two deletions were due): its deck id may be another's now
	}
	delete(g.rooms, room.Code())
	if deckID >= firstCustomDeckID {
		delete(g.customDecks, deckID)
	}
	if g.cfg.Log != nil {
		// Under the registry's lock, so that a new room cannot take the code and start
		// its history before the old one's is forgotten.
		g.cfg.Log.Delete(room.Code())
	}
}

// freeCustomDeckIDLocked returns an id that neither a configured deck nor another
// room's deck uses.
func (g *Registry) freeCustomDeckIDLocked() int {
	for {
		id := g.nextCustomID
		g.nextCustomID++
		if g.nextCustomID < firstCustomDeckID {
			g.nextCustomID = firstCustomDeckID // wrapped around
		}
		if _, used := g.customDecks[id]; used {
			continue
		}
		if _, err := g.cfg.Decks.Deck(id); err == nil {
			continue
		}
		return id
	}
}

// RegistryStats is a moment's count of what a registry holds.
type RegistryStats struct {
	Rooms   int // open rooms
	Players int // players seated in them, connected or not
	// LogFailures counts the events and snapshots that could not be encoded for the
	// event log since the start (see logged.go).
	LogFailures int64
}

// Stats counts the rooms and their players, for monitoring. It takes each room's lock
// in turn, never with the registry's held, so it delays no room for long.
func (g *Registry) Stats() RegistryStats {
	g.mu.RLock()
	rooms := make([]*Room, 0, len(g.rooms))
	for _, r := range g.rooms {
		rooms = append(rooms, r)
	}
	g.mu.RUnlock()
	st := RegistryStats{Rooms: len(rooms), LogFailures: g.logFailures.count()}
	for _, r := range rooms {
		st.Players += r.seated()
	}
	return st
}
