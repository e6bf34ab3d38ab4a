package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// createGame is POST /api/game: {"name", "deck_id", "game_settings"} → the Game.
func (s *Server) createGame(c echo.Context) error {
	var p problems
	body, ok, err := readObject(c, &p)
	if err != nil {
		return err
	}
	if !ok {
		return p.err()
	}
	name, _ := body.requiredString("name", game.MaxGameNameLength, []any{"body"}, &p)
	deckID, _ := body.requiredInt("deck_id", []any{"body"}, &p)
	settings := readGameSettings(body, &p)
	if err := p.err(); err != nil {
		return err
	}
	if !deckID.IsInt64() || fitInt(deckID) != int(deckID.Int64()) {
		return noSuchDeck(deckID.String())
	}
	room, err := s.rooms.Create(name, int(deckID.Int64()), settings)
	if err != nil {
		return err
	}
	g := room.Game()
	s.log.Info("game created", "code", g.Code, "deck", g.Deck.ID)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, appendGame(nil, g))
}

// readGameSettings reads the required game_settings object and its optional timer.
func readGameSettings(body jsonObject, p *problems) game.GameSettings {
	var settings game.GameSettings
	loc := []any{"body"}
	if !body.has("game_settings") {
		p.add("missing", append(loc, "game_settings"), "Field required", body.input)
		return settings
	}
	gs, ok := body.object("game_settings", loc, p)
	if !ok || gs.value("round_timer_settings") == nil {
		return settings
	}
	loc = append(loc, "game_settings")
	timer, ok := gs.object("round_timer_settings", loc, p)
	if !ok {
		return settings
	}
	loc = append(loc, "round_timer_settings")
	maximum, okMax := timer.intAtLeast("maximum", game.DefaultRoundTimer.Maximum, 2, loc, p)
	warning, okWarn := timer.intAtLeast("warning", game.DefaultRoundTimer.Warning, 1, loc, p)
	if !okMax || !okWarn {
		return settings
	}
	t := game.RoundTimerSettings{Maximum: maximum, Warning: warning}
	if err := t.Check(); err != nil {
		p.add("value_error", loc, "Value error, "+err.Error(), timer.input)
		return settings
	}
	settings.RoundTimer = &t
	return settings
}
