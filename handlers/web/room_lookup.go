package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// Every route that takes a room code from its path finds the room here, so that a code
// that leads nowhere counts against the client the same way on each of them: the API's
// join and record, the WebSocket, the join and room pages and everything under them, the
// QR code. A client that has spent its misses (see codeLookups) is refused 429 with
// Retry-After on every one of them, for codes that exist as well.

// LookupRefusal is the refusal of a look-up: a 429 in the API's shape, carrying how long
// the client waits.
type LookupRefusal struct {
	Refusal    Error
	RetryAfter int // seconds
}

func (r *LookupRefusal) Error() string { return r.Refusal.Error() }
func (r *LookupRefusal) Unwrap() error { return &r.Refusal }

// LookupRefused tells the refusal of a look-up from a missing room, for the routes that
// answer them differently (the WebSocket: the refusal before the upgrade, a missing room
// after it).
func LookupRefused(err error) bool {
	var refusal *LookupRefusal
	return errors.As(err, &refusal)
}

// FindRoom returns the room with the given code, or the error to answer: the domain's
// ENotFound for a room that does not exist (a malformed code included: it is a guess
// too), a LookupRefusal for a client that has tried too many codes. It sets Retry-After
// on the refusal's response.
//
// claimed are player ids the request says it sits under (a socket's or the record's
// player_id, a join's id): with the browser's cookie, they may let a refused look-up
// through (see seatedDespiteRefusal).
func (g *Gate) FindRoom(c echo.Context, code string, claimed ...uuid.UUID) (*game.Room, error) {
	var room *game.Room
	var err error
	key := g.ClientKey(c)
	wait, refused := g.lookups.lookUp(key, code, func() bool {
		room, err = g.rooms.Room(code)
		return err == nil
	})
	if !refused {
		return room, err
	}
	if room := g.seatedDespiteRefusal(c, key, code, claimed); room != nil {
		return room, nil
	}
	return nil, g.refuseLookup(c, key, wait)
}

// seatedDespiteRefusal lets a refused look-up through when the request proves a seat in
// the room. Addresses are shared (an office behind one NAT, a mobile carrier), and one
// guesser there must not lock the others out of rooms they sit in. The proof is a secret
// that only a seated player holds, so without one a room that exists is refused like
// one that does not:
//   - the browser's identity cookie: its seat id is derived on the server, so it cannot
//     be chosen, and it is always tried;
//   - a player id the request names (claimed: a WebSocket's path, the record's query, a
//     join's body): it is the client's choice, and a careless client may have joined under a
//     guessable one (the nil UUID, say), so while refused an address may try only
//     claimsPerMinute of them; a guesser naming such an id learns no faster than it
//     would by missing.
func (g *Gate) seatedDespiteRefusal(c echo.Context, key, code string, claimed []uuid.UUID) *game.Room {
	var claims []uuid.UUID
	if len(claimed) > 0 && g.lookups.allowClaim(key) {
		claims = append(claims, claimed...)
	}
	if browser, ok := g.PresentedIdentity(c); ok {
		claims = append(claims, SeatID(browser, code))
	}
	if len(claims) == 0 {
		return nil
	}
	room, err := g.rooms.Room(code)
	if err != nil {
		return nil
	}
	for _, id := range claims {
		if _, err := room.Seat(id); err == nil {
			return room
		}
	}
	return nil
}

// refuseLookup answers a client whose budget of failed look-ups is spent: it logs and
// counts the refusal, sets Retry-After and returns the 429.
func (g *Gate) refuseLookup(c echo.Context, key string, wait time.Duration) error {
	g.faults.Refused(limitCodeMisses, "client", key, "path", c.Request().URL.Path)
	seconds := max(1, int((wait+time.Second-1)/time.Second))
	c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
	return &LookupRefusal{
		Refusal: Error{
			Status: http.StatusTooManyRequests,
			Detail: "Too many room codes tried from your address that lead to no room: try again in " + strconv.Itoa(seconds) + " s",
		},
		RetryAfter: seconds,
	}
}
