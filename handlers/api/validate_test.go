package api

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestWholeNumberRefusesLargeNumbersBeforeReadingThem(t *testing.T) {
	for _, tc := range []struct {
		in      any
		want    int64
		problem string
	}{
		{json.Number("3"), 3, ""},
		{json.Number("3.0"), 3, ""},
		{json.Number("3e2"), 300, ""},
		{json.Number("-3"), -3, ""},
		{" 3 ", 3, ""},
		{json.Number("9223372036854775807"), 9223372036854775807, ""},
		{json.Number("9223372036854775808"), 0, "int_parsing_size"},
		{json.Number("1e100000000"), 0, "int_parsing_size"},
		{json.Number("-1e309"), 0, "int_parsing_size"},
		{"9999999999999999999999", 0, "int_parsing_size"},
		{json.Number(strings.Repeat("9", 65)), 0, "int_parsing_size"},
		{json.Number("1e-100000000"), 0, ""}, // 0 as a float, as Python reads it too
		{json.Number("1.5"), 0, "int_from_float"},
		{"inf", 0, "int_parsing"},
		{"NaN", 0, "int_parsing"},
		{"0x1p4", 0, "int_parsing"},
		{"3 apples", 0, "int_parsing"},
		{true, 0, "int_type"},
	} {
		var p problems
		got, ok := wholeNumber(tc.in, []any{"body", "n"}, &p)
		switch {
		case tc.problem == "" && (!ok || got != tc.want):
			t.Errorf("%v: got %d %v %v, want %d", tc.in, got, ok, p, tc.want)
		case tc.problem != "" && (ok || len(p) != 1 || p[0].Type != tc.problem):
			t.Errorf("%v: got %d %v %v, want the problem %s", tc.in, got, ok, p, tc.problem)
		}
	}
}

func TestProblemsEchoABoundedInput(t *testing.T) {
	var p problems
	p.add("string_too_long", nil, "", strings.Repeat("é", 1000))
	p.add("int_parsing_size", nil, "", json.Number(strings.Repeat("9", 1000)))
	p.add("missing", nil, "", map[string]any{"username": strings.Repeat("n", 2000)})
	p.add("missing", nil, "", map[string]any{"username": "Ann"})
	for i, want := range []any{strings.Repeat("é", 100) + "…", strings.Repeat("9", 100) + "…", `{"username":"` + strings.Repeat("n", 87) + "…"} {
		if p[i].Input != want {
			t.Errorf("problem %d echoes %v, want %v", i, p[i].Input, want)
		}
	}
	if m, ok := p[3].Input.(map[string]any); !ok || m["username"] != "Ann" {
		t.Errorf("a small object is echoed as it is: %v", p[3].Input)
	}
}
