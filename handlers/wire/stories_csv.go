package wire

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// The per-story CSV is the session as an issue tracker imports it (Jira's and GitHub's
// CSV importers map columns by their header): one row per story, with the estimate the
// team agreed and a summary of the cards of its last round. It never names a player.

// storiesCSVHeader names the columns of the per-story CSV.
var storiesCSVHeader = []string{"Key", "Title", "Link", "Estimate", "Votes"}

// storyRow is one story of the per-story CSV, gathered from the backlog and the record.
type storyRow struct {
	story    game.Story
	estimate string            // the agreed estimate of its latest round that has one
	last     *game.RoundRecord // its latest revealed round; nil when none
	backlog  bool              // a story of the backlog, whose estimate the room keeps
}

// storyRows lists the session's stories: the backlog's, in backlog order, then the
// stories voted on outside it (typed for a round, or deleted from the backlog since), in
// the order of their first round. A typed story is one story however many rounds it had:
// rounds are grouped by backlog id, or, typed ones, by key, title and link. Rounds
// without a story are left out.
func storyRows(st *game.State) []*storyRow {
	rows := make([]*storyRow, 0, len(st.Backlog))
	byID := map[int]*storyRow{}
	byText := map[[3]string]*storyRow{}
	for _, b := range st.Backlog {
		row := &storyRow{story: b.Story, estimate: b.Estimate, backlog: true}
		rows = append(rows, row)
		byID[b.ID] = row
	}
	for _, rec := range st.Records {
		s := game.Story{ID: rec.StoryID, Key: rec.Key, Title: rec.Title, Link: rec.TicketURL}
		if s.IsZero() {
			continue
		}
		var row *storyRow
		if s.ID > 0 {
			row = byID[s.ID]
			if row == nil {
				row = &storyRow{story: s}
				byID[s.ID] = row
				rows = append(rows, row)
			}
		} else {
			text := [3]string{s.Key, s.Title, deref(s.Link)}
			row = byText[text]
			if row == nil {
				row = &storyRow{story: s}
				byText[text] = row
				rows = append(rows, row)
			}
		}
		// Records are oldest first: the last one seen is the latest.
		row.last = rec
		if rec.Estimate != "" && !row.backlog {
			row.estimate = rec.Estimate
		}
	}
	return rows
}

// VotesSummary sums up a revealed round's cards, in deck order, as "3 × 5, 1 × 8", with
// "; 2 unsure" when voters marked their vote unsure. It names nobody.
func VotesSummary(rec *game.RoundRecord) string {
	if rec == nil {
		return ""
	}
	parts := make([]string, 0, len(rec.Results.Distribution))
	for _, bar := range rec.Results.Distribution {
		if bar.Count > 0 {
			parts = append(parts, strconv.Itoa(bar.Count)+" × "+bar.Card.Label)
		}
	}
	summary := strings.Join(parts, ", ")
	if n := rec.Results.Unsure; n > 0 {
		summary += "; " + strconv.Itoa(n) + " unsure"
	}
	return summary
}

// writeStoriesCSV writes the per-story CSV. Text someone typed is defused so that a
// spreadsheet never runs it as a formula.
func writeStoriesCSV(w io.Writer, st *game.State) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(storiesCSVHeader); err != nil {
		return err
	}
	for _, row := range storyRows(st) {
		if err := cw.Write([]string{
			spreadsheetText(row.story.Key),
			spreadsheetText(row.story.Title),
			spreadsheetText(deref(row.story.Link)),
			spreadsheetText(row.estimate),
			spreadsheetText(VotesSummary(row.last)),
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SendStoriesCSV answers with the per-story CSV as a download named after the room.
func SendStoriesCSV(c echo.Context, st *game.State) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="pokerd-`+st.Game.Code+`-stories.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	return writeStoriesCSV(c.Response(), st)
}
