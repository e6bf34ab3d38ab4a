package pages

import (
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// The facilitator's actions in the browser UI. Like the other actions, the room decides
// who may: a refused action comes back to the viewer with its reason.

// SetOptions is POST /room/{code}/options with the rules' checkboxes.
func (s *Handlers) SetOptions(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		return room.SetOptions(me, optionsForm(c))
	})
}

// optionsForm reads the room rules' checkboxes (the create form has them too): one per
// rule, named by its key. An unchecked box is not sent, so it reads as off.
func optionsForm(c echo.Context) game.RoomOptions {
	var o game.RoomOptions
	for _, rule := range game.RoomRules {
		o = rule.With(o, c.FormValue(rule.Key) == "on")
	}
	return o
}

// HandOff is POST /room/{code}/handoff with player=<alias>: the page names the other
// players by their aliases only (their ids are their secrets).
func (s *Handlers) HandOff(c echo.Context) error {
	return s.actOn(c, peoplePart, func(room *game.Room, me uuid.UUID) error {
		to, err := playerForm(c)
		if err != nil {
			return err
		}
		return otherPlayerGone(room.HandOff(me, to))
	})
}

// RemovePlayer is POST /room/{code}/remove with player=<alias>.
func (s *Handlers) RemovePlayer(c echo.Context) error {
	return s.actOn(c, peoplePart, func(room *game.Room, me uuid.UUID) error {
		who, err := playerForm(c)
		if err != nil {
			return err
		}
		return otherPlayerGone(room.Remove(me, who))
	})
}

// playerForm reads the alias of the player a facilitator's form names.
func playerForm(c echo.Context) (uuid.UUID, error) {
	alias, err := uuid.Parse(c.FormValue("player"))
	if err != nil {
		return uuid.Nil, game.Errorf(game.EInvalid, "Pick one of the players")
	}
	return alias, nil
}

// otherPlayerGone words the room's "not seated" for the facilitator: the alias on the
// form names nobody in the room (the player was removed meanwhile, or the form is not
// one of ours). The room's own words name the alias as an id, which says nothing to a
// person. A facilitator who lost their own seat never sees it: their page is sent to
// the join page instead.
func otherPlayerGone(err error) error {
	if game.CodeOf(err) == game.ENotSeated {
		return game.Errorf(game.ENotSeated, "That player is not in this room any more")
	}
	return err
}

// SetEstimate is POST /room/{code}/estimate with round=<n> and estimate=<text>.
func (s *Handlers) SetEstimate(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		round, err := strconv.Atoi(c.FormValue("round"))
		if err != nil {
			return game.Errorf(game.EInvalid, "Pick one of the revealed rounds")
		}
		return room.SetEstimate(me, round, c.FormValue("estimate"))
	})
}
