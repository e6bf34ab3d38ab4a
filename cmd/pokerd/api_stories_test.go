package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// apiStory is a story of the backlog as the API lists it.
type apiStory struct {
	ID       int     `json:"id"`
	Key      string  `json:"key"`
	Title    string  `json:"title"`
	Link     *string `json:"link"`
	Skipped  bool    `json:"skipped"`
	Estimate *string `json:"estimate"`
	Rounds   int     `json:"rounds"`
	State    string  `json:"state"`
}

func backlogOf(t *testing.T, res response) []apiStory {
	t.Helper()
	var b struct {
		Stories []apiStory `json:"stories"`
	}
	if err := json.Unmarshal(res.body, &b); err != nil {
		t.Fatalf("not a backlog: %v: %s", err, res.body)
	}
	return b.Stories
}

func titles(stories []apiStory) string {
	var out []string
	for _, s := range stories {
		out = append(out, s.Title)
	}
	return strings.Join(out, "|")
}

// problemsOf returns the loc of each problem of a 422, joined with dots.
func problemsOf(t *testing.T, res response) []string {
	t.Helper()
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("got %d %s, want 422", res.status, res.body)
	}
	var body struct {
		Detail []struct {
			Loc []any  `json:"loc"`
			Msg string `json:"msg"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(res.body, &body); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range body.Detail {
		var parts []string
		for _, l := range p.Loc {
			b, _ := json.Marshal(l)
			parts = append(parts, strings.Trim(string(b), `"`))
		}
		out = append(out, strings.Join(parts, "."))
	}
	return out
}

