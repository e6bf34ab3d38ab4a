package pages

import (
	"errors"
	"net/http"
	"net/url"
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

// Vote is POST /room/{code}/vote with value=<card value> and, in a room that asks,
// unsure=on. Once the cards are revealed the page's cards are locked: a vote then would
// change the revealed round under everyone's eyes (the WebSocket may, as its protocol
// says; a page that still shows open cards is out of date).
func (s *Handlers) Vote(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		if room.State().Round == game.RoundRevealed {
			return game.Errorf(game.EConflict, "The cards are revealed: wait for the next round")
		}
		text := c.FormValue("value")
		if len(text) > maxCardText {
			return game.Errorf(game.EInvalid, "Pick one of the cards")
		}
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return game.Errorf(game.EInvalid, "Pick one of the cards")
		}
		return room.VoteWith(me, v, c.FormValue("unsure") == "on")
	})
}

// Observe is POST /room/{code}/observe: toggles watching instead of voting.
func (s *Handlers) Observe(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error { return room.ToggleObserving(me) })
}

// StartRound is POST /room/{code}/start, the runbar's buttons: do=start (the default)
// starts a round on what the story field holds (a link, "PP-12 Title", a title; empty:
// a round without a story), do=next on the backlog's next story, do=again on the
// round's story again. Moving on (start, next) records the estimate field's value for
// the round on show; voting again does not.
func (s *Handlers) StartRound(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error {
		var next game.NextRound
		switch c.FormValue("do") {
		case "again":
			return room.Start(me, game.NextRound{Again: true})
		case "next":
			next.Next = true
		default:
			if t := strings.TrimSpace(c.FormValue("ticket")); t != "" {
				story, err := game.ParseStory(t)
				if err != nil {
					return err
				}
				next.Story = &story
			}
		}
		next.Estimate = runbarEstimate(c, room)
		return room.Start(me, next)
	})
}

// runbarEstimate is the runbar's estimate, when the form had the field for the round
// still on show (a round started meanwhile by someone else is not given it).
func runbarEstimate(c echo.Context, room *game.Room) *string {
	estimate := estimateField(c)
	if estimate == nil {
		return nil
	}
	rec := room.State().Current()
	if rec == nil || c.FormValue("round") != strconv.Itoa(rec.Number) {
		return nil
	}
	return estimate
}

// Reveal is POST /room/{code}/reveal.
func (s *Handlers) Reveal(c echo.Context) error {
	return s.act(c, func(room *game.Room, me uuid.UUID) error { return room.Reveal(me) })
}

// Leave is POST /room/{code}/leave: the browser's player leaves the room (their seat,
// vote and place in its capacity go; see game.Room.Leave) and is shown the page that
// says so. The answer is the same whatever the code, seated or not.
func (s *Handlers) Leave(c echo.Context) error {
	code := c.Param("code")
	if room, err := s.rooms.Room(code); err == nil {
		switch err := room.Leave(web.SeatID(s.gate.BrowserIdentity(c), room.Code())); {
		case err == nil:
			// Said once kept, as every action's answer: a restart must not seat them again.
			if err := web.Acknowledge(c, room); err != nil {
				return err
			}
		case game.CodeOf(err) != game.ENotSeated:
			return err
		}
		code = room.Code()
	}
	to := "/room/" + url.PathEscape(code) + "/left"
	if web.IsHTMX(c) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}
