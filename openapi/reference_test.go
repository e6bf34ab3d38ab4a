package openapi

import (
	"reflect"
	"strings"
	"testing"
)

func TestInline(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Span
	}{
		{"plain", []Span{{Text: "plain"}}},
		{"a `b|c` d", []Span{{Text: "a "}, {Text: "b|c", Code: true}, {Text: " d"}}},
		{"**4000** `No game`", []Span{{Text: "4000", Bold: true}, {Text: " "}, {Text: "No game", Code: true}}},
		{"an open ` mark", []Span{{Text: "an open ` mark"}}},
		{"<b>not html</b>", []Span{{Text: "<b>not html</b>"}}},
	} {
		if got := Inline(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Inline(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestBlocks(t *testing.T) {
	got := Blocks("One\nparagraph.\n\n- a\n- b\n| h1 | h2 |\n|---|---|\n| `x|y` | z |\nAfter.")
	if len(got) != 4 || got[0].Kind != Paragraph || got[1].Kind != List || got[2].Kind != Table || got[3].Kind != Paragraph {
		t.Fatalf("blocks %+v", got)
	}
	if got[0].Text[0].Text != "One paragraph." || len(got[1].Items) != 2 {
		t.Errorf("paragraph %+v, list %+v", got[0], got[1])
	}
	if table := got[2]; len(table.Head) != 2 || len(table.Rows) != 1 || table.Rows[0][0][0].Text != "x|y" {
		t.Errorf("table %+v", table)
	}
}

func TestParseTheEmbeddedDocument(t *testing.T) {
	ref, err := Parse(JSON())
	if err != nil {
		t.Fatal(err)
	}
	if ref.Operations[0].Path != "/api/game" || ref.Operations[0].Method != "POST" {
		t.Errorf("operations are not in the document's order: first %s %s", ref.Operations[0].Method, ref.Operations[0].Path)
	}
	for _, s := range ref.Schemas {
		if s.Name == "GameState" {
			var names []string
			for _, f := range s.Fields {
				names = append(names, f.Name)
			}
			if strings.Join(names, ",") != "game,player_states,ticket_url,round_state,round_start,story" {
				t.Errorf("GameState fields in the order %v", names)
			}
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for name, doc := range map[string]string{
		"OpenAPI 3.0":    `{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`,
		"an unknown ref": `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"operationId":"a","responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}}}}`,
		"no responses":   `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"operationId":"a"}}}}`,
		"not JSON":       `openapi: 3.1.0`,
	} {
		if _, err := Parse([]byte(doc)); err == nil {
			t.Errorf("%s was read", name)
		}
	}
}