func TestAPIStories(t *testing.T) {
	s := startServer(t, nil)
	code := s.createGame(t, "Backlog")
	annID, bobID := s.join(t, code, "Ann"), s.join(t, code, "Bob")
	path := "/api/game/" + code + "/stories"

	t.Run("an empty backlog", func(t *testing.T) {
		res := s.do(t, http.MethodGet, path+"?id="+bobID, "", nil)
		if res.status != http.StatusOK || string(res.body) != `{"stories":[]}` {
			t.Errorf("got %d %s", res.status, res.body)
		}
	})
	t.Run("the facilitator adds stories; hostile text is kept as text", func(t *testing.T) {
		res := s.post(t, path, `{"id":"`+annID+`","stories":[`+
			`{"title":"Login page","key":"PP-12","link":"HTTPS://Tracker.Example/PP-12"},`+
			`{"title":"<script>alert(1)</script>"},`+
			`{"link":"https://tracker.example/PP-14"}]}`)
		if res.status != http.StatusCreated {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		got := backlogOf(t, res)
		if len(got) != 3 || got[0].ID == 0 || got[0].Key != "PP-12" || got[0].Link == nil || *got[0].Link != "https://tracker.example/PP-12" ||
			got[1].Title != "<script>alert(1)</script>" || got[2].Title != "" || got[0].State != "pending" || got[0].Estimate != nil {
			t.Errorf("backlog %s", res.body)
		}
		if !strings.Contains(string(res.body), `"title":"<script>alert(1)</script>"`) {
			t.Errorf("the title is not written as typed: %s", res.body)
		}
	})
	t.Run("pasted lines and a CSV file", func(t *testing.T) {
		res := s.post(t, path, `{"id":"`+annID+`","text":"PP-15 Password reset\n\nhttps://tracker.example/PP-16\n"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("text: %d %s", res.status, res.body)
		}
		got := backlogOf(t, res)
		if len(got) != 5 || got[3].Key != "PP-15" || got[3].Title != "Password reset" || got[4].Link == nil {
			t.Errorf("after the text: %s", res.body)
		}
		res = s.post(t, path, `{"id":"`+annID+`","csv":"title,link\nExport,https://tracker.example/PP-17\n"}`)
		if res.status != http.StatusCreated {
			t.Fatalf("csv: %d %s", res.status, res.body)
		}
		if got := backlogOf(t, res); len(got) != 6 || got[5].Title != "Export" {
			t.Errorf("after the CSV: %s", res.body)
		}
	})
	t.Run("every bad story is named, and nothing is added", func(t *testing.T) {
		res := s.post(t, path, `{"id":"`+annID+`","stories":[{"title":"fine"},{"title":"x","link":"javascript:alert(1)"},{},{"title":"`+strings.Repeat("y", 201)+`"}]}`)
		if got := strings.Join(problemsOf(t, res), " "); got != "body.stories.1.link body.stories.2 body.stories.3.title" {
			t.Errorf("problems at %s: %s", got, res.body)
		}
		res = s.post(t, path, `{"id":"`+annID+`","text":"fine\n`+strings.Repeat("z", 300)+`\nalso fine"}`)
		if got := strings.Join(problemsOf(t, res), " "); got != "body.text.2" {
			t.Errorf("problems at %s: %s", got, res.body)
		}
		if !strings.Contains(string(res.body), "line 2") {
			t.Errorf("the problem does not name its line: %s", res.body)
		}
		res = s.post(t, path, `{"id":"`+annID+`","text":"a","stories":[]}`)
		problemsOf(t, res)
		if got := backlogOf(t, s.do(t, http.MethodGet, path+"?id="+annID, "", nil)); len(got) != 6 {
			t.Errorf("refused requests changed the backlog: %d stories", len(got))
		}
	})
	t.Run("the backlog is put in a new order", func(t *testing.T) {
		before := backlogOf(t, s.do(t, http.MethodGet, path+"?id="+annID, "", nil))
		var order []int
		for i := len(before) - 1; i >= 0; i-- {
			order = append(order, before[i].ID)
		}
		body, _ := json.Marshal(map[string]any{"id": annID, "order": order})
		res := s.do(t, http.MethodPut, path+"/order", string(body), nil)
		if res.status != http.StatusOK {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		if got := backlogOf(t, res); got[0].ID != before[len(before)-1].ID || got[len(got)-1].ID != before[0].ID {
			t.Errorf("order %s", res.body)
		}
		body, _ = json.Marshal(map[string]any{"id": annID, "order": order[1:]})
		if res := s.do(t, http.MethodPut, path+"/order", string(body), nil); res.status != http.StatusUnprocessableEntity {
			t.Errorf("an order missing a story: %d %s", res.status, res.body)
		}
	})
	t.Run("who may", func(t *testing.T) {
		if res := s.post(t, path, `{"id":"`+bobID+`","stories":[{"title":"mine"}]}`); res.status != http.StatusForbidden {
			t.Errorf("Bob added stories: %d %s", res.status, res.body)
		}
		if res := s.do(t, http.MethodPut, path+"/order", `{"id":"`+bobID+`","order":[1]}`, nil); res.status != http.StatusForbidden {
			t.Errorf("Bob reordered: %d %s", res.status, res.body)
		}
		stranger := uuid.NewString()
		if res := s.do(t, http.MethodGet, path+"?id="+stranger, "", nil); res.status != http.StatusForbidden {
			t.Errorf("a stranger listed the stories: %d %s", res.status, res.body)
		}
		if res := s.post(t, path, `{"id":"`+stranger+`","stories":[{"title":"x"}]}`); res.status != http.StatusForbidden {
			t.Errorf("a stranger added stories: %d %s", res.status, res.body)
		}
		if res := s.do(t, http.MethodGet, "/api/game/zz99/stories?id="+annID, "", nil); res.status != http.StatusNotFound {
			t.Errorf("an unknown game: %d %s", res.status, res.body)
		}
		if res := s.do(t, http.MethodGet, path+"?id=nope", "", nil); res.status != http.StatusUnprocessableEntity {
			t.Errorf("a malformed id: %d %s", res.status, res.body)
		}
		if res := s.do(t, http.MethodGet, path+".csv?id="+bobID, "", nil); res.status != http.StatusForbidden {
			t.Errorf("Bob downloaded the stories: %d %s", res.status, res.body)
		}
	})
	t.Run("a page of another site may not add stories", func(t *testing.T) {
		res := s.do(t, http.MethodPost, path, `{"id":"`+annID+`","stories":[{"title":"x"}]}`, map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
		if res.status != http.StatusForbidden {
			t.Errorf("got %d %s", res.status, res.body)
		}
	})
}

func TestAPIStoriesCSV(t *testing.T) {
	s := startServer(t, nil)
	code, annID, bobID, ann, bob := s.table(t, `{"name":"csv","deck_id":1,"game_settings":{}}`)
	res := s.post(t, "/api/game/"+code+"/stories", `{"id":"`+annID+`","text":"PP-1 Login page\n=1+1 formula\n"}`)
	if res.status != http.StatusCreated {
		t.Fatalf("add: %d %s", res.status, res.body)
	}
	// A round on a link alone, over the WebSocket as the Vue frontend starts one.
	ann.send("RESET", "https://tracker.example/PP-9")
	ann.expect("RESETGAME")
	bob.expect("RESETGAME")
	ann.send("SUBMITVOTE", 5)
	bob.send("SUBMITVOTE", 8)
	ann.send("REVEAL", "")
	for _, c := range []*wsClient{ann, bob} {
		for {
			if m := c.next(); m.Type == "REVEALGAME" {
				break
			}
		}
	}
	ann.send("ESTIMATE", map[string]any{"round": 1, "estimate": "8"})
	ann.sync()

	got := s.do(t, http.MethodGet, "/api/game/"+code+"/stories.csv?id="+annID, "", nil)
	if got.status != http.StatusOK || !strings.HasPrefix(got.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("got %d %s %s", got.status, got.header.Get("Content-Type"), got.body)
	}
	rows, err := csv.NewReader(strings.NewReader(string(got.body))).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v\n%s", err, got.body)
	}
	want := []string{
		"Key,Title,Link,Estimate,Votes",
		"PP-1,Login page,,,",
		",'=1+1 formula,,,",
		",,https://tracker.example/PP-9,8,\"1 × 5, 1 × 8\"",
	}
	var lines []string
	for _, r := range rows {
		b := &strings.Builder{}
		cw := csv.NewWriter(b)
		_ = cw.Write(r)
		cw.Flush()
		lines = append(lines, strings.TrimSuffix(b.String(), "\n"))
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("stories.csv:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, name := range []string{"Ann", "Bob", annID, bobID} {
		if strings.Contains(string(got.body), name) {
			t.Errorf("the file names %s", name)
		}
	}
}

func TestPageStoriesDownload(t *testing.T) {
	s := startServer(t, nil)
	ann := s.newFormClient(t)
	code := ann.createRoom("Sprint", "Ann")
	bob := s.newFormClient(t)
	bob.joinRoom(code, "Bob")

	res := bob.get("/room/" + code + "/stories.csv")
	if res.status != http.StatusForbidden {
		t.Fatalf("Bob downloaded the stories: %d", res.status)
	}
	mustContain(t, "the 403 page", string(res.body), "Only the facilitator may download the stories", `data-testid="room-name"`)

	res = ann.get("/room/" + code + "/stories.csv")
	if res.status != http.StatusOK || res.header.Get("Content-Disposition") != `attachment; filename="pokerd-`+code+`-stories.csv"` || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %v", res.status, res.header)
	}
	if string(res.body) != "Key,Title,Link,Estimate,Votes\n" {
		t.Errorf("an empty session's stories: %q", res.body)
	}
}
