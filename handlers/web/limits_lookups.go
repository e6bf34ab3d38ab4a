package web

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/pokerd/pokerd/game"
)

// CodeLookupLimits bounds the room codes one client may try that lead nowhere, so that
// rooms cannot be found by guessing their codes. A client is its address, as for Limits.
type CodeLookupLimits struct {
	// MissesPerMinute is how fast a client's budget of misses refills; 0 turns the
	// limit off.
	MissesPerMinute int
	// Burst is how many misses a client may make in a row with a full budget.
	Burst int
}

// DefaultCodeLookupLimits: ten misses in a row (a few mistyped codes and stale links are
// far fewer), then one every 6 s. game/code.go says why that, with codes of the default
// length, leaves guessing hopeless.
var DefaultCodeLookupLimits = CodeLookupLimits{MissesPerMinute: 10, Burst: 10}

// limitCodeMisses names the code look-up limit in pokerd_limit_refusals_total.
const limitCodeMisses = "code_misses_per_minute"

// codeLookups remembers, for each client that missed lately, its budget of misses and
// the codes it missed last. A client with a full budget has no entry, so the table holds
// only recent guessers.
type codeLookups struct {
	cfg     CodeLookupLimits
	tracked int // most clients remembered
	now     func() time.Time

	// mu is held across a look-up (find), so that two look-ups of one client at once
	// cannot both spend its last miss: the refusal and the miss are one step. A look-up
	// is a map read, so the lock is never held for long.
	mu        sync.Mutex
	clients   map[string]*missingCodes
	lastSweep time.Time
}

// recentMisses is how many of its last missed codes a client may look up again for free.
// A page left open on a room that is gone (the server restarted, say) asks for its code
// again and again, its event stream reconnecting every minute for ever; a few such tabs
// behind one address would otherwise spend its budget for everyone there. Asking again
// for a code it was told is missing tells a guesser nothing new.
const recentMisses = 8

// missingCodes is what the table holds of a client: its budget of misses, and the codes
// it missed last.
type missingCodes struct {
	budget *rate.Limiter
	recent [recentMisses]string
	next   int // where the next miss is written in recent
	// guessing is how many of the client's guesses are being checked or wait for their
	// turn (see beginGuess); the entry is kept while there are any.
	guessing int
	// checking holds a miss of the budget for the one guess being checked, until its
	// answer is known.
	checking bool
	// turn lets one guess of the client be checked at a time.
	turn chan struct{}
	// claims bounds the player ids the client may name to get past a refusal (see
	// Server.seatedDespiteRefusal); made on the first one.
	claims *rate.Limiter
}

// claimsPerMinute is how many player ids a refused client may name a minute to show it
// sits in the room it looks up: a team's reconnects, never a guesser's pace.
const claimsPerMinute = 60

// allowClaim reports whether the client, refused, may have a player id it names checked.
func (l *codeLookups) allowClaim(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	client := l.clients[key]
	if client == nil {
		return false // not refused: nothing to get past
	}
	if client.claims == nil {
		client.claims = rate.NewLimiter(rate.Limit(float64(claimsPerMinute)/60), claimsPerMinute)
	}
	return client.claims.AllowN(l.now(), 1)
}

// available is how many misses the client may still make: its budget, less the miss
// the guess being checked holds.
func (m *missingCodes) available(now time.Time) float64 {
	if m.checking {
		return m.budget.TokensAt(now) - 1
	}
	return m.budget.TokensAt(now)
}

func (m *missingCodes) missedLately(code string) bool {
	for _, c := range m.recent {
		if c == code {
			return true
		}
	}
	return false
}

func newCodeLookups(cfg CodeLookupLimits, tracked int) *codeLookups {
	return &codeLookups{cfg: cfg, tracked: tracked, now: time.Now, clients: map[string]*missingCodes{}}
}

