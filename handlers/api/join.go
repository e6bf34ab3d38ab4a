package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
)

// JoinGame is POST /api/join/{code}: {"username", "id"?} → the Player, with its real id
// (the only answer that carries it: everyone else sees the seat's alias). The first
// player to join becomes the facilitator. Joining again with a seated id changes nothing
// and echoes the request; an id that is another seat's alias is refused with 409. A room
// with a passcode also needs "passcode" (see passcode.go).
func (s *Handlers) JoinGame(c echo.Context) error {
	if err := s.gate.AdmitJoin(c); err != nil {
		return err
	}
	var p problems
	code := c.Param("code")
	checkCodeParam(code, &p)
	body, ok, err := readObject(c, &p)
	if err != nil {
		return err
	}
	var player game.Player
	var passcode string
	if ok {
		player.Username, _ = body.requiredName("username", game.MaxUsernameLength, []any{"body"}, &p)
		player.ID, _ = body.optionalUUID("id", []any{"body"}, &p)
		passcode = optionalPasscode(body, []any{"body"}, &p)
	}
	if err := p.err(); err != nil {
		return err
	}
	room, err := s.gate.FindRoom(c, code, player.ID)
	if err != nil {
		return err
	}
	if err := s.gate.PasscodeRefused(c, room, player.ID, passcode, web.PasscodeFromAPI); err != nil {
		return err
	}
	if err := room.Join(player); err != nil {
		return err
	}
	if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, wire.AppendPlayer(nil, player, wire.NamesFor(player.ID)))
}
