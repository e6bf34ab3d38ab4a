package game

import (
	"fmt"
	"strings"
	"testing"
)

func TestRandomCodes(t *testing.T) {
	for length := MinCodeLength; length <= MaxCodeLength; length++ {
		t.Run(fmt.Sprintf("codes of %d characters are valid and drawn from the alphabet", length), func(t *testing.T) {
			next, err := RandomCodes(length)
			if err != nil {
				t.Fatalf("RandomCodes(%d): %v", length, err)
			}
			seen := map[string]bool{}
			for range 500 {
				c := next()
				if len(c) != length {
					t.Fatalf("code %q has %d characters, want %d", c, len(c), length)
				}
				if !ValidCode(c) {
					t.Fatalf("code %q does not match %v", c, CodePattern)
				}
				if i := strings.IndexFunc(c, func(r rune) bool { return !strings.ContainsRune(codeAlphabet, r) }); i >= 0 {
					t.Fatalf("code %q has %q, outside the alphabet", c, c[i])
				}
				seen[c] = true
			}
			// 500 draws from at least 31^4 codes: a handful of repeats at most.
			if len(seen) < 480 {
				t.Fatalf("only %d distinct codes in 500 draws", len(seen))
			}
		})
	}
	t.Run("lengths the API's pattern would refuse are refused", func(t *testing.T) {
		for _, length := range []int{-1, 0, 3, 11, 64} {
			if _, err := RandomCodes(length); err == nil {
				t.Errorf("RandomCodes(%d) gave a generator", length)
			}
		}
	})
	t.Run("RandomCode makes codes of the default length", func(t *testing.T) {
		if c := RandomCode(); len(c) != DefaultCodeLength || DefaultCodeLength != 8 {
			t.Fatalf("RandomCode() = %q, want %d characters", c, 8)
		}
	})
}

func TestCodeAlphabetHasNoLookAlikes(t *testing.T) {
	for _, r := range "0o1li" {
		if strings.ContainsRune(codeAlphabet, r) {
			t.Errorf("the alphabet holds %q, which people confuse with another character", r)
		}
	}
	if len(codeAlphabet) != 31 {
		t.Errorf("the alphabet has %d characters, want 31", len(codeAlphabet))
	}
}

// TestRandomCodeIsUniform draws 62,000 characters and checks that each of the 31 comes
// up about 2,000 times. A plain modulo of a byte would draw 8 of them an eighth more
// often (χ² near 250); a uniform draw stays near 30 (the degrees of freedom), and
// above 80 once in a million runs.
func TestRandomCodeIsUniform(t *testing.T) {
	next, err := RandomCodes(MaxCodeLength)
	if err != nil {
		t.Fatal(err)
	}
	const draws = 6200 // codes of 10: 62,000 characters
	counts := map[byte]int{}
	for range draws {
		for _, b := range []byte(next()) {
			counts[b]++
		}
	}
	expected := float64(draws*MaxCodeLength) / float64(len(codeAlphabet))
	chi2 := 0.0
	for i := range len(codeAlphabet) {
		d := float64(counts[codeAlphabet[i]]) - expected
		chi2 += d * d / expected
	}
	if chi2 > 80 {
		t.Fatalf("χ² = %.1f over %d characters: the draw is biased (%v)", chi2, len(codeAlphabet), counts)
	}
}

func TestRegistryCodeLength(t *testing.T) {
	decks, err := NewMemoryDeckDB(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name       string
		codeLength int
		want       int
	}{
		{"rooms get codes of 8 characters by default", 0, 8},
		{"rooms get codes of 4 characters, as the reference's, when configured", 4, 4},
		{"rooms get codes of 10 characters, the longest, when configured", 10, 10},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reg := NewRegistry(RegistryConfig{Decks: decks, CodeLength: tt.codeLength})
			room, err := reg.Create("", DefaultDeckID, GameSettings{})
			if err != nil {
				t.Fatal(err)
			}
			if code := room.Code(); len(code) != tt.want || !ValidCode(code) {
				t.Fatalf("code %q, want %d characters", code, tt.want)
			}
			if found, err := reg.Room(room.Code()); err != nil || found != room {
				t.Fatalf("Room(%q) = %v, %v", room.Code(), found, err)
			}
		})
	}
}
