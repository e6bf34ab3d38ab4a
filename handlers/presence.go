package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// A page used without scripts has no event stream to say that its player is here; its
// requests say it instead (see game/presence.go). The room page asks for presenceImage
// inside a <noscript>, so that only a browser without scripts sends the request, each
// time it loads the page; its form posts (without htmx) count too.

// presenceImage is an empty image: the answer the page's <img> waits for.
var presenceImage = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`)

// pagePresence is GET /room/{code}/here.svg: the room page loaded without scripts.
func (s *Server) pagePresence(c echo.Context) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	if err := room.Touch(seat.Player.ID); err != nil && game.CodeOf(err) != game.ENotSeated {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store") // each page load must ask again
	return c.Blob(http.StatusOK, "image/svg+xml", presenceImage)
}

// touchFromPage notes a plain form post of a seated player (htmx posts come with the
// page's stream, which speaks for the player). A room or seat gone since is left for
// the command that follows to report.
func touchFromPage(c echo.Context, room *game.Room, me game.Player) {
	if !isHTMX(c) {
		_ = room.Touch(me.ID)
	}
}
