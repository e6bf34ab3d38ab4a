package web

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"golang.org/x/time/rate"

	"github.com/pokerd/pokerd/game"
)

// Limits bounds what one client may cost the server, so that no client can take from
// the others what the server has for everyone (its room cap, its descriptors). A client
// is its address (see TrustedProxies and limitKey). Zero turns a limit off.
type Limits struct {
	TrustedProxies TrustedProxies

	RoomsPerMinute        int // rooms an address may open a minute, in a burst of as many
	UnusedRoomsPerAddress int // rooms an address opened that nobody has connected to yet
	JoinsPerMinute        int // joins from an address a minute, in a burst of as many

	// Long-lived connections: WebSockets and event streams together.
	ConnectionsPerPlayer  int // of one player (a few tabs)
	ConnectionsPerAddress int // from one address (a company behind one NAT)
	MaxConnections        int // from everyone: kept below the descriptor limit

	// TrackedClients caps the table of clients the limits remember; beyond it the
	// entries that hold no connection are forgotten first.
	TrackedClients int
}

// DefaultLimits is what pokerd uses unless told otherwise. MaxConnections is derived
// from the descriptor limit by main.
var DefaultLimits = Limits{
	RoomsPerMinute:        20,
	UnusedRoomsPerAddress: 20,
	JoinsPerMinute:        60,
	ConnectionsPerPlayer:  8,
	ConnectionsPerAddress: 256,
	TrackedClients:        100_000,
}

// Names of the limits, as pokerd_limit_refusals_total labels them.
const (
	limitRoomsPerMinute        = "rooms_per_minute"
	limitUnusedRooms           = "unused_rooms_per_address"
	limitJoinsPerMinute        = "joins_per_minute"
	limitConnectionsPerPlayer  = "connections_per_player"
	limitConnectionsPerAddress = "connections_per_address"
	limitConnectionsTotal      = "connections_total"
)

// sweepEvery is how often the table forgets clients that carry no state any more: a
// client's rate buckets are full again a minute after its last request.
const sweepEvery = time.Minute

// clientLimits is the table of clients the limits count, under one lock: each admission
// is a few map operations.
type clientLimits struct {
	cfg Limits
	now func() time.Time

	mu        sync.Mutex
	clients   map[string]*clientState
	players   map[playerKey]int // open connections by player, while any is open
	open      int               // long-lived connections open, from everyone
	lastSweep time.Time
}

// playerKey names a player's connections from one address. Ids are chosen by clients, so
// the room is part of it. So is the address: ids are secrets now (others see aliases),
// but a leaked id (a shared screenshot of the Vue frontend's cookie, say) must still not
// let someone fill a player's places and lock them out; by player and address, an
// attacker only ever fills their own.
type playerKey struct {
	code   string
	id     uuid.UUID
	client string
}

// clientState is what the limits remember of one address.
type clientState struct {
	seen      time.Time
	creations *rate.Limiter // nil while the limit is off
	joins     *rate.Limiter
	unused    []*game.Room // rooms it opened, until each is used or gone
	conns     int          // long-lived connections open
}

// perMinute is a token bucket refilled at n a minute up to n, full to begin with.
func perMinute(n int) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(float64(n)/60), n)
}

func newClientLimits(cfg Limits) *clientLimits {
	return &clientLimits{cfg: cfg, now: time.Now, clients: map[string]*clientState{}, players: map[playerKey]int{}}
}

// refusal is what a limit answers: the status, the message a client is shown and the
// limit's name for the counter.
type refusal struct {
	status int
	limit  string
	detail string
}

func tooMany(limit, detail string) *refusal {
	return &refusal{status: http.StatusTooManyRequests, limit: limit, detail: detail}
}

// clientLocked returns the state of the client at key, making room for it in the table.
func (l *clientLimits) clientLocked(key string, now time.Time) *clientState {
	if now.Sub(l.lastSweep) >= sweepEvery {
		l.sweepLocked(now)
	}
	c := l.clients[key]
	if c == nil {
		if l.cfg.TrackedClients > 0 && len(l.clients) >= l.cfg.TrackedClients {
			l.sweepLocked(now)
			l.evictLocked()
		}
		c = &clientState{}
		if n := l.cfg.RoomsPerMinute; n > 0 {
			c.creations = perMinute(n)
		}
		if n := l.cfg.JoinsPerMinute; n > 0 {
			c.joins = perMinute(n)
		}
		l.clients[key] = c
	}
	c.seen = now
	return c
}

