package game

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// story builds the expected story; link "" is none.
func story(key, title, link string) Story {
	s := Story{Key: key, Title: title}
	if link != "" {
		s.Link = &link
	}
	return s
}

func sameStory(a, b Story) bool {
	if a.ID != b.ID || a.Key != b.Key || a.Title != b.Title || (a.Link == nil) != (b.Link == nil) {
		return false
	}
	return a.Link == nil || *a.Link == *b.Link
}

func showStory(s Story) string {
	link := "<nil>"
	if s.Link != nil {
		link = *s.Link
	}
	return fmt.Sprintf("{key %q, title %q, link %s}", s.Key, s.Title, link)
}

func TestParseStoryReadsWhatAFacilitatorTypes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Story
	}{
		{"https://jira.example.com/browse/PP-12", story("", "", "https://jira.example.com/browse/PP-12")},
		{"  HTTPS://Tracker.Example  ", story("", "", "https://tracker.example/")},
		{"<https://t.example/PP-12>", story("", "", "https://t.example/PP-12")},
		{"Login page redesign", story("", "Login page redesign", "")},
		{"PP-12 Login page redesign", story("PP-12", "Login page redesign", "")},
		{"PP-12: Login page", story("PP-12", "Login page", "")},
		{"PP-12:Login page", story("PP-12", "Login page", "")},
		{"PP-12 - Login page", story("PP-12", "Login page", "")},
		{"PP-12 — Login page", story("PP-12", "Login page", "")},
		{"[PP-12] Login page", story("PP-12", "Login page", "")},
		{"[PP-12]Login page", story("PP-12", "Login page", "")},
		{"[pp-12] Login page", story("pp-12", "Login page", "")}, // brackets say it is a key: kept as typed
		{"#123 Fix the build", story("#123", "Fix the build", "")},
		{"MY_PROJ2-7 Search", story("MY_PROJ2-7", "Search", "")},
		{"PP-12", story("PP-12", "", "")},
		{"#42", story("#42", "", "")},
		{"PP-12 Login page https://t.example/browse/PP-12", story("PP-12", "Login page", "https://t.example/browse/PP-12")},
		{"Login page | https://t.example/x", story("", "Login page", "https://t.example/x")},
		{"PP-12 https://t.example/browse/PP-12", story("PP-12", "", "https://t.example/browse/PP-12")},
		{"PP-12:https://t.example/browse/PP-12", story("PP-12", "", "https://t.example/browse/PP-12")},
		{"[PP-12]https://t.example/browse/PP-12", story("PP-12", "", "https://t.example/browse/PP-12")},
		{"Login\tpage\r\n redesign", story("", "Login page redesign", "")},
		// Not keys: lower case without brackets, no number, a number first, text glued on.
		{"covid-19 dashboard", story("", "covid-19 dashboard", "")},
		{"PP- Login", story("", "PP- Login", "")},
		{"12-PP Login", story("", "12-PP Login", "")},
		{"PP-12abc Login", story("", "PP-12abc Login", "")},
		{"#12a Login", story("", "#12a Login", "")},
		// A link-like word inside the title is text; only the last word can be the link.
		{"See https://t.example/x first", story("", "See https://t.example/x first", "")},
		{"Note: check", story("", "Note: check", "")},
		{"<script>alert(1)</script>", story("", "<script>alert(1)</script>", "")},
		{"Log\u202ein \u200bpage", story("", "Login page", "")},
		{"Zoë 🂡 李", story("", "Zoë 🂡 李", "")},
	} {
		got, err := ParseStory(tc.in)
		if err != nil || !sameStory(got, tc.want) {
			t.Errorf("ParseStory(%q) = %s, %v; want %s", tc.in, showStory(got), err, showStory(tc.want))
		}
	}
}

func TestParseStoryRefusesWhatItCannotStore(t *testing.T) {
	long := strings.Repeat("x", MaxStoryTitleLength+1)
	for _, tc := range []struct{ in, want string }{
		{"", "Type a story's title or paste its link"},
		{"  \t\r\n ", "Type a story's title or paste its link"},
		{"\u200b", "Type a story's title or paste its link"},
		{"javascript:alert(1)", "a ticket link must be an absolute http:// or https:// URL"},
		{"JavaScript:alert(document.cookie)", "a ticket link must be an absolute http:// or https:// URL"},
		{"java\u200bscript:alert(1)", "a ticket link must be an absolute http:// or https:// URL"},
		{"data:text/html,<script>alert(1)</script>", "a ticket link must be an absolute http:// or https:// URL"},
		{"ftp://files.example/x", "a ticket link must be an absolute http:// or https:// URL"},
		{"PP-12 javascript:alert(1)", "a ticket link must be an absolute http:// or https:// URL"},
		{"PP-12 Login ftp://files.example/x", "a ticket link must be an absolute http:// or https:// URL"},
		{"https://", "a ticket link must be an absolute http:// or https:// URL"},
		{"https://t.example/" + strings.Repeat("x", MaxTicketURLLength), fmt.Sprintf("a ticket link has at most %d characters", MaxTicketURLLength)},
		{long, fmt.Sprintf("a story's title has at most %d characters", MaxStoryTitleLength)},
		{"PP-12 " + long, fmt.Sprintf("a story's title has at most %d characters", MaxStoryTitleLength)},
		{"[" + strings.Repeat("A", MaxStoryKeyLength) + "-1] Login", fmt.Sprintf("a story's key has at most %d characters", MaxStoryKeyLength)},
		{"—", "a story needs a title or a link"},
	} {
		got, err := ParseStory(tc.in)
		if err == nil {
			t.Errorf("ParseStory(%.40q) = %s, want the error %q", tc.in, showStory(got), tc.want)
			continue
		}
		if CodeOf(err) != EInvalid || err.Error() != tc.want {
			t.Errorf("ParseStory(%.40q): %q (%s), want %q", tc.in, err, CodeOf(err), tc.want)
		}
	}
}

