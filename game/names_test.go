package game

import (
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestCleanNameStripsWhatHidesOrReordersText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Ann", "Ann"},
		{"  Ann  ", "  Ann  "}, // spaces are the surface's to trim
		{"Ann\u202eevil", "Annevil"},
		{"\u2066Bob\u2069", "Bob"},
		{"\u202a\u202b\u202c\u202d\u2067\u2068x", "x"},
		{"Z\u200be\u200cr\u200do\u2060\ufeff", "Zero"},
		{"\u200e\u200f\u061cmarks", "marks"},
		{"tab\there\nnew\x00line\x1b[31m\u0085", "tabherenewline[31m"},
		{"\xffbad\xfe", "\ufffdbad\ufffd"},
		{"\u200b\u200b", ""},
		{"Zoë 🂡 李", "Zoë 🂡 李"},
	} {
		if got := CleanName(tc.in); got != tc.want {
			t.Errorf("CleanName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNamesAreCleanedAndBoundedByTheRoom(t *testing.T) {
	reg, _ := newTestRegistry(t, RegistryConfig{})
	room, err := reg.Create("Sprint\u202e 42\u200b", DefaultDeckID, GameSettings{})
	if err != nil {
		t.Fatal(err)
	}
	if got := room.Game().Name; got != "Sprint 42" {
		t.Errorf("the room is named %q, want the cleaned name", got)
	}
	ann := Player{ID: uuid.New(), Username: "\u2066Ann\u2069"}
	if err := room.Join(ann); err != nil {
		t.Fatal(err)
	}
	if got := room.State().Players[0].Player.Username; got != "Ann" {
		t.Errorf("the player is named %q, want the cleaned name", got)
	}
	long := Player{ID: uuid.New(), Username: strings.Repeat("n", 60_000)}
	if err := room.Join(long); CodeOf(err) != EInvalid || len(err.Error()) > 100 {
		t.Errorf("a 60 kB name joined: %v", err)
	}
	widest := Player{ID: uuid.New(), Username: strings.Repeat("🂡", MaxUsernameLength) + "\u200b"}
	if err := room.Join(widest); err != nil {
		t.Errorf("a name of %d characters (and a zero-width one) was refused: %v", MaxUsernameLength, err)
	}
	if _, err := reg.Create(strings.Repeat("n", MaxGameNameLength)+strings.Repeat("\u200b", 50), DefaultDeckID, GameSettings{}); err != nil {
		t.Errorf("a name that fits once cleaned was refused: %v", err)
	}
}

func TestRoundTimerIsAtMostADay(t *testing.T) {
	for _, tc := range []struct {
		timer RoundTimerSettings
		ok    bool
	}{
		{RoundTimerSettings{Maximum: MaxRoundTimerMinutes, Warning: MaxRoundTimerMinutes - 1}, true},
		{RoundTimerSettings{Maximum: MaxRoundTimerMinutes + 1, Warning: 1}, false},
		{RoundTimerSettings{Maximum: 153_722_868, Warning: 1}, false}, // would wrap time.Duration
		{RoundTimerSettings{Maximum: 1 << 62, Warning: 1}, false},
	} {
		if err := tc.timer.Check(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.timer, err)
		}
	}
}

func TestLongTicketLinksAndCardsAreRefusedWithoutQuotingThem(t *testing.T) {
	if _, err := NormalizeTicketURL("https://tracker.example/" + strings.Repeat("x", MaxTicketURLLength)); err == nil || len(err.Error()) > 100 {
		t.Errorf("a long ticket link: %v", err)
	}
	// Found by fuzzing: escaping made 351 bytes of host into a link of 3104.
	for _, grown := range []string{"http://" + strings.Repeat("\xc9", 350), "https://tracker.example/" + strings.Repeat("\u00e9", 1000)} {
		if u, err := NormalizeTicketURL(grown); err == nil && len(u) > MaxTicketURLLength {
			t.Errorf("a link of %d bytes was stored as %d", len(grown), len(u))
		}
	}
	if _, err := NormalizeTicketURL("https://tracker.example/" + strings.Repeat("x", MaxTicketURLLength-100)); err != nil {
		t.Errorf("a ticket link within the limit: %v", err)
	}
	for _, text := range []string{
		strings.Repeat("a,", 100_000),
		strings.Repeat("label", 10_000) + "=x, y",
		"a, " + strings.Repeat("b", 10_000) + ", " + strings.Repeat("b", 10_000),
	} {
		if _, err := ParseCustomCards(text); err == nil || len(err.Error()) > 100 {
			t.Errorf("cards of %d bytes: %.200v", len(text), err)
		}
	}
}
