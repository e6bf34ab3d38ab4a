package pages

import (
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
	"github.com/pokerd/pokerd/views"
)

// RecordDownload is GET /room/{code}/record.csv and /record.json: the session record as
// a file, for the facilitator (or anyone in a facilitator-free room). Others get the
// room page with the reason, as a 403.
func (s *Handlers) RecordDownload(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
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
				d.Error = "Only the facilitator may download the session record"
			}
			c.Response().Header().Set("Cache-Control", "no-store")
			return web.Render(c, web.StatusOf(dom.Code), views.RoomPage(d))
		}
		// A file is passed around once downloaded, and a browser player's id is the key to
		// their seat: the downloads name every player, the viewer included, by alias.
		h := c.Response().Header()
		h.Set("Content-Disposition", `attachment; filename="pokerd-`+st.Game.Code+`-record.`+format+`"`)
		h.Set("Cache-Control", "no-store")
		if format == "csv" {
			return wire.SendRecordCSV(c, st, wire.Names{})
		}
		return wire.SendRecordJSON(c, st, wire.Names{})
	}
}
