package game

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestImportStoriesCSVReadsTrackersAndSpreadsheets(t *testing.T) {
	jira, err := os.ReadFile("testdata/stories/jira_cloud.csv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		file     string
		want     []Story
		rejected []RowError
	}{{
		name: "Jira Cloud's export: dozens of columns, some repeated, a description over several lines",
		file: string(jira),
		want: []Story{
			story("PP-12", "Login page redesign", ""),
			story("PP-13", "Password reset, by e-mail", ""),
			story("PP-15", "<script>alert('x')</script> in the search box", ""),
		},
		rejected: []RowError{{Line: 7, Message: "this row has no title and no link"}},
	}, {
		name: "Jira Server's export: Issue Key and Summary elsewhere, Issue id first",
		file: "Issue id,Project,Issue Type,Issue Key,Status,Summary,Sprint,Sprint,Custom field (Story Points)\n" +
			"20001,Checkout,Story,CO-7,Open,Pay by card,CO Sprint 3,,\n" +
			"20002,Checkout,Story,CO-8,Open,Pay on delivery,CO Sprint 3,CO Sprint 4,8\n",
		want: []Story{story("CO-7", "Pay by card", ""), story("CO-8", "Pay on delivery", "")},
	}, {
		name: "Excel's export: a byte-order mark, ';' between columns, upper-case names",
		file: "\uFEFFTITLE;LINK;Owner\r\nRésumé upload;https://t.example/browse/HR-1;Zoë\r\n\"Search; with filters\";;Li\r\n",
		want: []Story{story("", "Résumé upload", "https://t.example/browse/HR-1"), story("", "Search; with filters", "")},
	}, {
		name: "Excel's default encoding, Windows-1252",
		file: "Title;Link\r\nCaf\xe9 menu \x96 prices;\r\n",
		want: []Story{story("", "Café menu – prices", "")},
	}, {
		name: "a tab between columns",
		file: "Key\tSummary\tURL\nPP-1\tLogin\thttps://t.example/PP-1\n",
		want: []Story{story("PP-1", "Login", "https://t.example/PP-1")},
	}, {
		name: "title,link with a header",
		file: "title,link\nLogin page,https://t.example/1\nSign-up form,\n",
		want: []Story{story("", "Login page", "https://t.example/1"), story("", "Sign-up form", "")},
	}, {
		name: "title,link without a header: each title read as typed text",
		file: "PP-1 Login page,https://t.example/1\n\n[PP-2] Sign-up form\n,https://t.example/3\nPassword reset https://t.example/4,\n",
		want: []Story{
			story("PP-1", "Login page", "https://t.example/1"),
			story("PP-2", "Sign-up form", ""),
			story("", "", "https://t.example/3"),
			story("", "Password reset", "https://t.example/4"),
		},
	}, {
		name: "a column of titles alone",
		file: "Login page\nSign-up form\n",
		want: []Story{story("", "Login page", ""), story("", "Sign-up form", "")},
	}, {
		name: "GitHub-like: Title, URL, Number",
		file: "Title,URL,Number,Labels\nFix the build,https://github.example/o/r/issues/12,12,bug\nDocs,,x7,\n",
		want: []Story{story("#12", "Fix the build", "https://github.example/o/r/issues/12"), story("x7", "Docs", "")},
	}, {
		name: "quoted commas, quotes and line breaks: lines counted in the file",
		file: "Summary,Link\n\"Login, then logout\",\"https://t.example/a\"\n\"Two\nlines, \"\"quoted\"\"\",\n\"Bad\nlink\",javascript:alert(1)\nOK,\n",
		want: []Story{
			story("", "Login, then logout", "https://t.example/a"),
			story("", "Two lines, \"quoted\"", ""),
			story("", "OK", ""),
		},
		rejected: []RowError{{Line: 5, Message: "a ticket link must be an absolute http:// or https:// URL"}},
	}, {
		name: "rows it cannot read are reported with their line, the others kept",
		file: "Summary,Issue key,Link\n" +
			"Login,PP-1,ftp://files.example/x\n" +
			",PP-2,\n" +
			strings.Repeat("y", MaxStoryTitleLength+1) + ",PP-3,\n" +
			"Search,PP-4,https://t.example/" + strings.Repeat("z", MaxTicketURLLength) + "\n" +
			"Export,PP-5,https://t.example/PP-5\n" +
			"Import,\"PP-6\" x,\n",
		want: []Story{story("PP-5", "Export", "https://t.example/PP-5")},
		rejected: []RowError{
			{Line: 2, Message: "a ticket link must be an absolute http:// or https:// URL"},
			{Line: 3, Message: "this row has no title and no link"},
			{Line: 4, Message: fmt.Sprintf("a story's title has at most %d characters", MaxStoryTitleLength)},
			{Line: 5, Message: fmt.Sprintf("a ticket link has at most %d characters", MaxTicketURLLength)},
			{Line: 7, Message: "this row's quotes do not pair up"},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			stories, rejected, err := ImportStoriesCSV(strings.NewReader(tc.file))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if len(stories) != len(tc.want) {
				t.Fatalf("%d stories, want %d: %v", len(stories), len(tc.want), stories)
			}
			for i := range tc.want {
				if !sameStory(stories[i], tc.want[i]) {
					t.Errorf("story %d = %s, want %s", i, showStory(stories[i]), showStory(tc.want[i]))
				}
			}
			if fmt.Sprint(rejected) != fmt.Sprint(tc.rejected) {
				t.Errorf("rejected %v, want %v", rejected, tc.rejected)
			}
		})
	}
}

