package api

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
)

// The session record over the JSON API, for the facilitator (anyone, in a
// facilitator-free room), who proves it with their own player id (an alias is no one's
// id, and is refused like a stranger's):
// GET /api/game/{code}/record?player_id=<uuid> (JSON) and
// GET /api/game/{code}/record.csv?player_id=<uuid> (a CSV download).
// The record names the caller by its id and everyone else by alias, as the socket does.

func (s *Handlers) GetRecordJSON(c echo.Context) error {
	st, caller, err := s.sessionFor(c, "the session record", "player_id")
	if err != nil {
		return err
	}
	return wire.SendRecordJSON(c, st, wire.NamesFor(caller))
}

func (s *Handlers) GetRecordCSV(c echo.Context) error {
	st, _, err := s.sessionFor(c, "the session record", "player_id")
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="pokerd-`+st.Game.Code+`-record.csv"`)
	// A CSV file is made to be passed around, so it names the caller by alias too: the
	// caller's id, their credential, stays out of it.
	return wire.SendRecordCSV(c, st, wire.Names{})
}

// sessionFor finds the room and the caller (see callerRoom), then asks the room for its
// record on the caller's behalf, for a download of what (named in the refusal). It
// returns the caller's id.
func (s *Handlers) sessionFor(c echo.Context, what string, idParams ...string) (*game.State, uuid.UUID, error) {
	room, playerID, err := s.callerRoom(c, idParams...)
	if err != nil {
		return nil, uuid.Nil, err
	}
	st, err := room.Session(playerID)
	switch game.CodeOf(err) {
	case game.ENotSeated, game.EForbidden:
		// The id is the caller's credential here: a stranger is refused like a player
		// who may not, rather than told who is not at the table.
		return nil, uuid.Nil, &web.Error{Status: http.StatusForbidden, Detail: "Only the facilitator may download " + what}
	}
	return st, playerID, err
}

// callerRoom checks the code and the caller's own id, the first of the query
// parameters idParams that is given (422 before any lookup), and finds the room.
func (s *Handlers) callerRoom(c echo.Context, idParams ...string) (*game.Room, uuid.UUID, error) {
	var p problems
	code := c.Param("code")
	checkCodeParam(code, &p)
	var playerID uuid.UUID
	for i, name := range idParams {
		raw, given := c.QueryParams()[name]
		if given {
			id, err := uuid.Parse(raw[0])
			if err != nil {
				p.add("uuid_parsing", []any{"query", name}, "Input should be a valid UUID", raw[0])
			}
			playerID = id
			break
		}
		if i == len(idParams)-1 {
			p.add("missing", []any{"query", idParams[0]}, "Field required", nil)
		}
	}
	if err := p.err(); err != nil {
		return nil, uuid.Nil, err
	}
	room, err := s.gate.FindRoom(c, code, playerID)
	return room, playerID, err
}
