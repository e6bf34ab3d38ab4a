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
// room page with the reason, as a 403. A file is passed around once downloaded, and a
// browser player's id is the key to their seat: the downloads name every player, the
// viewer included, by alias.
func (s *Handlers) RecordDownload(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.sessionDownload(c, "record."+format, "the session record", func(st *game.State) error {
			if format == "csv" {
				return wire.SendRecordCSV(c, st, wire.Names{})
			}
			return wire.SendRecordJSON(c, st, wire.Names{})
		})
	}
}

// StoriesDownload is GET /room/{code}/stories.csv: the session per story (key, title,
// link, estimate, a summary of the votes; never a name), for Jira's or GitHub's CSV
// importer, for whoever may take the session record away.
func (s *Handlers) StoriesDownload(c echo.Context) error {
	return s.sessionDownload(c, "stories.csv", "the stories", func(st *game.State) error {
		return wire.SendStoriesCSV(c, st)
	})
}

// sessionDownload sends one of the session's files, named pokerd-{code}-{file}, with
// send, to a viewer the room lets take the session away (room.Session); others get the
// room page with the reason (what names the file in it), as a 403.
func (s *Handlers) sessionDownload(c echo.Context, file, what string, send func(*game.State) error) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	st, err := room.Session(seat.Player.ID)
	if err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		d := s.roomData(c, room, seat)
		d.Error = dom.Message
		if dom.Code == game.EForbidden {
			d.Error = "Only the facilitator may download " + what
		}
		return web.Render(c, web.StatusOf(dom.Code), views.RoomPage(d))
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="pokerd-`+st.Game.Code+`-`+file+`"`)
	return send(st)
}
