package wire

import (
	"strconv"

	"github.com/pokerd/pokerd/game"
)

// A round's story on the WebSocket: the reference's clients know only the ticket link
// (ticket_url, RESETGAME's payload), so the story is an addition beside it that they
// ignore: {"id"?, "key", "title", "link"}, id only for a story of the backlog.

// AppendStory writes s as the WebSocket writes a round's story, null for none.
func AppendStory(b []byte, s *game.Story) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	b = append(b, '{')
	if s.ID > 0 {
		b = append(b, `"id":`...)
		b = strconv.AppendInt(b, int64(s.ID), 10)
		b = append(b, ',')
	}
	b = append(b, `"key":`...)
	b = AppendString(b, s.Key)
	b = append(b, `,"title":`...)
	b = AppendString(b, s.Title)
	b = append(b, `,"link":`...)
	b = AppendOptionalString(b, s.Link)
	return append(b, '}')
}

// StoryMoreThanLink reports whether a round's story says more than its ticket link: a
// title, a key, or a place in the backlog. A round started on a link alone (the
// reference's RESET) has nothing to add to it, so its RESETGAME keeps the reference's
// bytes.
func StoryMoreThanLink(s *game.Story) bool {
	return s != nil && (s.ID > 0 || s.Key != "" || s.Title != "")
}

// Where a backlog story stands, as every surface shows it.
const (
	StoryPending   = "pending"
	StoryCurrent   = "current"
	StoryEstimated = "estimated"
	StorySkipped   = "skipped"
)

// StoryStateOf is where the backlog story b stands in st: the current round's story
// (while a round is on), estimated, skipped, or pending.
func StoryStateOf(st *game.State, b *game.BacklogStory) string {
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

// AppendBacklog writes the room's backlog as the JSON API answers it:
// {"stories": [{"id", "key", "title", "link", "skipped", "estimate", "rounds", "state"}]},
// in backlog order.
func AppendBacklog(b []byte, st *game.State) []byte {
	b = append(b, `{"stories":[`...)
	for i, s := range st.Backlog {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = strconv.AppendInt(b, int64(s.ID), 10)
		b = append(b, `,"key":`...)
		b = AppendString(b, s.Key)
		b = append(b, `,"title":`...)
		b = AppendString(b, s.Title)
		b = append(b, `,"link":`...)
		b = AppendOptionalString(b, s.Link)
		b = append(b, `,"skipped":`...)
		b = appendBool(b, s.Skipped)
		b = append(b, `,"estimate":`...)
		if s.Estimated() {
			b = AppendString(b, s.Estimate)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"rounds":`...)
		b = strconv.AppendInt(b, int64(s.Rounds), 10)
		b = append(b, `,"state":`...)
		b = AppendString(b, StoryStateOf(st, s))
		b = append(b, '}')
	}
	return append(b, "]}"...)
}
