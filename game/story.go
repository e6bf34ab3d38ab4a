package game

import (
	"strings"
	"unicode/utf8"
)

// A story is what a round estimates: a title, an optional link to the tracker, and an
// optional key ("PP-12"). A story typed for one round stands alone; a room's backlog
// (backlog.go) holds the stories a team prepared, in the order it will take them.

// Story is one thing to estimate. At least one of Title and Link is set.
type Story struct {
	// ID is the story's number in its room's backlog, from 1, never reused; 0 for a
	// story typed for one round only.
	ID    int
	Key   string  // the tracker's key, "PP-12"; empty when none
	Title string  // empty when only a link was given
	Link  *string // a normalised http(s) link (see NormalizeTicketURL); nil when none
}

// Limits on a story, in characters; a link's is MaxTicketURLLength, in bytes.
const (
	MaxStoryTitleLength = 200
	MaxStoryKeyLength   = 32
)

// Label is how the story is named in a line of text: "PP-12 Login page", the title, the
// key, or the link when it has nothing else.
func (s Story) Label() string {
	switch {
	case s.Key != "" && s.Title != "":
		return s.Key + " " + s.Title
	case s.Title != "":
		return s.Title
	case s.Key != "":
		return s.Key
	case s.Link != nil:
		return *s.Link
	}
	return ""
}

// IsZero reports a story with nothing in it.
func (s Story) IsZero() bool { return s.Key == "" && s.Title == "" && s.Link == nil }

// checkStory cleans s (names are cleaned as player names are: it is shown to everyone)
// and checks its limits, with a user-safe message. A link is normalised.
func checkStory(s Story) (Story, error) {
	s.Title = strings.TrimSpace(CleanName(s.Title))
	s.Key = strings.TrimSpace(CleanName(s.Key))
	if utf8.RuneCountInString(s.Title) > MaxStoryTitleLength {
		return Story{}, Errorf(EInvalid, "a story's title has at most %d characters", MaxStoryTitleLength)
	}
	if utf8.RuneCountInString(s.Key) > MaxStoryKeyLength {
		return Story{}, Errorf(EInvalid, "a story's key has at most %d characters", MaxStoryKeyLength)
	}
	if s.Link != nil {
		u, err := NormalizeTicketURL(*s.Link)
		if err != nil {
			return Story{}, err
		}
		s.Link = &u
	}
	if s.IsZero() {
		return Story{}, Errorf(EInvalid, "a story needs a title or a link")
	}
	return s, nil
}
