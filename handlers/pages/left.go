package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/views"
)

// LeftPage is GET /room/{code}/left, where Leave sends the player: "You left <room>",
// with the way back. The room is named only where its join page would name it (not
// behind a passcode); an unknown room, or a look-up refused, gets the page unnamed.
func (s *Handlers) LeftPage(c echo.Context) error {
	code := c.Param("code")
	d := views.LeftData{Page: web.PageOf(c, "You left the room — pokerd"), Code: web.TruncateText(code, maxShownCode)}
	if room, err := s.gate.FindRoom(c, code); err == nil {
		st := room.State()
		d.Code = st.Game.Code
		if !st.Game.Settings.Passcode.IsSet() {
			d.RoomName = views.RoomTitle(st)
			d.Page = web.PageOf(c, "You left "+d.RoomName+" — pokerd")
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return web.Render(c, http.StatusOK, views.Left(d))
}