func TestImportStoriesCSVRefusesFilesItCannotUse(t *testing.T) {
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("Summary,Issue key\n")
		for i := range n {
			fmt.Fprintf(&b, "Story %d,PP-%d\n", i+1, i+1)
		}
		return b.String()
	}
	garbage := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	utf16 := []byte{0xff, 0xfe}
	for _, c := range "Title\r\nLogin\r\n" {
		utf16 = append(utf16, byte(c), 0)
	}
	bigRow := "Summary\n" + strings.Repeat("x", 100) + "\n"
	for _, tc := range []struct{ name, file, want string }{
		{"larger than the bound", strings.Repeat(bigRow, MaxImportBytes/len(bigRow)+1), "a file of stories has at most 1024 KiB"},
		{"more rows than a backlog holds", rows(MaxImportRows + 1), fmt.Sprintf("a file of stories has at most %d rows: split it", MaxImportRows)},
		{"binary garbage", string(garbage), "this file is not CSV text: save it as CSV (UTF-8)"},
		{"a PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this file is not CSV text: save it as CSV (UTF-8)"},
		{"UTF-16", string(utf16), "this file is not CSV text: save it as CSV (UTF-8)"},
		{"no column it knows", "Assignee,Status\nAnn,Open\n", "the file's first row names no column of titles or links: name one Summary, Title or Name, and Link or URL, or give a title and a link on each row"},
		{"a key column alone", "Issue key\nPP-1\n", "the file's first row names no column of titles or links: name one Summary, Title or Name, and Link or URL, or give a title and a link on each row"},
		{"empty", "", "the file is empty"},
		{"a byte-order mark alone", "\uFEFF", "the file is empty"},
		{"a header alone", "Summary,Issue key\r\n\r\n", "the file has no stories"},
		{"blank lines alone", "\n \n\t\n", "the file has no stories"},
		{"quotes that never close in the first row", "\"Summary,Link\nLogin,\n", "this file is not CSV: its quotes do not pair up on line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stories, rejected, err := ImportStoriesCSV(strings.NewReader(tc.file))
			if err == nil {
				t.Fatalf("took %d stories, %d rejected", len(stories), len(rejected))
			}
			if CodeOf(err) != EInvalid || err.Error() != tc.want {
				t.Errorf("%q (%s), want %q", err, CodeOf(err), tc.want)
			}
			if stories != nil || rejected != nil {
				t.Errorf("a refused file still gave %v, %v", stories, rejected)
			}
		})
	}
}

