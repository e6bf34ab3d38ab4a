package pages

import (
	"strconv"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/views"
)

// storyAction is one of the buttons on a backlog story's line. The buttons submit the
// panel's one form (views.Backlog), each under its own name with the story's id as its
// value, so that a line of the list carries no form and the list stays small.
type storyAction struct {
	name string
	do   func(room *game.Room, me uuid.UUID, story int) error
}

var storyActions = []storyAction{
	{"up", func(room *game.Room, me uuid.UUID, story int) error { return room.MoveStoryBy(me, story, -1) }},
	{"down", func(room *game.Room, me uuid.UUID, story int) error { return room.MoveStoryBy(me, story, +1) }},
	{"skip", func(room *game.Room, me uuid.UUID, story int) error { return room.SkipStory(me, story, true) }},
	{"unskip", func(room *game.Room, me uuid.UUID, story int) error { return room.SkipStory(me, story, false) }},
	{"delete", func(room *game.Room, me uuid.UUID, story int) error { return room.DeleteStory(me, story) }},
}

// StoryAction is POST /room/{code}/backlog/story with one of start, up, down, skip,
// unskip or delete = <story id>. "start" (Vote on this) answers with the viewer's hand,
// like the round's other controls; the others with the backlog.
func (s *Handlers) StoryAction(c echo.Context) error {
	if id := c.FormValue("start"); id != "" {
		return s.act(c, func(room *game.Room, me uuid.UUID) error {
			story, err := storyIDForm(id)
			if err != nil {
				return err
			}
			return room.Start(me, game.NextRound{StoryID: story, Estimate: estimateField(c)})
		})
	}
	return s.actOnBacklog(c, func(room *game.Room, me uuid.UUID) (views.BacklogReport, error) {
		for _, a := range storyActions {
			if id := c.FormValue(a.name); id != "" {
				story, err := storyIDForm(id)
				if err != nil {
					return views.BacklogReport{}, err
				}
				return views.BacklogReport{}, a.do(room, me, story)
			}
		}
		return views.BacklogReport{}, game.Errorf(game.EInvalid, "Pick one of the stories")
	})
}

// EditStory is POST /room/{code}/backlog/edit with story=<id> and text=<the story as
// typed in the ticket field>.
func (s *Handlers) EditStory(c echo.Context) error {
	return s.actOnBacklog(c, func(room *game.Room, me uuid.UUID) (views.BacklogReport, error) {
		story, err := storyIDForm(c.FormValue("story"))
		if err != nil {
			return views.BacklogReport{}, err
		}
		edited, err := game.ParseStory(c.FormValue("text"))
		if err != nil {
			return views.BacklogReport{}, err
		}
		return views.BacklogReport{}, room.EditStory(me, story, edited)
	})
}

// storyIDForm reads the id of the story a form names.
func storyIDForm(text string) (int, error) {
	id, err := strconv.Atoi(text)
	if err != nil || id < 1 {
		return 0, game.Errorf(game.EInvalid, "Pick one of the stories")
	}
	return id, nil
}

// estimateField is the runbar's estimate field when the request carries it (htmx adds it
// to "Vote on this"): moving on records it. nil when absent, which records nothing.
func estimateField(c echo.Context) *string {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	values, ok := form["estimate"]
	if !ok || len(values) == 0 {
		return nil
	}
	return &values[0]
}
