package wire

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/internal/played"
)

// wireDecodeString parses b, which must be exactly one JSON string.
func wireDecodeString(t *testing.T, b []byte) string {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("not valid JSON: %q", b)
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("not a JSON string: %q: %v", b, err)
	}
	return s
}

func TestAppendStringRoundTrips(t *testing.T) {
	var allControls strings.Builder
	for c := 0; c < 0x20; c++ {
		allControls.WriteByte(byte(c))
	}
	cases := map[string]string{
		"empty":             "",
		"plain":             "Sprint 42 planning",
		"quotes":            `say "hi"`,
		"backslashes":       `C:\dir\file \\ \"`,
		"all controls":      allControls.String(),
		"nul in the middle": "a\x00b",
		"newline tab cr":    "line1\nline2\r\n\tend",
		"del":               "a\x7fb",
		"line separators":   "a\u2028b\u2029c",
		"emoji":             "🂡 poker 🃏 👩🏽‍💻",
		"accents":           "Ünïcödé façade",
		"cjk":               "計画ポーカー",
		"html":              "<script>alert('x')</script> & co",
		"replacement char":  "already \ufffd here",
		"max rune":          "\U0010ffff",
		"slash":             "a/b</c",
	}
	for name, s := range cases {
		t.Run(name, func(t *testing.T) {
			b := AppendString(nil, s)
			if got := wireDecodeString(t, b); got != s {
				t.Errorf("round trip of %q gave %q (wire %q)", s, got, b)
			}
			// The control characters must be escaped, never written raw.
			for _, c := range b {
				if c < 0x20 {
					t.Errorf("raw control byte %#x in %q", c, b)
				}
			}
		})
	}
}

