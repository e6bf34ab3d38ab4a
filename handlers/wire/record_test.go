package wire

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/played"
)

// recAliases returns the alias of each player of playedRoom, by id.
func recAliases(t *testing.T, room *game.Room) map[uuid.UUID]uuid.UUID {
	t.Helper()
	aliases := map[uuid.UUID]uuid.UUID{}
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		seat, err := room.Seat(p.ID)
		played.Must(t, err)
		aliases[p.ID] = seat.Player.Alias
	}
	return aliases
}

func TestRecordCSV(t *testing.T) {
	room := played.Room(t, game.RoomOptions{})
	st := room.State()
	var buf bytes.Buffer
	played.Must(t, writeRecordCSV(&buf, st, NamesFor(played.Alice.ID)))
	text := buf.String()
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	if len(rows) != 1+2*3 {
		t.Fatalf("%d rows, want a header and one row per player per round:\n%v", len(rows), rows)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	cell := func(row int, name string) string { return rows[row][col[name]] }

	t.Run("each row holds the player's card and value", func(t *testing.T) {
		want := []struct{ round, player, vote, value, counted string }{
			{"1", "alice", "3", "3", "true"},
			{"1", "'=HYPERLINK(\"http://evil\")", "5", "5", "true"},
			{"1", "carol", "?", "100", "false"},
			{"2", "alice", "8", "8", "true"},
			{"2", "'=HYPERLINK(\"http://evil\")", "8", "8", "true"},
			{"2", "carol", "", "", "false"},
		}
		for i, w := range want {
			r := i + 1
			got := struct{ round, player, vote, value, counted string }{
				cell(r, "round"), cell(r, "player"), cell(r, "vote"), cell(r, "value"), cell(r, "counted"),
			}
			if got != w {
				t.Errorf("row %d = %+v, want %+v", r, got, w)
			}
		}
	})
	t.Run("the caller is named by id, everyone else by alias", func(t *testing.T) {
		aliases := recAliases(t, room)
		for r, p := range []game.Player{played.Alice, played.Bob, played.Carol, played.Alice, played.Bob, played.Carol} {
			want := aliases[p.ID].String()
			if p == played.Alice {
				want = p.ID.String()
			}
			if got := cell(r+1, "player_id"); got != want {
				t.Errorf("row %d names %s by %s, want %s", r+1, p.Username, got, want)
			}
		}
		for _, p := range []game.Player{played.Bob, played.Carol} {
			if strings.Contains(text, p.ID.String()) {
				t.Errorf("alice's record carries %s's id", p.Username)
			}
		}
		var anyone bytes.Buffer
		played.Must(t, writeRecordCSV(&anyone, st, Names{}))
		if strings.Contains(anyone.String(), played.Alice.ID.String()) || !strings.Contains(anyone.String(), aliases[played.Alice.ID].String()) {
			t.Errorf("a record for anyone names alice by her id, or not at all:\n%s", anyone.String())
		}
	})
	t.Run("round figures leave the special card out", func(t *testing.T) {
		if cell(1, "average") != "4" || cell(1, "median") != "4" || cell(1, "consensus") != "false" {
			t.Errorf("round 1: average %q median %q consensus %q", cell(1, "average"), cell(1, "median"), cell(1, "consensus"))
		}
		if cell(4, "average") != "8" || cell(4, "consensus") != "true" || cell(4, "estimate") != "8" {
			t.Errorf("round 2: average %q consensus %q estimate %q", cell(4, "average"), cell(4, "consensus"), cell(4, "estimate"))
		}
		if cell(1, "ticket_url") != "https://tracker.example/PP-1" || cell(4, "ticket_url") != "" {
			t.Errorf("tickets %q and %q", cell(1, "ticket_url"), cell(4, "ticket_url"))
		}
	})
}

func TestRecordJSON(t *testing.T) {
	decode := func(t *testing.T, st *game.State) map[string]any {
		t.Helper()
		var out map[string]any
		if err := json.Unmarshal(appendRecordJSON(nil, st, NamesFor(played.Alice.ID)), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("rounds carry votes, results and the estimate", func(t *testing.T) {
		rec := decode(t, played.Room(t, game.RoomOptions{}).State())
		rounds := rec["rounds"].([]any)
		if len(rounds) != 2 {
			t.Fatalf("%d rounds", len(rounds))
		}
		first := rounds[0].(map[string]any)
		res := first["results"].(map[string]any)
		if res["average"] != 4.0 || res["counted"] != 2.0 || res["votes"] != 3.0 {
			t.Errorf("round 1 results %v", res)
		}
		low := res["lowest"].(map[string]any)
		if name := low["players"].([]any)[0].(map[string]any)["username"]; name != "alice" {
			t.Errorf("lowest vote by %v", name)
		}
		if first["estimate"] != nil || rounds[1].(map[string]any)["estimate"] != "8" {
			t.Errorf("estimates %v, %v", first["estimate"], rounds[1].(map[string]any)["estimate"])
		}
		carol := first["votes"].([]any)[2].(map[string]any)["card"].(map[string]any)
		if carol["label"] != "?" || carol["special"] != true {
			t.Errorf("carol's card %v", carol)
		}
	})
	t.Run("the caller is named by id, everyone else by alias, in votes and results", func(t *testing.T) {
		room := played.Room(t, game.RoomOptions{})
		aliases := recAliases(t, room)
		raw := string(appendRecordJSON(nil, room.State(), NamesFor(played.Bob.ID)))
		rec := decode(t, room.State())
		votes := rec["rounds"].([]any)[0].(map[string]any)["votes"].([]any)
		for i, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
			want := aliases[p.ID].String()
			if p == played.Alice {
				want = p.ID.String()
			}
			if got := votes[i].(map[string]any)["player"].(map[string]any)["id"]; got != want {
				t.Errorf("alice's record names %s by %v, want %s", p.Username, got, want)
			}
		}
		// Bob's own record: the lowest vote of round 1 is alice's, named by alias.
		if strings.Contains(raw, played.Alice.ID.String()) || strings.Contains(raw, played.Carol.ID.String()) ||
			!strings.Contains(raw, `"lowest":{"card":{"label":"3","value":3,"special":false},"players":[{"id":"`+aliases[played.Alice.ID].String()+`"`) {
			t.Errorf("bob's record: %s", raw)
		}
	})
	t.Run("a room that hides names keeps them out of the results", func(t *testing.T) {
		rec := decode(t, played.Room(t, game.RoomOptions{HideNames: true}).State())
		res := rec["rounds"].([]any)[0].(map[string]any)["results"].(map[string]any)
		if _, named := res["lowest"].(map[string]any)["players"]; named {
			t.Errorf("lowest names its voters: %v", res["lowest"])
		}
	})
}

// Every character a spreadsheet starts a formula with is neutralised, not only "=": a
// name such as "+cmd|' /C calc'!A0" or "@SUM(A1)" would otherwise run when the record is
// opened.
func TestRecordCSVNeutralisesEveryFormulaStart(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=1+1", "'=1+1"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"alice", "alice"},
		{"a=b", "a=b"},
		{"", ""},
	} {
		if got := spreadsheetText(tc.in); got != tc.want {
			t.Errorf("spreadsheetText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}

	t.Run("through the download", func(t *testing.T) {
		decks, err := game.NewMemoryDeckDB(nil)
		played.Must(t, err)
		room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", 1, game.GameSettings{})
		played.Must(t, err)
		usernames := []string{"+cmd", "-2+3", "@SUM(A1)"}
		var facilitator uuid.UUID // the first to join
		for i, name := range usernames {
			p := game.Player{ID: uuid.New(), Username: name}
			if i == 0 {
				facilitator = p.ID
			}
			played.Must(t, room.Join(p))
			played.Must(t, room.Connect(p.ID, nil))
		}
		played.Must(t, room.StartRound(facilitator, nil))
		for i, ps := range room.State().Players {
			played.Must(t, room.Vote(ps.Player.ID, float64(i+1)))
		}
		played.Must(t, room.Reveal(facilitator))
		var buf bytes.Buffer
		played.Must(t, writeRecordCSV(&buf, room.State(), NamesFor(facilitator)))
		rows, err := csv.NewReader(&buf).ReadAll()
		played.Must(t, err)
		col := -1
		for i, name := range rows[0] {
			if name == "player" {
				col = i
			}
		}
		for i, name := range usernames {
			if got := rows[i+1][col]; got != "'"+name {
				t.Errorf("player cell %q, want %q", got, "'"+name)
			}
		}
	})
}
