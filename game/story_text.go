package game

import "io"

// CONTRACT (issue 14): signatures fixed; bodies built by the import work.

// ParseStory reads what a facilitator typed in the ticket field, or one pasted line:
// a URL alone becomes the link; text becomes the title, a leading key ("PP-12",
// "PP-12:", "[PP-12]") is recognised, and a URL at the end of the text becomes the link.
// The story comes back checked and cleaned (see checkStory), its ID 0. "" is EInvalid.
func ParseStory(text string) (Story, error) {
	return Story{}, Errorf(EInvalid, "not built yet")
}

// RowError is one line of pasted text, or one row of a file, that could not be read.
type RowError struct {
	Line    int    // 1-based line of the text or the file (a CSV record's first line)
	Message string // user-safe
}

// ParseStoryLines reads one story per non-empty line of pasted text.
func ParseStoryLines(text string) ([]Story, []RowError) {
	return nil, []RowError{{Line: 1, Message: "not built yet"}}
}

// Bounds on an imported file.
const (
	MaxImportBytes = 1 << 20 // 1 MiB
	MaxImportRows  = MaxBacklogStories
)

// ImportStoriesCSV reads stories from a CSV file: a simple title,link file, or an
// issue tracker's export (Jira's, whose column names vary), by its header row. err
// refuses the whole file (too big, too many rows, no column it can use); otherwise
// each row it could not read is a RowError and the others are returned.
func ImportStoriesCSV(r io.Reader) (stories []Story, rejected []RowError, err error) {
	return nil, nil, Errorf(EInvalid, "not built yet")
}