func TestImportStoriesCSVTakesFilesUpToItsBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("Summary,Issue key\n")
	for i := range MaxImportRows {
		fmt.Fprintf(&b, "Story %d,PP-%d\n", i+1, i+1)
	}
	stories, rejected, err := ImportStoriesCSV(strings.NewReader(b.String()))
	if err != nil || len(stories) != MaxImportRows || len(rejected) != 0 {
		t.Fatalf("%d stories, %v, %v", len(stories), rejected, err)
	}
	if last := stories[MaxImportRows-1]; last.Key != fmt.Sprintf("PP-%d", MaxImportRows) {
		t.Errorf("last story %s", showStory(last))
	}

	// A file of exactly MaxImportBytes is read: the bound is on what is more.
	row := "Summary\n" + strings.Repeat("x", MaxImportBytes/MaxImportRows-10) + "\n"
	file := strings.Repeat(row, MaxImportRows/2)
	file += strings.Repeat(" ", MaxImportBytes-len(file))
	if _, _, err := ImportStoriesCSV(strings.NewReader(file)); err != nil {
		t.Errorf("a file of %d bytes refused: %v", len(file), err)
	}
}

func FuzzImportStoriesCSV(f *testing.F) {
	jira, err := os.ReadFile("testdata/stories/jira_cloud.csv")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		string(jira), "title,link\na,https://t.example/a\n", "\uFEFFTitle;Link\r\nx;javascript:alert(1)\r\n",
		"a\tb\n", "\"", "\"a\"b\",c\n", "Summary\n\"x\n", "Number,Title\n12,x\n", "Caf\xe9\n", ",\n,,\n",
		"PP-1 x,https://t.example\n[a-1]y\n", strings.Repeat("Summary,", 200) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		var stories []Story
		var rejected []RowError
		var err error
		boundedWork(t, len(file), 64, func() { stories, rejected, err = ImportStoriesCSV(bytes.NewReader(file)) })
		if err != nil {
			if CodeOf(err) != EInvalid || len(err.Error()) > maxMessage || stories != nil || rejected != nil {
				t.Fatalf("refused with %q (%s), and %d stories, %d rejected", err, CodeOf(err), len(stories), len(rejected))
			}
			return
		}
		if len(stories)+len(rejected) > MaxImportRows || len(stories)+len(rejected) == 0 {
			t.Fatalf("%d stories and %d rejected rows", len(stories), len(rejected))
		}
		lines := bytes.Count(file, []byte("\n")) + bytes.Count(file, []byte("\r")) + 1
		for _, r := range rejected {
			if r.Line < 1 || r.Line > lines || r.Message == "" || len(r.Message) > maxMessage {
				t.Fatalf("rejected %v of %d lines", r, lines)
			}
		}
		for _, s := range stories {
			checkParsedStory(t, s, string(file))
		}
	})
}

// BenchmarkImportStoriesCSV reads a Jira export of a full backlog: 500 rows of 25
// columns, a description over several lines in each.
func BenchmarkImportStoriesCSV(b *testing.B) {
	jira, err := os.ReadFile("testdata/stories/jira_cloud.csv")
	if err != nil {
		b.Fatal(err)
	}
	header, _, _ := bytes.Cut(jira, []byte("\r\n"))
	var file bytes.Buffer
	file.Write(header)
	file.WriteString("\r\n")
	for i := range MaxImportRows {
		fmt.Fprintf(&file, "Story number %d of the backlog,PP-%d,%d,Story,To Do,PP,Poker Planning,software,Dana Lee,"+
			"https://example.atlassian.net/projects/PP,Medium,,Dana Lee,12/Nov/26 9:14 AM,20/Nov/26 4:02 PM,ux,web,"+
			"\"As a user I want story %d,\nso that the backlog is full.\n\nAcceptance: \"\"it works\"\".\",,0|i0003b:,5,PP Sprint 7,PP Sprint 8,10001,Accounts\r\n",
			i+1, i+1, 10000+i, i+1)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		stories, rejected, err := ImportStoriesCSV(bytes.NewReader(file.Bytes()))
		if err != nil || len(stories) != MaxImportRows || len(rejected) != 0 {
			b.Fatalf("%d stories, %v, %v", len(stories), rejected, err)
		}
	}
}
