package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// Every route that takes a room code from its path finds the room here, so that a code
// that leads nowhere counts against the client the same way on each of them: the API's
// join and record, the WebSocket, the join and room pages and everything under them, the
// QR code. A client that has spent its misses (see codeLookups) is refused 429 with
// Retry-After on every one of them, for codes that exist as well.

// lookupRefusal is the refusal of a look-up: a 429 in the API's shape, carrying how long
// the client waits.
type lookupRefusal struct {
	apiError
	retryAfter int // seconds
}

func (r *lookupRefusal) Unwrap() error { return &r.apiError }

// lookupRefused tells the refusal of a look-up from a missing room, for the routes that
// answer them differently (the WebSocket: the refusal before the upgrade, a missing room
// after it).
func lookupRefused(err error) bool {
	var refusal *lookupRefusal
	return errors.As(err, &refusal)
}

// findRoom returns the room with the given code, or the error to answer: the domain's
// ENotFound for a room that does not exist (a malformed code included: it is a guess
// too), a lookupRefusal for a client that has tried too many codes. It sets Retry-After
// on the refusal's response.
//
// claimed are player ids the request says it sits under (a socket's or the record's
// player_id, a join's id): with the browser's cookie, they may let a refused look-up
// through (see seatedDespiteRefusal).
func (s *Server) findRoom(c echo.Context, code string, claimed ...uuid.UUID) (*game.Room, error) {
	var room *game.Room
	var err error
	key := s.clientKey(c)
	wait, refused := s.lookups.lookUp(key, code, func() bool {
		room, err = s.rooms.Room(code)
		return err == nil
	})
	if !refused {
		return room, err
	}
	if room := s.seatedDespiteRefusal(c, key, code, claimed); room != nil {
		return room, nil
	}
	return nil, s.refuseLookup(c, key, wait)
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
func (s *Server) seatedDespiteRefusal(c echo.Context, key, code string, claimed []uuid.UUID) *game.Room {
	var claims []uuid.UUID
	if len(claimed) > 0 && s.lookups.allowClaim(key) {
		claims = append(claims, claimed...)
	}
	if browser, ok := s.presentedIdentity(c); ok {
		claims = append(claims, seatID(browser, code))
	}
	if len(claims) == 0 {
		return nil
	}
	room, err := s.rooms.Room(code)
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
func (s *Server) refuseLookup(c echo.Context, key string, wait time.Duration) error {
	s.faults.refused(limitCodeMisses, "client", key, "path", c.Request().URL.Path)
	seconds := max(1, int((wait+time.Second-1)/time.Second))
	c.Response().Header().Set("Retry-After", strconv.Itoa(seconds))
	return &lookupRefusal{
		apiError: apiError{
			status: http.StatusTooManyRequests,
			detail: "Too many room codes tried from your address that lead to no room: try again in " + strconv.Itoa(seconds) + " s",
		},
		retryAfter: seconds,
	}
}

// findRoomForPage is findRoom for the pages: without a room, it answers the request
// itself, with the page saying there is no such room (404) or the refusal (429). An
// htmx request (an action, a part of the room page) is told to reload the page instead,
// which then shows the refusal: htmx would show nothing of a 429.
func (s *Server) findRoomForPage(c echo.Context, code string) (*game.Room, error) {
	room, err := s.findRoom(c, code)
	var refusal *lookupRefusal
	switch {
	case err == nil:
		return room, nil
	case !errors.As(err, &refusal):
		return nil, noSuchRoom(c, code)
	case isHTMX(c):
		c.Response().Header().Set("HX-Refresh", "true")
		return nil, c.NoContent(http.StatusTooManyRequests)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return nil, render(c, http.StatusTooManyRequests, views.LookupRefused(views.LookupRefusedData{
		Page: page(c, "Too many room codes tried — pokerd"), RetryAfter: refusal.retryAfter,
	}))
}
