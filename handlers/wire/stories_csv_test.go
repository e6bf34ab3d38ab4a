package wire

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/played"
)

// storiesRoom is a Fibonacci room with the given rules where alice (facilitator), bob
// and carol are seated and connected.
func storiesRoom(t *testing.T, opts game.RoomOptions) *game.Room {
	t.Helper()
	decks, err := game.NewMemoryDeckDB(nil)
	played.Must(t, err)
	room, err := game.NewRegistry(game.RegistryConfig{Decks: decks}).Create("Stories", 1, game.GameSettings{Options: opts})
	played.Must(t, err)
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		played.Must(t, room.Join(p))
		played.Must(t, room.Connect(p.ID, nil))
	}
	return room
}

func vote(t *testing.T, room *game.Room, values map[*game.Player]float64) {
	t.Helper()
	for p, v := range values {
		played.Must(t, room.Vote(p.ID, v))
	}
	played.Must(t, room.Reveal(played.Alice.ID))
}

func estimate(s string) *string { return &s }

func TestStoriesCSV(t *testing.T) {
	room := storiesRoom(t, game.RoomOptions{AskConfidence: true})
	link := "https://tracker.example/PP-3"
	played.Must(t, room.AddStories(played.Alice.ID, []game.Story{
		{Key: "PP-1", Title: "Login page"},
		{Key: "PP-2", Title: "=HYPERLINK(\"http://evil\")"},
		{Key: "PP-3", Title: "Search", Link: &link},
	}))
	a, b, c := &played.Alice, &played.Bob, &played.Carol
	// PP-1, voted twice: the last round counts.
	played.Must(t, room.Start(a.ID, game.NextRound{Next: true}))
	vote(t, room, map[*game.Player]float64{a: 3, b: 13, c: 100})
	played.Must(t, room.Start(a.ID, game.NextRound{Again: true}))
	played.Must(t, room.VoteWith(c.ID, 8, true))
	vote(t, room, map[*game.Player]float64{a: 5, b: 5})
	// A story typed for a round, twice, and a round on nothing.
	played.Must(t, room.Start(a.ID, game.NextRound{Story: &game.Story{Title: "Typed one"}, Estimate: estimate("5")}))
	vote(t, room, map[*game.Player]float64{a: 1})
	played.Must(t, room.Start(a.ID, game.NextRound{Story: &game.Story{Title: "Typed one"}, Estimate: estimate("1")}))
	vote(t, room, map[*game.Player]float64{a: 2, b: 2})
	played.Must(t, room.Start(a.ID, game.NextRound{Estimate: estimate("2")}))
	vote(t, room, map[*game.Player]float64{a: 21})
	// PP-3 voted, then deleted from the backlog: it stays in the file, after the backlog.
	played.Must(t, room.Start(a.ID, game.NextRound{StoryID: 3}))
	vote(t, room, map[*game.Player]float64{b: 8})
	played.Must(t, room.Start(a.ID, game.NextRound{Estimate: estimate("8")}))
	played.Must(t, room.DeleteStory(a.ID, 3))

	var buf bytes.Buffer
	played.Must(t, writeStoriesCSV(&buf, room.State()))
	rows, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, buf.String())
	}
	want := [][]string{
		{"Key", "Title", "Link", "Estimate", "Votes"},
		{"PP-1", "Login page", "", "5", "2 × 5, 1 × 8; 1 unsure"},
		{"PP-2", "'=HYPERLINK(\"http://evil\")", "", "", ""},
		{"", "Typed one", "", "2", "2 × 2"},
		{"PP-3", "Search", link, "8", "1 × 8"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), buf.String())
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		if strings.Contains(buf.String(), p.Username) || strings.Contains(buf.String(), p.ID.String()) {
			t.Errorf("the file names %s", p.Username)
		}
	}
}

func TestRecordOfAnonymousRound(t *testing.T) {
	room := storiesRoom(t, game.RoomOptions{HideNames: true})
	a, b, c := &played.Alice, &played.Bob, &played.Carol
	played.Must(t, room.Start(a.ID, game.NextRound{Story: &game.Story{Key: "PP-7", Title: "Export"}}))
	vote(t, room, map[*game.Player]float64{a: 8, b: 3, c: 5})
	st := room.State()

	var js bytes.Buffer
	played.Must(t, writeRecordJSON(&js, st, NamesFor(a.ID)))
	var rec struct {
		Rounds []struct {
			StoryKey   string `json:"story_key"`
			StoryTitle string `json:"story_title"`
			Anonymous  bool   `json:"anonymous"`
			Votes      []struct {
				Player *playerJSON `json:"player"`
				Card   *cardJSON   `json:"card"`
			} `json:"votes"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(js.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	round := rec.Rounds[0]
	if round.StoryKey != "PP-7" || round.StoryTitle != "Export" || !round.Anonymous {
		t.Errorf("round %+v", round)
	}
	var labels []string
	for _, v := range round.Votes {
		if v.Player != nil {
			t.Errorf("an anonymous round's vote names %+v", v.Player)
		}
		if v.Card != nil {
			labels = append(labels, v.Card.Label)
		}
	}
	if strings.Join(labels, ",") != "3,5,8" {
		t.Errorf("cards %v, want 3,5,8 in deck order", labels)
	}

	var text bytes.Buffer
	played.Must(t, writeRecordCSV(&text, st, Names{}))
	rows, err := csv.NewReader(&text).ReadAll()
	played.Must(t, err)
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, row := range rows[1:] {
		if row[col["player_id"]] != "" || row[col["player"]] != "" {
			t.Errorf("an anonymous round's row names a player: %q", row)
		}
		if row[col["story_key"]] != "PP-7" || row[col["story_title"]] != "Export" {
			t.Errorf("row %q lacks the story", row)
		}
	}
	for _, p := range []game.Player{played.Alice, played.Bob, played.Carol} {
		if strings.Contains(js.String()+text.String(), p.Username) {
			t.Errorf("the record names %s", p.Username)
		}
	}
}
