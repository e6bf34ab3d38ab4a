package game

import (
	"encoding/json"
	"runtime/metrics"
	"strings"
	"testing"
	"unicode/utf8"
)

// The decoders of outside input in the domain, fuzzed for one property each beside their
// own rules: whatever the input, the work (bytes allocated) and the answer (the value or
// the error message) stay within a small multiple of the input's size plus a constant.
// Their seed corpora hold the inputs of known attacks and run with every go test.

// allocated is the process's total of heap bytes allocated so far.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// boundedWork runs fn and fails t when it allocated more than perByte bytes for each
// byte of input plus a constant: work that grows faster than the input (a number's
// exponent expanded, a message repeated) shows up here long before it shows in time.
// The count is the process's, so the fuzzing engine's own allocations can land in it:
// fn is run again, up to three times in all, and only the smallest count is judged.
func boundedWork(t *testing.T, inputLen int, perByte uint64, fn func()) {
	t.Helper()
	const base = 1 << 20
	limit := base + perByte*uint64(inputLen)
	var least uint64
	for attempt := range 3 {
		before := allocated()
		fn()
		used := allocated() - before
		if attempt == 0 || used < least {
			least = used
		}
		if least <= limit {
			return
		}
	}
	t.Fatalf("%d bytes of input cost %d bytes of allocation", inputLen, least)
}

// maxMessage bounds an error message shown to a user: it may quote a short label or two,
// never the input.
const maxMessage = 512

func FuzzParseCustomCards(f *testing.F) {
	for _, s := range []string{
		"XS, S, M, L, XL", "1, 2, 4, 8, ?", "S=1, M=3, L=8", "½, 1, 2, ☕", "a,a", ",,,,", "",
		"x=1e100000000, y", "x=" + strings.Repeat("9", 600) + ", y", strings.Repeat("a,", 100),
		strings.Repeat("label", 20) + "=x, y", "a=1/0, b", "a=NaN, b", "a=1e309, b", "?, ?",
		"1,1.0", "coffee, ☕, inf, infinity, ∞", "a\x00, b", "\xff\xfe, b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var cards []Card
		var err error
		boundedWork(t, len(text), 64, func() { cards, err = ParseCustomCards(text) })
		if err != nil {
			if len(err.Error()) > maxMessage {
				t.Fatalf("a message of %d bytes: %.200q", len(err.Error()), err.Error())
			}
			return
		}
		if len(cards) < 2 || len(cards) > MaxCustomCards {
			t.Fatalf("%d cards from %q", len(cards), text)
		}
		for _, c := range cards {
			if c.Label == "" || utf8.RuneCountInString(c.Label) > MaxCardLabelLength {
				t.Fatalf("label %q from %q", c.Label, text)
			}
		}
		if _, err := CustomDeck(0, cards); err != nil {
			t.Fatalf("parsed cards %v are not a deck: %v", cards, err)
		}
	})
}

func FuzzNormalizeTicketURL(f *testing.F) {
	for _, s := range []string{
		"https://jira.example.com/browse/PP-1", "HTTP://Example.COM", "javascript:alert(1)", "https://",
		"//example.com/x", "https://a b", "https://example.com/" + strings.Repeat("x", MaxTicketURLLength), "http://[::1]:80/",
		"http://%41/", "https://user:pw@host/p?q#f", "http://a/\x00", "\xff", "https://exa\u202emple.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var out string
		var err error
		boundedWork(t, len(raw), 32, func() { out, err = NormalizeTicketURL(raw) })
		if err != nil {
			if len(err.Error()) > maxMessage {
				t.Fatalf("a message of %d bytes", len(err.Error()))
			}
			return
		}
		if len(out) > MaxTicketURLLength || len(raw) > MaxTicketURLLength {
			t.Fatalf("%d bytes of link from %d bytes of input", len(out), len(raw))
		}
		if !strings.HasPrefix(out, "http://") && !strings.HasPrefix(out, "https://") {
			t.Fatalf("link %q from %q", out, raw)
		}
		if again, err := NormalizeTicketURL(out); err != nil || again != out {
			t.Fatalf("%q normalised to %q, which normalises to %q (%v)", raw, out, again, err)
		}
	})
}

func FuzzCleanName(f *testing.F) {
	for _, s := range []string{
		"Ann", "  Ann  ", "A\u202eB", "\u2066x\u2069", "a\u200bb\u200c\u200d\u2060\ufeff", "\x00\x1b[31mred",
		"\xff\xfe", "\u200b", "", "🂡" + strings.Repeat("n", 200), "e\u0301", "a\tb\nc", "\u061c\u200e\u200f",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		var out string
		boundedWork(t, len(name), 8, func() { out = CleanName(name) })
		if len(out) > 3*len(name) {
			t.Fatalf("%d bytes from %d", len(out), len(name))
		}
		if !utf8.ValidString(out) {
			t.Fatalf("%q cleaned to %q", name, out)
		}
		for _, r := range out {
			if strippedFromNames(r) {
				t.Fatalf("%q cleaned to %q, which keeps %U", name, out, r)
			}
		}
		if again := CleanName(out); again != out {
			t.Fatalf("cleaning %q twice gives %q, then %q", name, out, again)
		}
	})
}

func FuzzParseDecks(f *testing.F) {
	valid, _ := json.Marshal([]Deck{{ID: 1, Name: "Fibonacci", Cards: []Card{{Label: "1", Value: 1}, {Label: "?", Value: -1, Special: true}}}})
	for _, s := range []string{
		string(valid), "", "[]", "{}", "[{}]", `[{"id":1e100000000,"name":"x","cards":[]}]`,
		`[{"id":1,"name":"x","cards":[{"label":"a","value":1e309}]}]`, `[{"id":1,"name":"` + strings.Repeat("\\u0000", 100) + `","cards":[]}]`,
		`[{"id":1,"name":"a","cards":[{"label":"a","value":1},{"label":"b","value":1}]}]`, `[] []`, `[{"id":1,"nme":"x"}]`,
		`[{"id":1,"name":"a","cards":[{"label":"a","value":1}]},{"id":1,"name":"b","cards":[{"label":"a","value":1}]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var db *MemoryDeckDB
		var err error
		boundedWork(t, len(data), 64, func() { db, err = ParseDecks("decks.json", data) })
		if err != nil {
			// A message quotes at most a deck's name and two labels, each escaped.
			if len(err.Error()) > maxMessage+30*len(data) {
				t.Fatalf("a message of %d bytes from %d bytes", len(err.Error()), len(data))
			}
			return
		}
		for _, d := range db.Decks() {
			if d.ID < 1 || len(d.Cards) == 0 {
				t.Fatalf("deck %+v accepted", d)
			}
		}
	})
}
