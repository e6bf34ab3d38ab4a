package game

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// A file of stories comes from a spreadsheet or an issue tracker. Its first row names
// the columns, in whatever words the tool chose (Jira's export has dozens, some
// repeated, "Summary" and "Issue key" among them); a file without such a row is read as
// a simple title,link list. Files come from Excel as often as from a tracker, so the
// separator may be ';' or a tab, there may be a byte-order mark, and text that is not
// UTF-8 is read as Windows-1252, what Excel writes by default.

// Columns a header may name, in order of preference: "Issue key" before "Key", since
// Jira's export has both "Issue key" (PP-12) and "Issue id" (a number that means nothing
// to a team). A number from a "Number" or "ID" column becomes a GitHub-style key, "#12".
var (
	titleColumns = []string{"summary", "title", "name", "story", "issue summary", "story title", "subject"}
	keyColumns   = []string{"issue key", "key", "number", "id"}
	linkColumns  = []string{"link", "url", "issue url", "issue link", "ticket", "ticket url", "ticket link", "web url", "html url"}
)

// storyColumns says where a row's title, key and link are; -1 for none. A file without
// a header is read as title,link, the title read as typed text (ParseStory's rules).
type storyColumns struct {
	title, key, link int
	headerless       bool
	numberedKey      bool // the key column holds GitHub's or a board's numbers: 12 is "#12"
}

// ImportStoriesCSV reads stories from a CSV file: a simple title,link file, or an
// issue tracker's export (Jira's, whose column names vary), by its header row. err
// refuses the whole file (too big, too many rows, no column it can use); otherwise
// each row it could not read is a RowError and the others are returned.
func ImportStoriesCSV(r io.Reader) (stories []Story, rejected []RowError, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, Errorf(EInvalid, "the file could not be read")
	}
	if len(data) > MaxImportBytes {
		return nil, nil, Errorf(EInvalid, "a file of stories has at most %d KiB", MaxImportBytes>>10)
	}
	text, err := csvText(data)
	if err != nil {
		return nil, nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = sniffDelimiter(text)
	cr.FieldsPerRecord = -1 // rows of an export do not all have every column
	cr.ReuseRecord = true   // no row is kept: its fields are copied into a story
	var cols *storyColumns
	rows := 0
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			if cols == nil {
				return nil, nil, Errorf(EInvalid, "this file is not CSV: its quotes do not pair up on line %d", parseErr.StartLine)
			}
			if rows++; rows > MaxImportRows {
				return nil, nil, tooManyRows()
			}
			rejected = append(rejected, RowError{Line: parseErr.StartLine, Message: "this row's quotes do not pair up"})
			continue
		}
		if err != nil {
			return nil, nil, Errorf(EInvalid, "the file could not be read")
		}
		if blankRecord(record) {
			continue
		}
		line, _ := cr.FieldPos(0)
		if cols == nil {
			found := headerColumns(record)
			if found.title < 0 && found.link < 0 {
				if found.key >= 0 || !looksLikeData(record) {
					return nil, nil, Errorf(EInvalid, "the file's first row names no column of titles or links: "+
						"name one Summary, Title or Name, and Link or URL, or give a title and a link on each row")
				}
				found = storyColumns{title: 0, key: -1, link: 1, headerless: true}
			}
			cols = &found
			if !found.headerless {
				continue
			}
		}
		if rows++; rows > MaxImportRows {
			return nil, nil, tooManyRows()
		}
		s, err := cols.story(record)
		if err != nil {
			rejected = append(rejected, RowError{Line: line, Message: err.Error()})
			continue
		}
		stories = append(stories, s)
	}
	if rows == 0 {
		return nil, nil, Errorf(EInvalid, "the file has no stories")
	}
	return stories, rejected, nil
}

func tooManyRows() error {
	return Errorf(EInvalid, "a file of stories has at most %d rows: split it", MaxImportRows)
}

// csvText is the file's text without a byte-order mark. A file with control characters
// other than line breaks and tabs is not text (a spreadsheet saved in its own format,
// UTF-16, an image) and is refused rather than read into stories of garbage.
func csvText(data []byte) (string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(data) == 0 {
		return "", Errorf(EInvalid, "the file is empty")
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return "", Errorf(EInvalid, "this file is not CSV text: save it as CSV (UTF-8)")
		}
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	return fromWindows1252(data), nil
}

// windows1252 holds the characters of bytes 0x80–0x9F in Windows-1252; the others are
// Latin-1's. The five bytes it leaves undefined become C1 controls, which cleaning drops.
var windows1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8d, 'Ž', 0x8f,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9d, 'ž', 'Ÿ',
}

func fromWindows1252(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/2)
	for _, c := range data {
		switch {
		case c < 0x80:
			b.WriteByte(c)
		case c < 0xa0:
			b.WriteRune(windows1252[c-0x80])
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

// sniffDelimiter picks the separator of the header line: the most frequent of ',', ';'
// and tab outside quotes; ',' when none is there.
func sniffDelimiter(text string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range text {
		if c == '"' {
			quoted = !quoted
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted && (c == ',' || c == ';' || c == '\t') {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// headerColumns finds the columns a header row names (case and spaces aside); the first
// column of a repeated name counts.
func headerColumns(record []string) storyColumns {
	cols := storyColumns{title: -1, key: -1, link: -1}
	first := func(names []string) (int, string) {
		for _, name := range names {
			for i, field := range record {
				if strings.EqualFold(strings.TrimSpace(field), name) {
					return i, name
				}
			}
		}
		return -1, ""
	}
	var keyName string
	cols.title, _ = first(titleColumns)
	cols.key, keyName = first(keyColumns)
	cols.link, _ = first(linkColumns)
	cols.numberedKey = keyName == "number" || keyName == "id"
	return cols
}

// looksLikeData reports a first row that is a story rather than a header no one
// recognised: a title alone, or a title and then a link or nothing.
func looksLikeData(record []string) bool {
	if len(record) < 2 {
		return true
	}
	second := strings.TrimSpace(record[1])
	return second == "" || looksLikeLink(second)
}

func blankRecord(record []string) bool {
	for _, field := range record {
		if strings.TrimSpace(field) != "" {
			return false
		}
	}
	return true
}

// story reads one row. The error is user-safe.
func (c storyColumns) story(record []string) (Story, error) {
	field := func(i int) string {
		if i < 0 || i >= len(record) {
			return ""
		}
		return strings.TrimSpace(record[i])
	}
	title, key, link := strings.Join(storyWords(field(c.title)), " "), field(c.key), field(c.link)
	var s Story
	if c.headerless && title != "" {
		var err error
		if s, err = parseStoryWords(storyWords(title)); err != nil {
			return Story{}, err
		}
	} else {
		s.Title = title
		s.Key = strings.Join(storyWords(key), " ")
		if c.numberedKey && allDigits(s.Key) {
			s.Key = "#" + s.Key
		}
	}
	if link != "" {
		s.Link = &link
	}
	if s.Title == "" && s.Link == nil {
		return Story{}, Errorf(EInvalid, "this row has no title and no link")
	}
	return checkStory(s)
}
