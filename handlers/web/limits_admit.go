package web

import (
	"errors"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// The handlers' side of the per-client limits: each creating, joining or connecting
// handler calls one of these first, and returns the error when there is one (an
// Error, so that the JSON API answers {"detail": ...}; pages show its detail in
// their form). Every refusal is counted and logged at warn.

// ClientKey is what the limits count the request's client by.
func (g *Gate) ClientKey(c echo.Context) string {
	return limitKey(g.limits.cfg.TrustedProxies.clientAddr(c.Request()))
}

func (g *Gate) refuse(c echo.Context, key string, r *refusal) error {
	g.faults.Refused(r.limit, "client", key, "path", c.Request().URL.Path)
	return &Error{Status: r.status, Detail: r.detail}
}

// AdmitRoomCreation checks a room creation against the client's limits. Call created
// with the room once it is open, so that it counts as the client's until it is used.
func (g *Gate) AdmitRoomCreation(c echo.Context) (created func(*game.Room), err error) {
	key := g.ClientKey(c)
	if r := g.limits.admitCreation(key); r != nil {
		return nil, g.refuse(c, key, r)
	}
	return func(room *game.Room) { g.limits.created(key, room) }, nil
}

// AdmitJoin checks a join against the client's limits.
func (g *Gate) AdmitJoin(c echo.Context) error {
	key := g.ClientKey(c)
	if r := g.limits.admitJoin(key); r != nil {
		return g.refuse(c, key, r)
	}
	return nil
}

// AdmitConnection takes a place for a long-lived connection (a WebSocket or an event
// stream) of the player with the given id in the room with the given code; release
// gives it back when the connection ends.
func (g *Gate) AdmitConnection(c echo.Context, code string, player uuid.UUID) (release func(), err error) {
	key := g.ClientKey(c)
	release, r := g.limits.admitConnection(key, playerKey{code: code, id: player, client: key})
	if r != nil {
		return nil, g.refuse(c, key, r)
	}
	return release, nil
}

// AdmitStream is AdmitConnection for GET /room/{code}/events: the player is the one this
// browser is in that room.
func (g *Gate) AdmitStream(c echo.Context) (release func(), err error) {
	code := c.Param("code")
	return g.AdmitConnection(c, code, SeatID(g.BrowserIdentity(c), code))
}

// RefusalDetail is the message of a limit's refusal, for a page to show in its form.
func RefusalDetail(err error) (status int, detail string, ok bool) {
	var api *Error
	if !errors.As(err, &api) {
		return 0, "", false
	}
	d, _ := api.Detail.(string)
	return api.Status, d, true
}
