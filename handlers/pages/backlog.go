package pages

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/views"
)

// The backlog's actions in the browser UI: adding stories (one, pasted lines, a CSV
// file) and changing one (backlog_story.go). Whoever may run the round may; the room
// refuses everyone else, and the refusal is shown in the backlog's report. htmx gets the
// backlog panel back (everyone else learns of the change from the room's stream); a
// plain form post is sent back to the room, or shown the room with the report when it
// has something to say that a redirect would lose.

// backlogCommand is one backlog action on the viewer's room: what to tell the viewer,
// and the room's refusal, if any (the report is kept: it says what to show again).
type backlogCommand func(room *game.Room, me uuid.UUID) (views.BacklogReport, error)

// actOnBacklog runs a backlog action for the viewer, as actOn does a command.
func (s *Handlers) actOnBacklog(c echo.Context, command backlogCommand) error {
	room, seat, err := s.seated(c)
	if room == nil {
		return err
	}
	s.touchFromPage(c, room, seat.Player.ID)
	status := http.StatusOK
	report, err := command(room, seat.Player.ID)
	if err != nil {
		var dom *game.Error
		if !asDomain(err, &dom) {
			return err
		}
		status, report.Error = web.StatusOf(dom.Code), dom.Message
	} else if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	if !web.IsHTMX(c) && report.Error == "" && len(report.Rejected) == 0 {
		return c.Redirect(http.StatusSeeOther, "/room/"+room.Code())
	}
	if seat, err = room.Seat(seat.Player.ID); err != nil {
		return err
	}
	d := s.roomData(c, room, seat)
	d.Backlog = report
	if !web.IsHTMX(c) {
		return web.Render(c, status, views.RoomPage(d))
	}
	// htmx swaps only 2xx answers; the reason is shown in the panel either way.
	return web.Render(c, http.StatusOK, views.Backlog(d))
}

// AddStory is POST /room/{code}/backlog/add with text=<a story as typed in the ticket
// field>: "PP-12 Login page", a title, or a link.
func (s *Handlers) AddStory(c echo.Context) error {
	return s.actOnBacklog(c, func(room *game.Room, me uuid.UUID) (views.BacklogReport, error) {
		text := c.FormValue("text")
		// What was typed is shown again if it is refused, so nothing is lost.
		report := views.BacklogReport{Text: text}
		story, err := game.ParseStory(text)
		if err != nil {
			return report, err
		}
		if err := room.AddStories(me, []game.Story{story}); err != nil {
			return report, err
		}
		return views.BacklogReport{Adding: true, Added: 1}, nil
	})
}

// PasteStories is POST /room/{code}/backlog/paste with lines=<one story per line>. The
// lines that can be read are added; the others are reported, and shown again in the
// field to be fixed.
func (s *Handlers) PasteStories(c echo.Context) error {
	return s.actOnBacklog(c, func(room *game.Room, me uuid.UUID) (views.BacklogReport, error) {
		text := c.FormValue("lines")
		stories, rejected := game.ParseStoryLines(text)
		if len(stories) == 0 && len(rejected) == 0 {
			return views.BacklogReport{}, game.Errorf(game.EInvalid, "Paste at least one story, one per line")
		}
		if len(stories) > 0 {
			if err := room.AddStories(me, stories); err != nil {
				return views.BacklogReport{Paste: text}, err
			}
		}
		return views.BacklogReport{
			Adding: true, Added: len(stories), Rejected: rejected, Paste: linesOf(text, rejected),
		}, nil
	})
}

// linesOf is the lines of text that rows name, in order, one per line.
func linesOf(text string, rows []game.RowError) string {
	if len(rows) == 0 {
		return ""
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	kept := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.Line >= 1 && r.Line <= len(lines) {
			kept = append(kept, lines[r.Line-1])
		}
	}
	return strings.Join(kept, "\n")
}

// ImportStories is POST /room/{code}/backlog/import with file=<a CSV file> (multipart;
// its route alone takes a body that large: see web.GuardUpload).
func (s *Handlers) ImportStories(c echo.Context) error {
	return s.actOnBacklog(c, func(room *game.Room, me uuid.UUID) (views.BacklogReport, error) {
		header, err := c.FormFile("file")
		if err != nil {
			return views.BacklogReport{}, game.Errorf(game.EInvalid, "Choose a CSV file to import")
		}
		if header.Size > game.MaxImportBytes {
			return views.BacklogReport{}, game.Errorf(game.EInvalid, "The file is larger than 1 MiB: export fewer issues, or split it")
		}
		file, err := header.Open()
		if err != nil {
			return views.BacklogReport{}, err
		}
		defer file.Close()
		stories, rejected, err := game.ImportStoriesCSV(file)
		if err != nil {
			return views.BacklogReport{}, err
		}
		if len(stories) > 0 {
			if err := room.AddStories(me, stories); err != nil {
				return views.BacklogReport{}, err
			}
		}
		return views.BacklogReport{Adding: true, Added: len(stories), Rejected: rejected}, nil
	})
}
