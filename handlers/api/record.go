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
	st, caller, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	return wire.SendRecordJSON(c, st, wire.NamesFor(caller))
}

func (s *Handlers) GetRecordCSV(c echo.Context) error {
	st, _, err := s.sessionFor(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="pokerd-`+st.Game.Code+`-record.csv"`)
	// A CSV file is made to be passed around, so it names the caller by alias too: the
	// caller's id, their credential, stays out of it.
	return wire.SendRecordCSV(c, st, wire.Names{})
}

// sessionFor checks the code and the player_id query parameter (422 before any lookup),
// then asks the room for its record on the player's behalf. It returns the player's id.
func (s *Handlers) sessionFor(c echo.Context) (*game.State, uuid.UUID, error) {
	var p problems
	code := c.Param("code")
	checkCodeParam(code, &p)
	loc := []any{"query", "player_id"}
	raw, given := c.QueryParams()["player_id"]
	var playerID uuid.UUID
	switch {
	case !given:
		p.add("missing", loc, "Field required", nil)
	default:
		id, err := uuid.Parse(raw[0])
		if err != nil {
			p.add("uuid_parsing", loc, "Input should be a valid UUID", raw[0])
		}
		playerID = id
	}
	if err := p.err(); err != nil {
		return nil, uuid.Nil, err
	}
	room, err := s.gate.FindRoom(c, code, playerID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	st, err := room.Session(playerID)
	switch game.CodeOf(err) {
	case game.ENotSeated, game.EForbidden:
		// The id is the caller's credential here: a stranger is refused like a player
		// who may not, rather than told who is not at the table.
		return nil, uuid.Nil, &web.Error{Status: http.StatusForbidden, Detail: "Only the facilitator may download the session record"}
	}
	return st, playerID, err
}
