package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
)

// CreateGame is POST /api/game: {"name", "deck_id", "game_settings", "cards"?} → the
// Game. A room with its own cards (a string such as "XS, S, M" or a list of cards) needs
// no deck_id; when both are sent, the cards win.
func (s *Handlers) CreateGame(c echo.Context) error {
	created, refused := s.gate.AdmitRoomCreation(c)
	if refused != nil {
		return refused
	}
	var p problems
	body, ok, err := readObject(c, &p)
	if err != nil {
		return err
	}
	if !ok {
		return p.err()
	}
	loc := []any{"body"}
	name, _ := body.requiredName("name", game.MaxGameNameLength, loc, &p)
	cards, hasCards := readCustomCards(body, &p)
	var deckID int64
	if hasCards {
		deckID, _, _ = body.optionalInt("deck_id", loc, &p)
	} else {
		deckID, _ = body.requiredInt("deck_id", loc, &p)
	}
	settings := readGameSettings(body, &p)
	if err := p.err(); err != nil {
		return err
	}
	var room *game.Room
	switch {
	case hasCards:
		room, err = s.rooms.CreateWithCards(name, cards, settings)
	case int64(int(deckID)) != deckID:
		return noSuchDeck(deckID) // only where int has 32 bits
	default:
		room, err = s.rooms.Create(name, int(deckID), settings)
	}
	if err != nil {
		return err
	}
	created(room)
	if err := web.Acknowledge(c, room); err != nil {
		return err
	}
	g := room.Game()
	s.log.Info("game created", "code", g.Code, "deck", g.Deck.ID)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, wire.AppendGame(nil, g))
}

// readGameSettings reads the required game_settings object and its optional timer.
func readGameSettings(body jsonObject, p *problems) game.GameSettings {
	var settings game.GameSettings
	loc := []any{"body"}
	if !body.has("game_settings") {
		p.add("missing", at(loc, "game_settings"), "Field required", body.input)
		return settings
	}
	gs, ok := body.object("game_settings", loc, p)
	if !ok {
		return settings
	}
	loc = at(loc, "game_settings")
	before := len(*p)
	settings.RoundTimer = readRoundTimer(gs, loc, p)
	settings.MaxPlayers, _ = gs.optionalIntBetween("max_players", 1, game.MaxPlayersLimit, loc, p)
	for _, rule := range game.RoomRules {
		on := rule.Default // null or absent
		if gs.value(rule.Key) != nil {
			on = gs.optionalBool(rule.Key, loc, p)
		}
		settings.Options = rule.With(settings.Options, on)
	}
	settings.Passcode = readNewPasscode(gs, loc, p)
	if len(*p) == before {
		// Rules that cannot work together, such as a reveal on a timer the room lacks.
		if err := settings.Check(); err != nil {
			p.add("value_error", loc, "Value error, "+err.Error(), gs.input)
		}
	}
	return settings
}

// readRoundTimer reads the optional round_timer_settings of game_settings.
func readRoundTimer(gs jsonObject, loc []any, p *problems) *game.RoundTimerSettings {
	if gs.value("round_timer_settings") == nil {
		return nil
	}
	timer, ok := gs.object("round_timer_settings", loc, p)
	if !ok {
		return nil
	}
	loc = at(loc, "round_timer_settings")
	maximum, okMax := timer.intBetween("maximum", game.DefaultRoundTimer.Maximum, 2, game.MaxRoundTimerMinutes, loc, p)
	warning, okWarn := timer.intBetween("warning", game.DefaultRoundTimer.Warning, 1, game.MaxRoundTimerMinutes-1, loc, p)
	if !okMax || !okWarn {
		return nil
	}
	t := game.RoundTimerSettings{Maximum: maximum, Warning: warning}
	if err := t.Check(); err != nil {
		p.add("value_error", loc, "Value error, "+err.Error(), timer.input)
		return nil
	}
	return &t
}
