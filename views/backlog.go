package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/pokerd/pokerd/game"
)

// BacklogReport is what a runner's last change to the backlog has to say, shown under
// the backlog's controls to that runner only (the stream never carries it).
type BacklogReport struct {
	Added    int             // stories added
	Adding   bool            // the change added stories (so that "no story added" is said)
	Rejected []game.RowError // the lines or rows that could not be read
	Error    string          // why the change was refused
	// Paste is the text to show again in the paste field: the lines that were not added,
	// so that nothing typed is lost and each can be fixed.
	Paste string
	// Text is what to show again in the single story's field when it was refused.
	Text string
}

// Empty reports a report with nothing to say.
func (r BacklogReport) Empty() bool {
	return !r.Adding && len(r.Rejected) == 0 && r.Error == ""
}

// Backlog story states, as data-state and the words shown.
const (
	StoryPending   = "pending"
	StoryCurrent   = "current"
	StoryEstimated = "estimated"
	StorySkipped   = "skipped"
)

// StoryState is what a backlog story is to the room now: the round's story (while a
// round is on), estimated, skipped, or still to do.
func StoryState(st *game.State, b *game.BacklogStory) string {
	switch {
	case st.Story != nil && st.Story.ID == b.ID && st.Round != game.RoundInit:
		return StoryCurrent
	case b.Estimated():
		return StoryEstimated
	case b.Skipped:
		return StorySkipped
	}
	return StoryPending
}

// BacklogChanged reports whether the backlog as the panel shows it differs between two
// states of a room: its stories (entries are replaced, never changed, so comparing them
// is comparing pointers), their order, or which one is being voted on.
func BacklogChanged(before, after *game.State) bool {
	if before == nil || after == nil {
		return true
	}
	if len(before.Backlog) != len(after.Backlog) || currentStoryID(before) != currentStoryID(after) {
		return true
	}
	for i := range before.Backlog {
		if before.Backlog[i] != after.Backlog[i] {
			return true
		}
	}
	return false
}

// currentStoryID is the backlog id of the story a round is on, 0 when none.
func currentStoryID(st *game.State) int {
	if st.Story == nil || st.Round == game.RoundInit {
		return 0
	}
	return st.Story.ID
}

// backlogCounts is the panel heading's tally: "3 of 5 estimated".
func backlogCounts(st *game.State) string {
	estimated := 0
	for _, b := range st.Backlog {
		if b.Estimated() {
			estimated++
		}
	}
	return strconv.Itoa(estimated) + " of " + strconv.Itoa(len(st.Backlog)) + " estimated"
}

// storyText is a story as the runner would type it, the edit field's text: the key,
// the title and the link, which game.ParseStory reads back into the same story.
func storyText(s game.Story) string {
	parts := make([]string, 0, 3)
	if s.Key != "" {
		parts = append(parts, s.Key)
	}
	if s.Title != "" {
		parts = append(parts, s.Title)
	}
	if s.Link != nil {
		parts = append(parts, *s.Link)
	}
	return strings.Join(parts, " ")
}

// storyShownTitle is the story's title, or its link when it has none.
func storyShownTitle(s game.Story) string {
	if s.Title != "" {
		return s.Title
	}
	if s.Link != nil {
		return *s.Link
	}
	return ""
}

// storyName names a story in the controls' labels: "Skip PP-12 Login page".
func storyName(s game.Story) string {
	if l := s.Label(); l != "" {
		return l
	}
	return "story " + strconv.Itoa(s.ID)
}

// storyRowID is the id of a backlog story's line.
func storyRowID(id int) string { return "story-" + strconv.Itoa(id) }

// backlogEmptyAttrs marks an empty backlog's list, so that the stylesheet hides the
// whole panel from those who cannot fill it.
func backlogEmptyAttrs(st *game.State) templ.Attributes {
	if len(st.Backlog) > 0 {
		return nil
	}
	return templ.Attributes{"data-empty": "true"}
}

// storiesAddedText says how many stories a change added.
func storiesAddedText(n int) string {
	switch n {
	case 0:
		return "No story added."
	case 1:
		return "Added 1 story."
	}
	return "Added " + strconv.Itoa(n) + " stories."
}

// rowErrorText is one rejected line: "Line 4: a story needs a title or a link".
func rowErrorText(e game.RowError) string {
	return "Line " + strconv.Itoa(e.Line) + ": " + e.Message
}