func TestParseStoryLinesReadsOneStoryALine(t *testing.T) {
	text := "PP-1 Login page\r\n" +
		"\r\n" +
		"   \n" +
		"- [PP-2] Sign-up form https://t.example/browse/PP-2\n" +
		"* Password reset\n" +
		"javascript:alert(1)\n" +
		"• #7 Search\n" +
		strings.Repeat("y", MaxStoryTitleLength+1) + "\n" +
		"https://t.example/browse/PP-9"
	stories, rejected := ParseStoryLines(text)
	want := []Story{
		story("PP-1", "Login page", ""),
		story("PP-2", "Sign-up form", "https://t.example/browse/PP-2"),
		story("", "Password reset", ""),
		story("#7", "Search", ""),
		story("", "", "https://t.example/browse/PP-9"),
	}
	if len(stories) != len(want) {
		t.Fatalf("got %d stories, want %d: %v", len(stories), len(want), stories)
	}
	for i := range want {
		if !sameStory(stories[i], want[i]) {
			t.Errorf("story %d = %s, want %s", i, showStory(stories[i]), showStory(want[i]))
		}
	}
	wantRejected := []RowError{
		{Line: 6, Message: "a ticket link must be an absolute http:// or https:// URL"},
		{Line: 8, Message: fmt.Sprintf("a story's title has at most %d characters", MaxStoryTitleLength)},
	}
	if fmt.Sprint(rejected) != fmt.Sprint(wantRejected) {
		t.Errorf("rejected %v, want %v", rejected, wantRejected)
	}
}

func TestParseStoryLinesWithNothingGivesNothing(t *testing.T) {
	for _, in := range []string{"", "\n\n", " \r\n\t\r\n", "\u200b\n"} {
		if stories, rejected := ParseStoryLines(in); len(stories) != 0 || len(rejected) != 0 {
			t.Errorf("ParseStoryLines(%q) = %v, %v", in, stories, rejected)
		}
	}
}

func TestParseStoryLinesReadsAtMostMaxImportRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("\n") // line 1 is empty: lines are counted in the text, not in stories
	for i := range MaxImportRows + 3 {
		fmt.Fprintf(&b, "Story %d\n\n", i+1)
	}
	stories, rejected := ParseStoryLines(b.String())
	if len(stories) != MaxImportRows || stories[MaxImportRows-1].Title != fmt.Sprintf("Story %d", MaxImportRows) {
		t.Fatalf("%d stories, the last %v", len(stories), stories[len(stories)-1])
	}
	want := RowError{Line: 2 + 2*MaxImportRows, Message: fmt.Sprintf("3 more lines left out: at most %d stories at once", MaxImportRows)}
	if len(rejected) != 1 || rejected[0] != want {
		t.Errorf("rejected %v, want %v", rejected, want)
	}
}

func FuzzParseStory(f *testing.F) {
	for _, s := range []string{
		"PP-12 Login page https://t.example/browse/PP-12", "[pp-1]x", "#1", "javascript:alert(1)", "<https://x>",
		"PP-12:", "[", "[]", "[#]", "- — | :", "a\u202eb", "\xff\xfe", "https://a b", strings.Repeat("PP-1 ", 300),
		"PP-12 <script>x</script> data:text/html,x", "A-1:B-2:C-3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var s Story
		var err error
		boundedWork(t, len(text), 64, func() { s, err = ParseStory(text) })
		if err != nil {
			if len(err.Error()) > maxMessage || CodeOf(err) != EInvalid {
				t.Fatalf("error %.200q (%s)", err, CodeOf(err))
			}
			return
		}
		checkParsedStory(t, s, text)
	})
}

func FuzzParseStoryLines(f *testing.F) {
	for _, s := range []string{
		"PP-1 a\r\nPP-2 b\n\n- c https://t.example/c\njavascript:x", "\n\n\n", "\r", "* \n- -\n• x",
		strings.Repeat("x\n", MaxImportRows+2),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var stories []Story
		var rejected []RowError
		boundedWork(t, len(text), 64, func() { stories, rejected = ParseStoryLines(text) })
		if len(stories) > MaxImportRows || len(stories)+len(rejected) > MaxImportRows+1 {
			t.Fatalf("%d stories, %d rejected", len(stories), len(rejected))
		}
		lines := strings.Count(text, "\n") + 1
		for i, r := range rejected {
			if r.Line < 1 || r.Line > lines || (i > 0 && r.Line <= rejected[i-1].Line) || r.Message == "" || len(r.Message) > maxMessage {
				t.Fatalf("rejected %v of %d lines", rejected, lines)
			}
		}
		for _, s := range stories {
			checkParsedStory(t, s, text)
		}
	})
}

// checkParsedStory fails t when s, read from text, is not a story the backlog takes as
// it is.
func checkParsedStory(t *testing.T, s Story, text string) {
	t.Helper()
	again, err := checkStory(s)
	if err != nil || !sameStory(again, s) || s.ID != 0 {
		t.Fatalf("%s from %.200q does not pass checkStory: %s, %v", showStory(s), text, showStory(again), err)
	}
	if strings.ContainsAny(s.Title+s.Key, "\t\r\n") || strings.TrimSpace(s.Title) != s.Title || !utf8.ValidString(s.Title) {
		t.Fatalf("title %q, key %q from %.200q", s.Title, s.Key, text)
	}
}
