package game

import (
	"fmt"
	"strings"
)

// What a facilitator types for a story is read the way people write one in a chat or a
// list: "PP-12 Login page", "[PP-12] Login page", "#123 Fix the build", a link alone, or a
// title with the link at its end. A key is only recognised where trackers put it, at the
// start, and only in the form trackers print it (upper-case project, dash, number; or
// GitHub's "#123"), so that a title such as "covid-19 dashboard" stays a title. Inside
// brackets, which say "this is a key", any case is taken, and kept as typed.

// ParseStory reads what a facilitator typed in the ticket field, or one pasted line:
// a URL alone becomes the link; text becomes the title, a leading key ("PP-12",
// "PP-12:", "[PP-12]") is recognised, and a URL at the end of the text becomes the link.
// The story comes back checked and cleaned (see checkStory), its ID 0. "" is EInvalid.
//
// A last word that looks like a link but is not http(s) ("javascript:alert(1)",
// "ftp://host/x") is refused with the link's message rather than kept as a title: who
// typed it meant a link, and a stored title never looks like one a browser would follow.
func ParseStory(text string) (Story, error) {
	words := storyWords(text)
	if len(words) == 0 {
		return Story{}, Errorf(EInvalid, "Type a story's title or paste its link")
	}
	return parseStoryWords(words)
}

// storyWords splits text at any run of spaces (line breaks and tabs too) and cleans each
// word as a name is cleaned: a title is one line, whatever was pasted.
func storyWords(text string) []string {
	var words []string
	for _, w := range strings.Fields(text) {
		if w = CleanName(w); w != "" {
			words = append(words, w)
		}
	}
	return words
}

func parseStoryWords(words []string) (Story, error) {
	var s Story
	if key, rest, ok := splitKey(words[0]); ok {
		s.Key = key
		words = words[1:]
		if rest != "" {
			words = append([]string{rest}, words...)
		}
	}
	if len(words) > 0 && looksLikeLink(words[len(words)-1]) {
		link, err := NormalizeTicketURL(strings.TrimSuffix(strings.TrimPrefix(words[len(words)-1], "<"), ">"))
		if err != nil {
			return Story{}, err
		}
		s.Link = &link
		words = words[:len(words)-1]
	}
	for len(words) > 0 && isSeparator(words[0]) {
		words = words[1:]
	}
	for len(words) > 0 && isSeparator(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	s.Title = strings.Join(words, " ")
	return checkStory(s)
}

// looksLikeLink reports a word a reader would take for a link: a scheme followed by
// "//", or a scheme browsers run or open without one (javascript:, data:, ...).
// "PP-12:Login" and "Note:" are not links.
func looksLikeLink(word string) bool {
	word = strings.TrimPrefix(word, "<")
	scheme, rest, ok := strings.Cut(word, ":")
	if !ok || rest == "" || !isScheme(scheme) {
		return false
	}
	if strings.HasPrefix(rest, "//") {
		return true
	}
	switch strings.ToLower(scheme) {
	case "javascript", "vbscript", "data", "file", "blob", "about", "mailto", "tel":
		return true
	}
	return false
}

// isScheme reports a URL scheme: a letter, then letters, digits, '+', '-' or '.'.
func isScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isASCIILetter(c) && !isASCIIDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// splitKey reads a key at the start of word: "PP-12", "PP-12:" (then maybe more text
// after the colon), "[PP-12]" or "[pp-12]" (then maybe more text after the bracket),
// "#123". rest is the text that followed the key in the same word.
func splitKey(word string) (key, rest string, ok bool) {
	if inner, ok := strings.CutPrefix(word, "["); ok {
		key, rest, closed := strings.Cut(inner, "]")
		if closed && isKey(key, true) {
			return key, rest, true
		}
		return "", "", false
	}
	key, rest, colon := strings.Cut(word, ":")
	if isKey(key, false) && (colon || rest == "") {
		return key, rest, true
	}
	return "", "", false
}

// isKey reports a tracker's key: a project (a letter, then letters, digits or '_'), a
// dash and a number, "PP-12"; or GitHub's "#123". The project must be upper-case unless
// anyCase.
func isKey(s string, anyCase bool) bool {
	if digits, ok := strings.CutPrefix(s, "#"); ok {
		return allDigits(digits)
	}
	project, number, ok := strings.Cut(s, "-")
	if !ok || project == "" || !allDigits(number) {
		return false
	}
	letter := func(c byte) bool { return 'A' <= c && c <= 'Z' || anyCase && 'a' <= c && c <= 'z' }
	if !letter(project[0]) {
		return false
	}
	for i := 1; i < len(project); i++ {
		if c := project[i]; !letter(c) && !isASCIIDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

// isSeparator reports a word that only separates a key or a link from the title:
// "PP-12 - Login", "PP-12 — Login", "Login | https://…".
func isSeparator(word string) bool {
	return strings.Trim(word, ":-–—|") == ""
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isASCIIDigit(s[i]) {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isASCIIDigit(c byte) bool  { return '0' <= c && c <= '9' }

// RowError is one line of pasted text, or one row of a file, that could not be read.
type RowError struct {
	Line    int    // 1-based line of the text or the file (a CSV record's first line)
	Message string // user-safe
}

// ParseStoryLines reads one story per non-empty line of pasted text.
//
// A list's bullet ("- ", "* ", "• ") is dropped. At most MaxImportRows lines are read;
// the lines beyond are reported as one RowError at the first of them, so the work and
// the report stay bounded whatever is pasted.
func ParseStoryLines(text string) ([]Story, []RowError) {
	var stories []Story
	var rejected []RowError
	lines := strings.Split(text, "\n")
	read := 0
	for i, line := range lines {
		words := storyWords(line)
		if len(words) == 0 {
			continue
		}
		if read == MaxImportRows {
			left := 0
			for _, l := range lines[i:] {
				if len(storyWords(l)) > 0 {
					left++
				}
			}
			rejected = append(rejected, RowError{Line: i + 1, Message: fmt.Sprintf(
				"%d more %s left out: at most %d stories at once", left, plural(left, "line", "lines"), MaxImportRows)})
			break
		}
		read++
		if len(words) > 1 && isBullet(words[0]) {
			words = words[1:]
		}
		s, err := parseStoryWords(words)
		if err != nil {
			rejected = append(rejected, RowError{Line: i + 1, Message: err.Error()})
			continue
		}
		stories = append(stories, s)
	}
	return stories, rejected
}

func isBullet(word string) bool { return word == "-" || word == "*" || word == "•" }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Bounds on an imported file.
const (
	MaxImportBytes = 1 << 20 // 1 MiB
	MaxImportRows  = MaxBacklogStories
)
