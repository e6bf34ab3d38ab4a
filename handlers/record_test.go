package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

var (
	recAlice = game.Player{ID: uuid.MustParse("a11ce000-0000-4000-8000-000000000001"), Username: "alice"}
	recBob   = game.Player{ID: uuid.MustParse("b0b00000-0000-4000-8000-000000000002"), Username: "=HYPERLINK(\"http://evil\")"}
	recCarol = game.Player{ID: uuid.MustParse("ca401000-0000-4000-8000-000000000003"), Username: "carol"}
)

// playedRoom returns a Fibonacci room where alice (facilitator), bob and carol played two
// rounds: 3/5/? on a ticket, then 8/8/no vote with the estimate "8".
func playedRoom(t *testing.T, opts game.RoomOptions) *game.Room {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", 1, game.GameSettings{Options: opts})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []game.Player{recAlice, recBob, recCarol} {
		must(t, room.Join(p))
		must(t, room.Connect(p.ID, nil))
	}
	ticket := "https://tracker.example/PP-1"
	must(t, room.StartRound(recAlice.ID, &ticket))
	must(t, room.Vote(recAlice.ID, 3))
	must(t, room.Vote(recBob.ID, 5))
	must(t, room.Vote(recCarol.ID, 100))
	must(t, room.Reveal(recAlice.ID))
	must(t, room.StartRound(recAlice.ID, nil))
	must(t, room.Vote(recAlice.ID, 8))
	must(t, room.Vote(recBob.ID, 8))
	must(t, room.Reveal(recAlice.ID))
	must(t, room.SetEstimate(recAlice.ID, 2, "8"))
	return room
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRecordCSV(t *testing.T) {
	st := playedRoom(t, game.RoomOptions{}).State()
	var buf bytes.Buffer
	must(t, writeRecordCSV(&buf, st))
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
		if err := json.Unmarshal(appendRecordJSON(nil, st), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("rounds carry votes, results and the estimate", func(t *testing.T) {
		rec := decode(t, playedRoom(t, game.RoomOptions{}).State())
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
	t.Run("a room that hides names keeps them out of the results", func(t *testing.T) {
		rec := decode(t, playedRoom(t, game.RoomOptions{HideNames: true}).State())
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
		must(t, err)
		room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Sprint", 1, game.GameSettings{})
		must(t, err)
		names := []string{"+cmd", "-2+3", "@SUM(A1)"}
		var facilitator uuid.UUID // the first to join
		for i, name := range names {
			p := game.Player{ID: uuid.New(), Username: name}
			if i == 0 {
				facilitator = p.ID
			}
			must(t, room.Join(p))
			must(t, room.Connect(p.ID, nil))
		}
		must(t, room.StartRound(facilitator, nil))
		for i, ps := range room.State().Players {
			must(t, room.Vote(ps.Player.ID, float64(i+1)))
		}
		must(t, room.Reveal(facilitator))
		var buf bytes.Buffer
		must(t, writeRecordCSV(&buf, room.State()))
		rows, err := csv.NewReader(&buf).ReadAll()
		must(t, err)
		col := -1
		for i, name := range rows[0] {
			if name == "player" {
				col = i
			}
		}
		for i, name := range names {
			if got := rows[i+1][col]; got != "'"+name {
				t.Errorf("player cell %q, want %q", got, "'"+name)
			}
		}
	})
}
