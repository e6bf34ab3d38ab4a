package handlers

import (
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// recordDownload is GET /room/{code}/record.csv and /record.json: the session record as
// a file, for the facilitator (or anyone in a facilitator-free room). Others get the
// room page with the reason, as a 403.
func (s *Server) recordDownload(format string) echo.HandlerFunc {
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
			return render(c, statusOf[dom.Code], views.RoomPage(d))
		}
		st = namedByAlias(st)
		h := c.Response().Header()
		h.Set("Content-Disposition", `attachment; filename="pokerd-`+st.Game.Code+`-record.`+format+`"`)
		h.Set("Cache-Control", "no-store")
		if format == "csv" {
			return sendRecordCSV(c, st)
		}
		return sendRecordJSON(c, st)
	}
}

// namedByAlias is the session record as a page may hand it out: every player, the
// viewer included, named by their alias in place of their id, as the room page names
// them. A file is passed around once downloaded, and a browser player's id is the key
// to their seat. The records are shared and never changed, so the players are copied.
func namedByAlias(st *game.State) *game.State {
	out := *st
	out.Records = make([]*game.RoundRecord, len(st.Records))
	for i, rec := range st.Records {
		r := *rec
		r.Votes = make([]game.RecordedVote, len(rec.Votes))
		for j, v := range rec.Votes {
			v.Player = byAlias(v.Player)
			r.Votes[j] = v
		}
		r.Results.Lowest = extremeByAlias(rec.Results.Lowest)
		r.Results.Highest = extremeByAlias(rec.Results.Highest)
		r.Results.Distribution = make([]game.Bar, len(rec.Results.Distribution))
		for j, bar := range rec.Results.Distribution {
			bar.Players = playersByAlias(bar.Players)
			r.Results.Distribution[j] = bar
		}
		out.Records[i] = &r
	}
	return &out
}

func byAlias(p game.Player) game.Player {
	p.ID = p.Alias
	return p
}

func playersByAlias(players []game.Player) []game.Player {
	if players == nil {
		return nil
	}
	out := make([]game.Player, len(players))
	for i, p := range players {
		out[i] = byAlias(p)
	}
	return out
}

func extremeByAlias(e *game.Extreme) *game.Extreme {
	if e == nil {
		return nil
	}
	return &game.Extreme{Card: e.Card, Players: playersByAlias(e.Players)}
}
