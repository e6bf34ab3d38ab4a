package handlers

import (
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// The facilitator's actions in the browser UI. Like the other actions, the room decides
// who may: a refused action comes back to the viewer with its reason.

// setOptions is POST /room/{code}/options with the rules' checkboxes.
func (s *Server) setOptions(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		return room.SetOptions(me, optionsForm(c))
	})
}

// optionsForm reads the room rules' checkboxes (the create form has them too).
func optionsForm(c echo.Context) game.RoomOptions {
	on := func(name string) bool { return c.FormValue(name) == "on" }
	return game.RoomOptions{
		AutoReveal:      on("auto_reveal"),
		RevealOnTimer:   on("reveal_on_timer"),
		FacilitatorFree: on("facilitator_free"),
		HideNames:       on("hide_names"),
	}
}

// handOff is POST /room/{code}/handoff with player=<player id>.
func (s *Server) handOff(c echo.Context) error {
	return s.actOn(c, peoplePart, func(room *game.Room, me uuid.UUID) error {
		to, err := playerForm(c)
		if err != nil {
			return err
		}
		return room.HandOff(me, to)
	})
}

// removePlayer is POST /room/{code}/remove with player=<player id>.
func (s *Server) removePlayer(c echo.Context) error {
	return s.actOn(c, peoplePart, func(room *game.Room, me uuid.UUID) error {
		who, err := playerForm(c)
		if err != nil {
			return err
		}
		return room.Remove(me, who)
	})
}

func playerForm(c echo.Context) (uuid.UUID, error) {
	id, err := uuid.Parse(c.FormValue("player"))
	if err != nil {
		return uuid.Nil, game.Errorf(game.EInvalid, "Pick one of the players")
	}
	return id, nil
}

// setEstimate is POST /room/{code}/estimate with round=<n> and estimate=<text>.
func (s *Server) setEstimate(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		round, err := strconv.Atoi(c.FormValue("round"))
		if err != nil {
			return game.Errorf(game.EInvalid, "Pick one of the revealed rounds")
		}
		return room.SetEstimate(me, round, c.FormValue("estimate"))
	})
}
