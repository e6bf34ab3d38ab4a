package wire

import (
	"encoding/hex"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/pokerd/pokerd/game"
)

// The JSON written here follows the reference backend byte for byte where a client can
// tell: fields in the reference's order, player maps in join order (encoding/json would
// sort them, and the frontend draws the table in key order), floats with a trailing ".0"
// when whole, and <, >, & written as themselves.

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendFloat writes a float as Python's json does (its repr): the shortest digits that
// read back the same, whole numbers as "1.0", exponent form only below 1e-4 or from 1e16.
func AppendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		// Never stored (votes are checked against the deck); null keeps the JSON valid.
		return append(b, "null"...)
	}
	if abs := math.Abs(f); abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if f == math.Trunc(f) {
		b = append(b, '.', '0')
	}
	return b
}

// uuidLen is the length of a UUID in canonical form.
const uuidLen = 36

// appendUUID writes id in canonical form without the allocation of id.String(): a state
// Names every player twice.
func appendUUID(b []byte, id uuid.UUID) []byte {
	var buf [uuidLen]byte
	putUUID(buf[:], id)
	return append(b, buf[:]...)
}

// putUUID writes id in canonical form into dst, which is uuidLen bytes long.
func putUUID(dst []byte, id uuid.UUID) {
	hex.Encode(dst[0:8], id[0:4])
	dst[8] = '-'
	hex.Encode(dst[9:13], id[4:6])
	dst[13] = '-'
	hex.Encode(dst[14:18], id[6:8])
	dst[18] = '-'
	hex.Encode(dst[19:23], id[8:10])
	dst[23] = '-'
	hex.Encode(dst[24:36], id[10:])
}

func appendBool(b []byte, v bool) []byte { return strconv.AppendBool(b, v) }

func AppendOptionalString(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return AppendString(b, *s)
}

// appendTime writes UTC with microseconds and a Z, as the reference does.
func appendTime(b []byte, t *time.Time) []byte {
	if t == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	return append(b, '"')
}

func appendCard(b []byte, c game.Card) []byte {
	b = append(b, `{"label":`...)
	b = AppendString(b, c.Label)
	b = append(b, `,"value":`...)
	b = AppendFloat(b, c.Value)
	return append(b, '}')
}

func AppendDeck(b []byte, d game.Deck) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, int64(d.ID), 10)
	b = append(b, `,"name":`...)
	b = AppendString(b, d.Name)
	b = append(b, `,"cards":[`...)
	for i, c := range d.Cards {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCard(b, c)
	}
	return append(b, "]}"...)
}

func AppendDecks(b []byte, decks []game.Deck) []byte {
	b = append(b, '[')
	for i, d := range decks {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendDeck(b, d)
	}
	return append(b, ']')
}

// AppendGame writes a Game. A room without a round timer has no round_timer_settings
// key at all: the existing frontend tests `!== undefined` and would start a null timer.
func AppendGame(b []byte, g game.GameInfo) []byte {
	b = append(b, `{"name":`...)
	b = AppendString(b, g.Name)
	b = append(b, `,"deck_id":`...)
	b = strconv.AppendInt(b, int64(g.Deck.ID), 10)
	b = append(b, `,"game_settings":{`...)
	if t := g.Settings.RoundTimer; t != nil {
		b = append(b, `"round_timer_settings":{"maximum":`...)
		b = strconv.AppendInt(b, int64(t.Maximum), 10)
		b = append(b, `,"warning":`...)
		b = strconv.AppendInt(b, int64(t.Warning), 10)
		b = append(b, '}')
	}
	b = appendRoomRules(b, g.Settings, g.Settings.RoundTimer != nil)
	b = append(b, `},"code":`...)
	b = AppendString(b, g.Code)
	return append(b, '}')
}

// appendRoomRules writes the settings the reference does not have, each only when it is
// not the default, so that a room created as the reference creates them is written with
// the reference's bytes. comma says whether a field was written before.
func appendRoomRules(b []byte, s game.GameSettings, comma bool) []byte {
	field := func(name string) {
		if comma {
			b = append(b, ',')
		}
		comma = true
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	if s.MaxPlayers > 0 {
		field("max_players")
		b = strconv.AppendInt(b, int64(s.MaxPlayers), 10)
	}
	for _, rule := range game.RoomRules {
		if on := rule.On(s.Options); on != rule.Default {
			field(rule.Key)
			b = appendBool(b, on)
		}
	}
	return b
}

// AppendPlayer writes a Player, named as n says (see names.go).
func AppendPlayer(b []byte, p game.Player, n Names) []byte {
	b = append(b, `{"id":"`...)
	b = n.appendName(b, p)
	b = append(b, `","username":`...)
	b = AppendString(b, p.Username)
	return append(b, '}')
}

func AppendPlayerState(b []byte, ps game.PlayerState, n Names) []byte {
	b = append(b, `{"player":`...)
	b = AppendPlayer(b, ps.Player, n)
	b = append(b, `,"is_connected":`...)
	b = appendBool(b, ps.Connected)
	b = append(b, `,"is_admin":`...)
	b = appendBool(b, ps.Admin)
	b = append(b, `,"is_observing":`...)
	b = appendBool(b, ps.Observing)
	b = append(b, `,"has_voted":`...)
	b = appendBool(b, ps.Voted)
	return append(b, '}')
}

// AsShownToClients is ps as the JSON API writes it. In a facilitator-free room every
// player is written as an admin: the existing frontend shows its Start and Reveal
// buttons only to admins, and there anyone may use them. The room itself keeps its real
// facilitator (ps.Admin) for everything else.
func AsShownToClients(rules game.RoomOptions, ps game.PlayerState) game.PlayerState {
	if rules.FacilitatorFree {
		ps.Admin = true
	}
	return ps
}

// AppendGameState writes a GameState, its players named as n says, with the round's
// story after the reference's fields when it says more than its link.
func AppendGameState(b []byte, st *game.State, n Names) []byte {
	b = append(b, `{"game":`...)
	b = AppendGame(b, st.Game)
	b = append(b, `,"player_states":{`...)
	for i, ps := range st.Players {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = n.appendName(b, ps.Player)
		b = append(b, `":`...)
		b = AppendPlayerState(b, AsShownToClients(st.Game.Settings.Options, ps), n)
	}
	b = append(b, `},"ticket_url":`...)
	b = AppendOptionalString(b, st.TicketURL)
	b = append(b, `,"round_state":`...)
	b = AppendString(b, string(st.Round))
	b = append(b, `,"round_start":`...)
	b = appendTime(b, st.RoundStart)
	// Beyond the reference, last, so that its fields keep their place: the round's
	// story, when it says more than its link (see story.go). A game played as the
	// reference plays it (a link or none) gets the reference's bytes.
	if StoryMoreThanLink(st.Story) {
		b = append(b, `,"story":`...)
		b = AppendStory(b, st.Story)
	}
	return append(b, '}')
}

// AppendVotes writes the votes map, {"<player id>": vote or null}, in join order, its
// players named as n says.
func AppendVotes(b []byte, votes []game.Vote, n Names) []byte {
	b = append(b, '{')
	for i, v := range votes {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = n.appendName(b, game.Player{ID: v.PlayerID, Alias: v.Alias})
		b = append(b, `":`...)
		if v.Value == nil {
			b = append(b, "null"...)
		} else {
			b = AppendFloat(b, *v.Value)
		}
	}
	return append(b, '}')
}
