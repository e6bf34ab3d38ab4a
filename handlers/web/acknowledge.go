package web

import (
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// Acknowledge waits, before an answer tells the client its request was done, until the
// room's event log has committed what the request changed: what is acknowledged is
// never lost to a crash. Everyone else in the room has seen the change already; a room
// without a log does not wait. It fails only when the client has gone meanwhile.
func Acknowledge(c echo.Context, room *game.Room) error {
	return room.Durable(c.Request().Context())
}