func TestAppendStringAppends(t *testing.T) {
	b := AppendString([]byte("prefix:"), `x"y`)
	if want := `prefix:"x\"y"`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestAppendStringExactEscapes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `""`},
		{`"`, `"\""`},
		{`\`, `"\\"`},
		{"\n\r\t", `"\n\r\t"`},
		{"\x00", `"\u0000"`},
		{"\x01\x1f", `"\u0001\u001f"`},
		{"\b\f", `"\u0008\u000c"`},
		{"<>&", `"<>&"`}, // not \u003c\u003e\u0026
		{"\u2028", "\"\u2028\""},
		{"é", `"é"`},
		{"\xff", `"\ufffd"`},
	}
	for _, c := range cases {
		if got := string(AppendString(nil, c.in)); got != c.want {
			t.Errorf("appendString(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestAppendStringHTMLCharactersUnescaped(t *testing.T) {
	b := AppendString(nil, "<b>Tom & Jerry</b>")
	if want := `"<b>Tom & Jerry</b>"`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	for _, esc := range []string{`\u003c`, `\u003e`, `\u0026`} {
		if bytes.Contains(b, []byte(esc)) {
			t.Errorf("%s written as %s", b, esc)
		}
	}
}

func TestAppendStringInvalidUTF8(t *testing.T) {
	cases := []string{
		"\xff",
		"\xc3",             // truncated two-byte sequence
		"a\xc3(b",          // invalid continuation
		"\xe2\x82",         // truncated three-byte sequence at the end
		"\xed\xa0\x80",     // UTF-8-encoded surrogate half
		"\xc0\xaf",         // overlong "/"
		"\xf4\x90\x80\x80", // above U+10FFFF
		"ok\x80\x80\x80ok", // several stray continuation bytes
		"🃏\xff🃏",
	}
	for _, s := range cases {
		b := AppendString(nil, s)
		if !bytes.Equal(b, bytes.ToValidUTF8(b, nil)) {
			t.Errorf("appendString(%q) wrote invalid UTF-8: %q", s, b)
		}
		got := wireDecodeString(t, b)
		// Each invalid byte becomes one U+FFFD, as a []rune conversion (and encoding/json) does.
		if want := string([]rune(s)); got != want {
			t.Errorf("appendString(%q) decodes to %q, want %q", s, got, want)
		}
		// encoding/json makes the same replacement.
		std, _ := json.Marshal(s)
		if want := wireDecodeString(t, std); got != want {
			t.Errorf("appendString(%q) decodes to %q, encoding/json to %q", s, got, want)
		}
	}
}

func TestAppendFloat(t *testing.T) {
	exact := []struct {
		in   float64
		want string
	}{
		{1, "1.0"},
		{0.5, "0.5"},
		{100, "100.0"},
		{-3, "-3.0"},
		{0, "0.0"},
		{21, "21.0"},
		{2.25, "2.25"},
		{1e15, "1000000000000000.0"},
		// Python's repr: plain digits from 1e-4 up to 1e16, exponent form outside.
		{1234567.5, "1234567.5"},
		{0.0001, "0.0001"},
		{0.00001, "1e-05"},
		{1e16, "1e+16"},
		{-2.5e17, "-2.5e+17"},
	}
	for _, c := range exact {
		if got := string(AppendFloat(nil, c.in)); got != c.want {
			t.Errorf("appendFloat(%v) = %s, want %s", c.in, got, c.want)
		}
	}

	roundTrip := []float64{
		1, 0.5, 100, -3, 1e20, 1.5e-7, -1.5e-7, 1e16, 1e300, -1e300,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 0.1, 1.0 / 3, 123456789.125, 9007199254740993,
		math.Copysign(0, -1),
	}
	for _, f := range roundTrip {
		b := AppendFloat(nil, f)
		if !json.Valid(b) {
			t.Errorf("appendFloat(%v) = %s: not valid JSON", f, b)
			continue
		}
		var back float64
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("appendFloat(%v) = %s: %v", f, b, err)
			continue
		}
		if back != f || math.Signbit(back) != math.Signbit(f) {
			t.Errorf("appendFloat(%v) = %s parses back as %v", f, b, back)
		}
	}

	// Not finite: never stored, but the output stays valid JSON.
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := string(AppendFloat(nil, f)); got != "null" {
			t.Errorf("appendFloat(%v) = %s, want null", f, got)
		}
	}
}

func TestAppendTime(t *testing.T) {
	zone := time.FixedZone("UTC+2", 2*60*60)
	at := time.Date(2024, 5, 1, 14, 34, 56, 789012345, zone)
	if got, want := string(appendTime(nil, &at)), `"2024-05-01T12:34:56.789012Z"`; got != want {
		t.Errorf("appendTime(%v) = %s, want %s", at, got, want)
	}

	west := time.Date(2023, 12, 31, 23, 0, 0, 0, time.FixedZone("UTC-5", -5*60*60))
	if got, want := string(appendTime(nil, &west)), `"2024-01-01T04:00:00.000000Z"`; got != want {
		t.Errorf("appendTime(%v) = %s, want %s (whole seconds keep 6 zero digits)", west, got, want)
	}

	if got := string(appendTime(nil, nil)); got != "null" {
		t.Errorf("appendTime(nil) = %s, want null", got)
	}

	// Parses back as RFC 3339 to the same instant, truncated to the microsecond.
	b := appendTime(nil, &at)
	back, err := time.Parse(time.RFC3339Nano, wireDecodeString(t, b))
	if err != nil {
		t.Fatal(err)
	}
	if want := at.Truncate(time.Microsecond); !back.Equal(want) {
		t.Errorf("parsed back %v, want %v", back, want)
	}
}

func TestAppendGame(t *testing.T) {
	g := game.GameInfo{Code: "ab12", Name: `Sprint "7" <core> & co`, Deck: game.FibonacciDeck()}
	want := `{"name":"Sprint \"7\" <core> & co","deck_id":1,"game_settings":{},"code":"ab12"}`
	got := AppendGame(nil, g)
	if string(got) != want {
		t.Errorf("without a timer:\n got %s\nwant %s", got, want)
	}
	if bytes.Contains(got, []byte("round_timer_settings")) {
		t.Errorf("a game without a timer must have no round_timer_settings key: %s", got)
	}

	g.Name = "timed"
	g.Deck.ID = 7
	g.Settings.RoundTimer = &game.RoundTimerSettings{Maximum: 5, Warning: 4}
	want = `{"name":"timed","deck_id":7,"game_settings":{"round_timer_settings":{"maximum":5,"warning":4}},"code":"ab12"}`
	if got := string(AppendGame(nil, g)); got != want {
		t.Errorf("with a timer:\n got %s\nwant %s", got, want)
	}
}

func TestAppendDeck(t *testing.T) {
	want := `{"id":1,"name":"Fibonacci","cards":[` +
		`{"label":"1/2","value":0.5},{"label":"1","value":1.0},{"label":"2","value":2.0},` +
		`{"label":"3","value":3.0},{"label":"5","value":5.0},{"label":"8","value":8.0},` +
		`{"label":"13","value":13.0},{"label":"21","value":21.0},{"label":"?","value":100.0}]}`
	if got := string(AppendDeck(nil, game.FibonacciDeck())); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := string(AppendDecks(nil, nil)); got != "[]" {
		t.Errorf("appendDecks(nil) = %s, want []", got)
	}
	two := AppendDecks(nil, []game.Deck{game.FibonacciDeck(), {ID: 2, Name: "T", Cards: []game.Card{{Label: "S", Value: 1}}}})
	var decoded []game.Deck
	if err := json.Unmarshal(two, &decoded); err != nil || len(decoded) != 2 || decoded[1].Cards[0].Label != "S" {
		t.Errorf("appendDecks = %s (%v)", two, err)
	}
}

func TestAppendPlayerAndState(t *testing.T) {
	p := game.Player{
		ID:       uuid.MustParse("3F2504E0-4F89-11D3-9A0C-0305E82C3301"),
		Alias:    uuid.MustParse("a11a5000-4f89-41d3-9a0c-0305e82c3301"),
		Username: "Ann <admin>",
	}
	own, others := NamesFor(p.ID), Names{}
	if got, want := string(AppendPlayer(nil, p, own)), `{"id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","username":"Ann <admin>"}`; got != want {
		t.Errorf("appendPlayer for Ann:\n got %s\nwant %s", got, want)
	}
	if got, want := string(AppendPlayer(nil, p, others)), `{"id":"a11a5000-4f89-41d3-9a0c-0305e82c3301","username":"Ann <admin>"}`; got != want {
		t.Errorf("appendPlayer for anyone:\n got %s\nwant %s", got, want)
	}
	if got, want := string(AppendPlayer(nil, p, NamesFor(uuid.New()))), string(AppendPlayer(nil, p, others)); got != want {
		t.Errorf("appendPlayer for someone else:\n got %s\nwant %s", got, want)
	}
	ps := game.PlayerState{Player: p, Connected: true, Admin: false, Observing: true, Voted: false}
	want := `{"player":{"id":"3f2504e0-4f89-11d3-9a0c-0305e82c3301","username":"Ann <admin>"},` +
		`"is_connected":true,"is_admin":false,"is_observing":true,"has_voted":false}`
	if got := string(AppendPlayerState(nil, ps, own)); got != want {
		t.Errorf("appendPlayerState:\n got %s\nwant %s", got, want)
	}
}

// wireReverseState builds a state whose three players joined in the reverse order of
// their aliases: encoding/json, which sorts keys, would write them the other way round.
// It returns the aliases, by which a state for anyone names them.
func wireReverseState() (*game.State, []uuid.UUID) {
	aliases := []uuid.UUID{
		uuid.MustParse("ffffffff-0000-4000-8000-000000000003"),
		uuid.MustParse("88888888-0000-4000-8000-000000000002"),
		uuid.MustParse("11111111-0000-4000-8000-000000000001"),
	}
	names := []string{"Cleo", "Bob", "Ann"}
	st := &game.State{
		Game:  game.GameInfo{Code: "ab12", Name: "Sprint", Deck: game.FibonacciDeck()},
		Round: game.RoundInit,
	}
	for i, alias := range aliases {
		id := alias
		id[0] ^= 0x0f // an id that is not the alias
		st.Players = append(st.Players, game.PlayerState{
			Player:    game.Player{ID: id, Alias: alias, Username: names[i]},
			Connected: i != 1,
			Admin:     i == 0,
			Observing: i == 2,
			Voted:     i == 1,
		})
	}
	return st, aliases
}

// wireKeyOrder checks that the quoted ids appear in b in the given order.
func wireKeyOrder(t *testing.T, b []byte, ids []uuid.UUID) {
	t.Helper()
	last := -1
	for i, id := range ids {
		at := bytes.Index(b, []byte(`"`+id.String()+`":`))
		if at < 0 {
			t.Fatalf("key %s missing in %s", id, b)
		}
		if at <= last {
			t.Errorf("key #%d (%s) at byte %d, before the previous key at %d: not in join order\n%s", i, id, at, last, b)
		}
		last = at
	}
}

func TestAppendGameStateJoinOrder(t *testing.T) {
	st, aliases := wireReverseState()
	b := AppendGameState(nil, st, Names{})
	wireKeyOrder(t, b, aliases)

	var decoded played.GameState
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&decoded); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(decoded.PlayerStates) != 3 {
		t.Fatalf("want 3 player states, got %d", len(decoded.PlayerStates))
	}
	for _, ps := range st.Players {
		got, ok := decoded.PlayerStates[ps.Player.Alias.String()]
		if !ok {
			t.Fatalf("no state for %s", ps.Player.Alias)
		}
		if got.Player.ID != ps.Player.Alias.String() || got.Player.Username != ps.Player.Username ||
			got.IsConnected != ps.Connected || got.IsAdmin != ps.Admin ||
			got.IsObserving != ps.Observing || got.HasVoted != ps.Voted {
			t.Errorf("player %s: got %+v, want %+v", ps.Player.ID, got, ps)
		}
	}
	if decoded.TicketURL != nil || decoded.RoundStart != nil || decoded.RoundState != "INIT" {
		t.Errorf("round: ticket %v, start %v, state %q", decoded.TicketURL, decoded.RoundStart, decoded.RoundState)
	}
	if string(decoded.Game.GameSettings) != "{}" {
		t.Errorf("game_settings = %s, want {}", decoded.Game.GameSettings)
	}
	if !bytes.Contains(b, []byte(`,"ticket_url":null,"round_state":"INIT","round_start":null}`)) {
		t.Errorf("tail of the state: %s", b)
	}
}

func TestAppendGameStateRound(t *testing.T) {
	st, _ := wireReverseState()
	ticket := "https://jira.example.com/browse/PP-1?a=1&b=<2>"
	start := time.Date(2024, 5, 1, 12, 34, 56, 789012999, time.UTC)
	st.TicketURL, st.RoundStart, st.Round = &ticket, &start, game.RoundVoting
	b := AppendGameState(nil, st, Names{})
	want := `,"ticket_url":"https://jira.example.com/browse/PP-1?a=1&b=<2>","round_state":"VOTING","round_start":"2024-05-01T12:34:56.789012Z"}`
	if !bytes.HasSuffix(b, []byte(want)) {
		t.Errorf("state ends\n %s\nwant\n %s", b[bytes.LastIndex(b, []byte(`},"ticket_url"`))+1:], want)
	}
	var decoded played.GameState
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if decoded.TicketURL == nil || *decoded.TicketURL != ticket || decoded.RoundState != "VOTING" ||
		decoded.RoundStart == nil || *decoded.RoundStart != "2024-05-01T12:34:56.789012Z" {
		t.Errorf("decoded %+v", decoded)
	}

	st.Round = game.RoundRevealed
	if b := AppendGameState(nil, st, Names{}); !bytes.Contains(b, []byte(`"round_state":"REVEALED"`)) {
		t.Errorf("revealed state: %s", b)
	}
}

func TestAppendGameStateNoPlayers(t *testing.T) {
	st := &game.State{Game: game.GameInfo{Code: "zz99", Name: "", Deck: game.FibonacciDeck()}, Round: game.RoundInit}
	want := `{"game":{"name":"","deck_id":1,"game_settings":{},"code":"zz99"},"player_states":{},"ticket_url":null,"round_state":"INIT","round_start":null}`
	if got := string(AppendGameState(nil, st, Names{})); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAppendVotes(t *testing.T) {
	st, ids := wireReverseState()
	half, three := 0.5, 3.0
	votes := []game.Vote{
		{PlayerID: st.Players[0].Player.ID, Alias: ids[0], Value: &half},
		{PlayerID: st.Players[1].Player.ID, Alias: ids[1]},
		{PlayerID: st.Players[2].Player.ID, Alias: ids[2], Value: &three},
	}
	b := AppendVotes(nil, votes, Names{})
	want := `{"ffffffff-0000-4000-8000-000000000003":0.5,"88888888-0000-4000-8000-000000000002":null,"11111111-0000-4000-8000-000000000001":3.0}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	wireKeyOrder(t, b, ids)
	var decoded map[string]*float64
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	if len(decoded) != 3 || *decoded[ids[0].String()] != 0.5 || decoded[ids[1].String()] != nil || *decoded[ids[2].String()] != 3 {
		t.Errorf("decoded %v", decoded)
	}
	own := AppendVotes(nil, votes, NamesFor(votes[1].PlayerID))
	if want := strings.Replace(want, ids[1].String(), votes[1].PlayerID.String(), 1); string(own) != want {
		t.Errorf("for the second voter:\n got %s\nwant %s", own, want)
	}
	if got := string(AppendVotes(nil, nil, Names{})); got != "{}" {
		t.Errorf("no votes: %s, want {}", got)
	}
}

