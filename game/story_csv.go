package game

import "io"

// ImportStoriesCSV reads stories from a CSV file: a simple title,link file, or an
// issue tracker's export (Jira's, whose column names vary), by its header row. err
// refuses the whole file (too big, too many rows, no column it can use); otherwise
// each row it could not read is a RowError and the others are returned.
func ImportStoriesCSV(r io.Reader) (stories []Story, rejected []RowError, err error) {
	return nil, nil, Errorf(EInvalid, "not built yet")
}
