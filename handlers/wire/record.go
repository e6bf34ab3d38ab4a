package wire

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// The session record leaves the room in two forms: JSON for scripts and CSV for
// spreadsheets. Both come from the same *game.State, so they always agree. Both name
// the players as any message does (see names.go): the caller by its id, the others
// by alias; Names{} names everyone by alias.

// recordCSVHeader names the columns of the CSV record: one row per player per round
// (per card, in a round revealed while names were hidden). The columns added after the
// first version come last, so that a sheet that reads the others by place still works.
var recordCSVHeader = []string{
	"round", "ticket_url", "started_at", "revealed_at", "duration_seconds",
	"player_id", "player", "observing", "vote", "value", "counted",
	"estimate", "average", "median", "consensus",
	"story_key", "story_title", "unsure", "unsure_count",
}

// writeRecordCSV writes the session record as CSV, rounds oldest first and players in
// join order. Text a player typed is defused so that a spreadsheet never runs it as a
// formula. A round revealed while names were hidden (Anonymous) has a row per card, in
// deck order, with no player.
func writeRecordCSV(w io.Writer, st *game.State, n Names) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(recordCSVHeader); err != nil {
		return err
	}
	for _, rec := range st.Records {
		res := rec.Results
		for _, v := range rec.Votes {
			vote, value, counted := "", "", "false"
			if v.Card != nil {
				vote, value = v.Card.Label, formatNumber(v.Card.Value)
				counted = strconv.FormatBool(!v.Card.Special)
			}
			row := []string{
				strconv.Itoa(rec.Number),
				spreadsheetText(deref(rec.TicketURL)),
				formatTime(rec.StartedAt),
				formatTime(rec.RevealedAt),
				formatNumber(roundTo(rec.Duration().Seconds(), 3)),
				playerCell(rec, v.Player, n),
				spreadsheetText(v.Player.Username),
				strconv.FormatBool(v.Observing),
				spreadsheetText(vote),
				value,
				counted,
				spreadsheetText(rec.Estimate),
				formatOptional(res.Average),
				formatOptional(res.Median),
				strconv.FormatBool(res.Consensus),
				spreadsheetText(rec.Key),
				spreadsheetText(rec.Title),
				strconv.FormatBool(v.Unsure),
				strconv.Itoa(res.Unsure),
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// playerCell is how a record's row names its player: not at all in an anonymous round.
func playerCell(rec *game.RoundRecord, p game.Player, n Names) string {
	if rec.Anonymous || p.ID == uuid.Nil {
		return ""
	}
	return n.of(p).String()
}

// spreadsheetText keeps a cell that a spreadsheet would read as a formula as plain text.
func spreadsheetText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func formatOptional(v *float64) string {
	if v == nil {
		return ""
	}
	return formatNumber(roundTo(*v, 2))
}

func roundTo(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// The JSON record's shapes. Keys are snake_case like the rest of the API.
type (
	recordJSON struct {
		Code   string            `json:"code"`
		Name   string            `json:"name"`
		Deck   deckJSON          `json:"deck"`
		Rounds []recordRoundJSON `json:"rounds"`
	}
	deckJSON struct {
		ID    int        `json:"id"`
		Name  string     `json:"name"`
		Cards []cardJSON `json:"cards"`
	}
	cardJSON struct {
		Label   string  `json:"label"`
		Value   float64 `json:"value"`
		Special bool    `json:"special"`
	}
	playerJSON struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}
	recordRoundJSON struct {
		Round     int     `json:"round"`
		TicketURL *string `json:"ticket_url"`
		// The round's story beyond its link: its backlog id (null: typed for the round),
		// key and title ("" when none).
		StoryID    *int   `json:"story_id"`
		StoryKey   string `json:"story_key"`
		StoryTitle string `json:"story_title"`
		// Anonymous: revealed while names were hidden; its votes name nobody.
		Anonymous       bool             `json:"anonymous"`
		StartedAt       string           `json:"started_at"`
		RevealedAt      string           `json:"revealed_at"`
		DurationSeconds float64          `json:"duration_seconds"`
		Estimate        *string          `json:"estimate"`
		Votes           []recordVoteJSON `json:"votes"`
		Results         resultsJSON      `json:"results"`
	}
	recordVoteJSON struct {
		Player    *playerJSON `json:"player"` // null in an anonymous round
		Observing bool        `json:"observing"`
		Card      *cardJSON   `json:"card"`
		Unsure    bool        `json:"unsure"`
	}
	resultsJSON struct {
		Votes        int          `json:"votes"`
		Counted      int          `json:"counted"`
		Average      *float64     `json:"average"`
		Median       *float64     `json:"median"`
		Modes        []cardJSON   `json:"modes"`
		ModeCount    int          `json:"mode_count"`
		Consensus    bool         `json:"consensus"`
		Lowest       *extremeJSON `json:"lowest"`
		Highest      *extremeJSON `json:"highest"`
		Suggestion   *cardJSON    `json:"suggestion"`
		Distribution []barJSON    `json:"distribution"`
		Unsure       int          `json:"unsure"`
	}
	extremeJSON struct {
		Card    cardJSON     `json:"card"`
		Players []playerJSON `json:"players,omitempty"` // left out when the room hides names
	}
	barJSON struct {
		Card  cardJSON `json:"card"`
		Count int      `json:"count"`
	}
)

// appendRecordJSON appends the session record as a JSON object.
func appendRecordJSON(b []byte, st *game.State, n Names) []byte {
	buf := bytes.NewBuffer(b)
	_ = writeRecordJSON(buf, st, n) // a buffer takes every write
	return buf.Bytes()
}

// writeRecordJSON writes the session record as one JSON object, a round at a time: a
// record at its bounds is megabytes, which a download must not hold whole in memory.
// The bytes are those json.Marshal gives the whole recordJSON.
func writeRecordJSON(w io.Writer, st *game.State, n Names) error {
	head, err := json.Marshal(recordJSON{
		Code: st.Game.Code,
		Name: st.Game.Name,
		Deck: deckJSON{ID: st.Game.Deck.ID, Name: st.Game.Deck.Name, Cards: cardsJSON(st.Game.Deck.Cards)},
	})
	if err != nil {
		panic(err) // plain structs of strings and finite numbers always encode
	}
	// head ends with "rounds":null}: the rounds go where the null is.
	head = bytes.TrimSuffix(head, []byte("null}"))
	if _, err := w.Write(append(head, '[')); err != nil {
		return err
	}
	for i, rec := range st.Records {
		data, err := json.Marshal(recordRoundToJSON(rec, st.Game.Settings.Options, n))
		if err != nil {
			panic(err)
		}
		if i > 0 {
			data = append([]byte{','}, data...)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	_, err = w.Write([]byte("]}"))
	return err
}

// recordRoundToJSON writes a round as the room's rules let anyone see its results.
func recordRoundToJSON(rec *game.RoundRecord, rules game.RoomOptions, n Names) recordRoundJSON {
	r := recordRoundJSON{
		Round:           rec.Number,
		TicketURL:       rec.TicketURL,
		StoryKey:        rec.Key,
		StoryTitle:      rec.Title,
		Anonymous:       rec.Anonymous,
		StartedAt:       formatTime(rec.StartedAt),
		RevealedAt:      formatTime(rec.RevealedAt),
		DurationSeconds: roundTo(rec.Duration().Seconds(), 3),
		Votes:           make([]recordVoteJSON, len(rec.Votes)),
		Results:         resultsToJSON(rules.ResultsShown(rec.Results), n),
	}
	if rec.Estimate != "" {
		e := rec.Estimate
		r.Estimate = &e
	}
	if rec.StoryID > 0 {
		id := rec.StoryID
		r.StoryID = &id
	}
	for i, v := range rec.Votes {
		r.Votes[i] = recordVoteJSON{Observing: v.Observing, Unsure: v.Unsure}
		if !rec.Anonymous && v.Player.ID != uuid.Nil {
			p := toPlayerJSON(v.Player, n)
			r.Votes[i].Player = &p
		}
		if v.Card != nil {
			c := toCardJSON(*v.Card)
			r.Votes[i].Card = &c
		}
	}
	return r
}

func resultsToJSON(res game.Results, n Names) resultsJSON {
	out := resultsJSON{
		Votes:        res.Votes,
		Counted:      res.Counted,
		Average:      roundedPtr(res.Average),
		Median:       roundedPtr(res.Median),
		Modes:        cardsJSON(res.Modes),
		ModeCount:    res.ModeCount,
		Consensus:    res.Consensus,
		Lowest:       extremeToJSON(res.Lowest, n),
		Highest:      extremeToJSON(res.Highest, n),
		Distribution: make([]barJSON, len(res.Distribution)),
		Unsure:       res.Unsure,
	}
	if res.Suggestion != nil {
		c := toCardJSON(*res.Suggestion)
		out.Suggestion = &c
	}
	for i, bar := range res.Distribution {
		out.Distribution[i] = barJSON{Card: toCardJSON(bar.Card), Count: bar.Count}
	}
	return out
}

func extremeToJSON(e *game.Extreme, n Names) *extremeJSON {
	if e == nil {
		return nil
	}
	out := &extremeJSON{Card: toCardJSON(e.Card)}
	for _, p := range e.Players {
		out.Players = append(out.Players, toPlayerJSON(p, n))
	}
	return out
}

func roundedPtr(v *float64) *float64 {
	if v == nil {
		return nil
	}
	r := roundTo(*v, 2)
	return &r
}

func cardsJSON(cards []game.Card) []cardJSON {
	out := make([]cardJSON, len(cards))
	for i, c := range cards {
		out[i] = toCardJSON(c)
	}
	return out
}

func toCardJSON(c game.Card) cardJSON {
	return cardJSON{Label: c.Label, Value: c.Value, Special: c.Special}
}

func toPlayerJSON(p game.Player, n Names) playerJSON {
	return playerJSON{ID: n.of(p).String(), Username: p.Username}
}
