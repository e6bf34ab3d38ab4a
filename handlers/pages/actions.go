package pages

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/views"
)

func asDomain(err error, target **game.Error) bool { return errors.As(err, target) }

// act runs one of the viewer's commands on their room. htmx gets the viewer's hand back
// (everyone else learns of the change from the room's stream); a plain form post is
// sent back to the room. A refused command is shown to the viewer with its reason.
func (s *Handlers) act(c echo.Context, command func(room *game.Room, me uuid.UUID) error) error {
	return s.actOn(c, handPart, command)
}

// part is a piece of the room page that answers an htmx action, and where it shows a
// refusal.
type part struct {
	render   func(views.RoomData) templ.Component
	setError func(*views.RoomData, string)
}

var (
	handPart   = part{views.Hand, func(d *views.RoomData, msg string) { d.Error = msg }}
	peoplePart = part{views.People, func(d *views.RoomData, msg string) { d.PeopleError = msg }}
)

// actOn is act for an action whose answer is the given part of the page.
func (s *Handlers) actOn(c echo.Context, answer part, command func(room *game.Room, me uuid.UUID) error) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	s.touchFromPage(c, room, seat.Player.ID) // first, so that the command counts them as here
	status := http.StatusOK
	var problem string
	if err := command(room, seat.Player.ID); err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		status, problem = web.StatusOf(dom.Code), dom.Message
	} else if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	if problem == "" && !web.IsHTMX(c) {
		return c.Redirect(http.StatusSeeOther, "/room/"+room.Code())
	}
	if seat, err = room.Seat(seat.Player.ID); err != nil {
		return err
	}
	d := s.roomData(c, room, seat)
	answer.setError(&d, problem)
	if !web.IsHTMX(c) {
		return web.Render(c, status, views.RoomPage(d))
	}
	// htmx swaps only 2xx answers; the reason is shown inside the part either way.
	return web.Render(c, http.StatusOK, answer.render(d))
}

// maxCardText bounds the text of a vote read as a number: no card's value is longer.
const maxCardText = 64

// Vote is POST /room/{code}/vote with value=<card value>.
func (s *Handlers) Vote(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		text := c.FormValue("value")
		if len(text) > maxCardText {
			return game.Errorf(game.EInvalid, "Pick one of the cards")
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return game.Errorf(game.EInvalid, "Pick one of the cards")
		}
		return room.Vote(me, v)
	})
}

// Observe is POST /room/{code}/observe: toggles watching instead of voting.
func (s *Handlers) Observe(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error { return room.ToggleObserving(me) })
}

// StartRound is POST /room/{code}/start with an optional ticket link.
func (s *Handlers) StartRound(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		var ticket *string
		if t := strings.TrimSpace(c.FormValue("ticket")); t != "" {
			ticket = &t
		}
		return room.StartRound(me, ticket)
	})
}

// Reveal is POST /room/{code}/reveal.
func (s *Handlers) Reveal(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error { return room.Reveal(me) })
}

// Leave is POST /room/{code}/leave: back to the home page. The seat stays, so the
// room link brings the player back; closing the page ends their connection, and a page
// without scripts, which has none, is no longer counted present.
func (s *Handlers) Leave(c echo.Context) error {
	if !web.IsHTMX(c) { // a page without scripts; the answer is the same whatever the code
		if room, err := s.rooms.Room(c.Param("code")); err == nil {
			room.LeavePage(web.SeatID(s.gate.BrowserIdentity(c), room.Code()))
		}
	}
	if web.IsHTMX(c) {
		c.Response().Header().Set("HX-Redirect", "/")
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
