package pages

import (
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
	"github.com/pokerd/pokerd/views"
)

// StoriesDownload is GET /room/{code}/stories.csv: the per-story CSV (key, title, link,
// estimate, a summary of the votes; no names), for whoever may take the session record
// away. Others get the room page with the reason, as a 403, as for the record.
func (s *Handlers) StoriesDownload(c echo.Context) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	st, err := room.Session(seat.Player.ID)
	if err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		d := s.roomData(c, room, seat)
		d.Error = dom.Message
		if dom.Code == game.EForbidden {
			d.Error = "Only the facilitator may download the stories"
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return web.Render(c, web.StatusOf(dom.Code), views.RoomPage(d))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return wire.SendStoriesCSV(c, st)
}
