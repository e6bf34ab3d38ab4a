package game

import (
	"sync"
	"time"
	"unicode/utf8"
)

// RegistryConfig holds what a Registry needs. Zero caps mean no cap.
type RegistryConfig struct {
	Decks             DeckDB
	Clock             Clock         // default: SystemClock
	NewCode           CodeGenerator // default: RandomCode
	MaxRooms          int
	MaxPlayersPerRoom int
	// EmptyRoomGrace is how long a room whose last connection closed is kept, so that a
	// facilitator who reloads the page does not lose it. 0 deletes it at once.
	EmptyRoomGrace time.Duration
	// UnusedRoomTTL is how long a room that nobody has connected to yet is kept, so that
	// rooms created and never used do not fill the server. 0 keeps them forever.
	UnusedRoomTTL time.Duration
}

// Registry holds the rooms by code. Its lock guards only the map: it is never held
// while a room works.
type Registry struct {
	cfg   RegistryConfig
	mu    sync.RWMutex
	rooms map[string]*Room
}

// NewRegistry returns an empty registry.
func NewRegistry(cfg RegistryConfig) *Registry {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.NewCode == nil {
		cfg.NewCode = RandomCode
	}
	return &Registry{cfg: cfg, rooms: map[string]*Room{}}
}

// maxCodeAttempts bounds the search for an unused code; with the room cap far below the
// number of codes, a clash this many times in a row means the generator is broken.
const maxCodeAttempts = 100

// Create opens a room with the given name, deck and settings.
func (g *Registry) Create(name string, deckID int, settings GameSettings) (*Room, error) {
	if utf8.RuneCountInString(name) > MaxGameNameLength {
		return nil, Errorf(EInvalid, "a game name has at most %d characters", MaxGameNameLength)
	}
	if settings.RoundTimer != nil {
		if err := settings.RoundTimer.Check(); err != nil {
			return nil, err
		}
		t := *settings.RoundTimer
		settings.RoundTimer = &t
	}
	deck, err := g.cfg.Decks.Deck(deckID)
	if err != nil {
		return nil, err
	}

	room, err := g.add(name, deck, settings)
	if err != nil {
		return nil, err
	}
	if g.cfg.UnusedRoomTTL > 0 {
		// Epoch 0: the room has never been emptied, so nobody has connected yet.
		room.scheduleDelete(0, g.cfg.Clock.AfterFunc(g.cfg.UnusedRoomTTL, func() { g.deleteIfEmpty(room, 0) }))
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
		room := newRoom(g.cfg.Clock, GameInfo{Code: code, Name: name, Deck: deck, Settings: settings},
			g.cfg.MaxPlayersPerRoom, g.roomEmptied)
		g.rooms[code] = room
		return room, nil
	}
	return nil, Errorf(EExhausted, "no free game code could be found; try again later")
}

// Room returns the open room with the given code.
func (g *Registry) Room(code string) (*Room, error) {
	g.mu.RLock()
	room, ok := g.rooms[code]
	g.mu.RUnlock()
	if !ok {
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
	if g.cfg.EmptyRoomGrace <= 0 {
		g.deleteIfEmpty(room, epoch)
		return
	}
	room.scheduleDelete(epoch, g.cfg.Clock.AfterFunc(g.cfg.EmptyRoomGrace, func() { g.deleteIfEmpty(room, epoch) }))
}

func (g *Registry) deleteIfEmpty(room *Room, epoch uint64) {
	if !room.closeIfEmpty(epoch) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.rooms[room.Code()] == room {
		delete(g.rooms, room.Code())
	}
}