// lookUp runs find, a look-up of code that reports whether its room was found, for the
// client at key, and counts a miss against the client (unless the client missed that
// code lately). A client whose misses are spent is refused without find being run,
// whether its code would be found or not (answering hits alone would tell them from
// misses): wait is then how long until the client may look up again.
func (l *codeLookups) lookUp(key, code string, find func() bool) (wait time.Duration, refused bool) {
	if l.cfg.MissesPerMinute <= 0 || l.cfg.Burst <= 0 {
		find()
		return 0, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	client := l.clients[key]
	if client != nil {
		if tokens := client.available(now); tokens < 1 {
			return l.waitFor(1 - tokens), true
		}
	}
	if find() {
		return 0, false
	}
	if client == nil {
		client = l.newClientLocked(key, now)
	} else if client.missedLately(code) {
		return 0, false
	}
	client.budget.AllowN(now, 1)
	if game.ValidCode(code) { // a malformed code is never remembered: it may be any length
		client.recent[client.next] = code
		client.next = (client.next + 1) % recentMisses
	}
	return 0, false
}

// beginGuess starts a guess that is not a code, a passcode for a room the client found:
// a wrong one spends a miss of the client's budget, a right one nothing.
//
// A client's guesses are checked one at a time, each against the budget as its turn
// comes, and the checked one holds a miss until done is called with its answer: guesses
// sent at once cannot all be checked against one miss left, and a team behind one
// address joining at once with the right passcode all get in, one after another (a
// check takes milliseconds). A client whose misses are spent is refused (wait: until the
// next miss) and must not check; so is one whose ctx ends while it waits its turn (wait
// 0).
func (l *codeLookups) beginGuess(ctx context.Context, key string) (done func(right bool), wait time.Duration, refused bool) {
	if l.cfg.MissesPerMinute <= 0 || l.cfg.Burst <= 0 {
		return func(bool) {}, 0, false
	}
	l.mu.Lock()
	client := l.clients[key]
	if client == nil {
		client = l.newClientLocked(key, l.now())
	}
	client.guessing++ // keeps the entry, and its budget, while the guess waits
	l.mu.Unlock()

	select {
	case client.turn <- struct{}{}:
	case <-ctx.Done():
		l.mu.Lock()
		client.guessing--
		l.mu.Unlock()
		return nil, 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if tokens := client.available(l.now()); tokens < 1 {
		client.guessing--
		<-client.turn
		return nil, l.waitFor(1 - tokens), true
	}
	client.checking = true
	return func(right bool) {
		l.mu.Lock()
		defer l.mu.Unlock()
		client.checking = false
		client.guessing--
		if !right {
			client.budget.AllowN(l.now(), 1)
		}
		<-client.turn
	}, 0, false
}

// waitFor is how long the budget takes to refill the given misses, to the microsecond:
// finer, the float's error would show (4.000000001 s), and Retry-After, which rounds up
// to whole seconds, would ask for a second more than needed.
func (l *codeLookups) waitFor(missing float64) time.Duration {
	perSecond := float64(l.cfg.MissesPerMinute) / 60
	return time.Duration(math.Round(missing/perSecond*1e6)) * time.Microsecond
}

// newClientLocked makes an entry, with a full budget, for a client that just missed,
// making room for it in the table.
func (l *codeLookups) newClientLocked(key string, now time.Time) *missingCodes {
	if now.Sub(l.lastSweep) >= sweepEvery || (l.tracked > 0 && len(l.clients) >= l.tracked) {
		l.sweepLocked(now)
	}
	if l.tracked > 0 && len(l.clients) >= l.tracked {
		// Still full of clients with misses spent: one of them is forgotten (which one
		// is left to map order). To make room for itself, an attacker has to miss from
		// more addresses than the table holds, each of which has its own budget anyway.
		for k, c := range l.clients {
			if c.guessing == 0 { // one with guesses under way would lose their misses
				delete(l.clients, k)
				break
			}
		}
	}
	client := &missingCodes{budget: rate.NewLimiter(rate.Limit(float64(l.cfg.MissesPerMinute)/60), l.cfg.Burst), turn: make(chan struct{}, 1)}
	l.clients[key] = client
	return client
}

// sweepLocked forgets the clients whose budget is full again: they are as good as new.
func (l *codeLookups) sweepLocked(now time.Time) {
	l.lastSweep = now
	for key, client := range l.clients {
		if client.guessing == 0 && client.budget.TokensAt(now) >= float64(l.cfg.Burst) {
			delete(l.clients, key)
		}
	}
}

// trackedClients is the number of clients in the table, for tests.
func (l *codeLookups) trackedClients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}
