package handlers

import (
	"errors"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// The handlers' side of the per-client limits: each creating, joining or connecting
// handler calls one of these first, and returns the error when there is one (an
// apiError, so that the JSON API answers {"detail": ...}; pages show its detail in
// their form). Every refusal is counted and logged at warn.

// clientKey is what the limits count the request's client by.
func (s *Server) clientKey(c echo.Context) string {
	return limitKey(s.limits.cfg.TrustedProxies.clientAddr(c.Request()))
}

func (s *Server) refuse(c echo.Context, key string, r *refusal) error {
	s.faults.refused(r.limit, "client", key, "path", c.Request().URL.Path)
	return &apiError{status: r.status, detail: r.detail}
}

// admitRoomCreation checks a room creation against the client's limits. Call created
// with the room once it is open, so that it counts as the client's until it is used.
func (s *Server) admitRoomCreation(c echo.Context) (created func(*game.Room), err error) {
	key := s.clientKey(c)
	if r := s.limits.admitCreation(key); r != nil {
		return nil, s.refuse(c, key, r)
	}
	return func(room *game.Room) { s.limits.created(key, room) }, nil
}

// admitJoin checks a join against the client's limits.
func (s *Server) admitJoin(c echo.Context) error {
	key := s.clientKey(c)
	if r := s.limits.admitJoin(key); r != nil {
		return s.refuse(c, key, r)
	}
	return nil
}

// admitConnection takes a place for a long-lived connection (a WebSocket or an event
// stream) of the player with the given id in the room with the given code; release
// gives it back when the connection ends.
func (s *Server) admitConnection(c echo.Context, code string, player uuid.UUID) (release func(), err error) {
	key := s.clientKey(c)
	release, r := s.limits.admitConnection(key, playerKey{code: code, id: player, client: key})
	if r != nil {
		return nil, s.refuse(c, key, r)
	}
	return release, nil
}

// admitStream is admitConnection for GET /room/{code}/events: the player is the one this
// browser is in that room.
func (s *Server) admitStream(c echo.Context) (release func(), err error) {
	code := c.Param("code")
	return s.admitConnection(c, code, seatID(s.browserIdentity(c), code))
}

// refusalDetail is the message of a limit's refusal, for a page to show in its form.
func refusalDetail(err error) (status int, detail string, ok bool) {
	var api *apiError
	if !errors.As(err, &api) {
		return 0, "", false
	}
	d, _ := api.detail.(string)
	return api.status, d, true
}