// TestAppendGameStateMatchesEncodingJSON compares with a map-based encoding/json rendering
// (keys sorted there), as values rather than bytes.
func TestAppendGameStateMatchesEncodingJSON(t *testing.T) {
	st, _ := wireReverseState()
	start := time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC)
	st.RoundStart, st.Round = &start, game.RoundRevealed
	players := map[string]any{}
	for _, ps := range st.Players {
		players[ps.Player.Alias.String()] = map[string]any{
			"player":       map[string]any{"id": ps.Player.Alias.String(), "username": ps.Player.Username},
			"is_connected": ps.Connected, "is_admin": ps.Admin, "is_observing": ps.Observing, "has_voted": ps.Voted,
		}
	}
	ref := map[string]any{
		"game":          map[string]any{"name": st.Game.Name, "deck_id": 1, "game_settings": map[string]any{}, "code": st.Game.Code},
		"player_states": players,
		"ticket_url":    nil,
		"round_state":   "REVEALED",
		"round_start":   "2025-01-02T03:04:05.000006Z",
	}
	refJSON, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if err := json.Unmarshal(AppendGameState(nil, st, Names{}), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(refJSON, &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("appendGameState differs from the reference shape:\n got %s\nwant %s", ja, jb)
	}
}

func TestAppendFloatWholeNumbersHaveFraction(t *testing.T) {
	for i := -1000; i <= 1000; i += 7 {
		got := string(AppendFloat(nil, float64(i)))
		if want := strconv.Itoa(i) + ".0"; got != want {
			t.Fatalf("appendFloat(%d) = %s, want %s", i, got, want)
		}
	}
}
