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

// BacklogChanges is what changed in the backlog as the panel shows it, between two
// states of a room, by the stream's message (LiveBacklog): the stories whose line
// changed (by their place in the newer backlog), the ones gone (by id), the ones added
// at its end (by place); or Whole, when the order changed or the list was or becomes
// empty, for which the whole list is sent.
type BacklogChanges struct {
	Whole   bool
	Changed []int
	Removed []int
	Added   []int
}

// None reports no change.
func (c BacklogChanges) None() bool {
	return !c.Whole && len(c.Changed) == 0 && len(c.Removed) == 0 && len(c.Added) == 0
}

// DiffBacklog compares the backlog of two states of a room. A story's line changes with
// its entry (entries are replaced, never changed in place, so comparing them is
// comparing pointers), its state (current, estimated, ...), or its place at the top or
// the bottom (its up and down buttons).
func DiffBacklog(before, after *game.State) BacklogChanges {
	if before == nil || len(before.Backlog) == 0 || len(after.Backlog) == 0 {
		if before != nil && len(before.Backlog) == 0 && len(after.Backlog) == 0 {
			return BacklogChanges{}
		}
		return BacklogChanges{Whole: true}
	}
	if sameBacklog(before, after) {
		return BacklogChanges{} // a vote, a join, ...: nothing the list shows changed
	}
	type line struct {
		at    int
		story *game.BacklogStory
	}
	was := make(map[int]line, len(before.Backlog))
	for i, b := range before.Backlog {
		was[b.ID] = line{i, b}
	}
	var c BacklogChanges
	kept, lastAt := 0, -1
	for i, b := range after.Backlog {
		old, ok := was[b.ID]
		if !ok {
			c.Added = append(c.Added, i)
			continue
		}
		if len(c.Added) > 0 || old.at < lastAt {
			return BacklogChanges{Whole: true} // reordered, or added other than at the end
		}
		lastAt = old.at
		kept++
		state := after.StoryStatus(b)
		if old.story != b || before.StoryStatus(old.story) != state ||
			state == game.StoryCurrent && before.Round != after.Round ||
			(old.at == 0) != (i == 0) || (old.at == len(before.Backlog)-1) != (i == len(after.Backlog)-1) {
			c.Changed = append(c.Changed, i)
		}
	}
	if kept < len(before.Backlog) {
		for _, b := range before.Backlog {
			if !hasStory(after.Backlog, b.ID) {
				c.Removed = append(c.Removed, b.ID)
			}
		}
	}
	return c
}

// sameBacklog reports, without walking the list, that nothing it shows can differ: the
// same entries (a backlog is replaced, never changed in place, so the same slice is the
// same list), the same current story and the same round state. Most events, every vote
// among them, are such, and a backlog has up to game.MaxBacklogStories stories.
func sameBacklog(before, after *game.State) bool {
	a, b := before.Backlog, after.Backlog
	if len(a) != len(b) || &a[0] != &b[0] || before.Round != after.Round {
		return false
	}
	return (before.Story == nil) == (after.Story == nil) && (before.Story == nil || before.Story.ID == after.Story.ID)
}

func hasStory(backlog []*game.BacklogStory, id int) bool {
	for _, b := range backlog {
		if b.ID == id {
			return true
		}
	}
	return false
}

// currentStoryWords says where the round on the current story is.
func currentStoryWords(st *game.State) string {
	if st.Round == game.RoundRevealed {
		return "revealed"
	}
	return "voting now"
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