// sweepLocked forgets the clients that no limit needs: idle for a minute (their buckets
// are full), with no connection open and no unused room.
func (l *clientLimits) sweepLocked(now time.Time) {
	l.lastSweep = now
	for key, c := range l.clients {
		c.pruneUnused()
		if c.conns == 0 && len(c.unused) == 0 && now.Sub(c.seen) >= time.Minute {
			delete(l.clients, key)
		}
	}
}

// evictLocked makes room in a full table by forgetting a client holding no connection
// (a connection's entry must stay until it closes). Which one is left to map order: an
// attacker who can fill the table has more addresses than any per-address limit holds.
func (l *clientLimits) evictLocked() {
	for key, c := range l.clients {
		if c.conns == 0 {
			delete(l.clients, key)
			return
		}
	}
}

// pruneUnused lets go of the rooms that someone has connected to, or that are gone.
func (c *clientState) pruneUnused() {
	kept := c.unused[:0]
	for _, r := range c.unused {
		if r.Unused() {
			kept = append(kept, r)
		}
	}
	clear(c.unused[len(kept):])
	c.unused = kept
}

// admitCreation checks a room creation from key: its pace, and its rooms not used yet.
// Only rooms actually opened count (see created): a request refused for its body does
// not use up the client's minute.
func (l *clientLimits) admitCreation(key string) *refusal {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clientLocked(key, l.now())
	if n := l.cfg.UnusedRoomsPerAddress; n > 0 {
		c.pruneUnused()
		if len(c.unused) >= n {
			return tooMany(limitUnusedRooms, "Too many unused rooms: you have opened "+strconv.Itoa(n)+" rooms that nobody has joined yet; use one of them or try again later")
		}
	}
	if c.creations != nil && c.creations.TokensAt(l.now()) < 1 {
		return tooMany(limitRoomsPerMinute, "Too many rooms opened: at most "+strconv.Itoa(l.cfg.RoomsPerMinute)+" a minute; try again in a minute")
	}
	return nil
}

// created notes a room opened by key: it takes from the client's minute, and counts as
// unused until someone connects.
func (l *clientLimits) created(key string, room *game.Room) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.clientLocked(key, l.now())
	if c.creations != nil {
		c.creations.AllowN(l.now(), 1)
	}
	if l.cfg.UnusedRoomsPerAddress > 0 {
		c.unused = append(c.unused, room)
	}
}

// admitJoin checks the pace of joins from key.
func (l *clientLimits) admitJoin(key string) *refusal {
	n := l.cfg.JoinsPerMinute
	if n <= 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.clientLocked(key, l.now()).joins.AllowN(l.now(), 1) {
		return tooMany(limitJoinsPerMinute, "Too many joins: at most "+strconv.Itoa(n)+" a minute; try again in a minute")
	}
	return nil
}

// admitConnection takes a place for a long-lived connection of player from key; the
// release it returns gives it back (call it once, when the connection ends).
func (l *clientLimits) admitConnection(key string, player playerKey) (release func(), refused *refusal) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.cfg.MaxConnections > 0 && l.open >= l.cfg.MaxConnections:
		return nil, &refusal{status: http.StatusServiceUnavailable, limit: limitConnectionsTotal,
			detail: "The server holds as many connections as it can; try again later"}
	case l.cfg.ConnectionsPerPlayer > 0 && l.players[player] >= l.cfg.ConnectionsPerPlayer:
		return nil, tooMany(limitConnectionsPerPlayer, "Too many connections for this player: at most "+
			strconv.Itoa(l.cfg.ConnectionsPerPlayer)+"; close a tab")
	}
	c := l.clientLocked(key, l.now())
	if n := l.cfg.ConnectionsPerAddress; n > 0 && c.conns >= n {
		return nil, tooMany(limitConnectionsPerAddress, "Too many connections from your address: at most "+strconv.Itoa(n))
	}
	c.conns++
	l.players[player]++
	l.open++
	var once sync.Once
	return func() { once.Do(func() { l.release(key, player) }) }, nil
}

func (l *clientLimits) release(key string, player playerKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.players[player]--; l.players[player] <= 0 {
		delete(l.players, player)
	}
	if c := l.clients[key]; c != nil {
		c.conns--
		c.seen = l.now()
	}
}

// tracked is the number of clients in the table, for tests.
func (l *clientLimits) tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
