package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/handlers/wire"
)

// ListDecks is GET /api/decks: the configured decks only (rooms' own cards are theirs).
func (s *Handlers) ListDecks(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, wire.AppendDecks(nil, s.decks.Decks()))
}

// GetDeck is GET /api/decks/{id}: a configured deck, or a room's own cards.
func (s *Handlers) GetDeck(c echo.Context) error {
	var p problems
	raw := c.Param("id")
	loc := []any{"path", "id"}
	id, err := parsePathInt(raw)
	switch {
	case errors.Is(err, strconv.ErrRange):
		p.add("int_parsing_size", loc, tooLargeMessage, raw)
	case err != nil:
		p.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw)
	case id < 1:
		p.add("greater_than", loc, "Input should be greater than 0", raw)
	}
	if err := p.err(); err != nil {
		return err
	}
	if int64(int(id)) != id {
		return noSuchDeck(id) // only where int has 32 bits
	}
	// The registry finds rooms' own decks too: the Vue frontend asks for the deck of
	// every game it shows.
	deck, err := s.rooms.Deck(int(id))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, wire.AppendDeck(nil, deck))
}

// parsePathInt reads a whole number from a path as pydantic does (digits, with a sign),
// refusing text too long for any id before reading it: strconv.ErrRange then.
func parsePathInt(raw string) (int64, error) {
	if len(raw) > maxNumberText {
		if strings.Trim(raw, "+-0123456789") == "" {
			return 0, strconv.ErrRange
		}
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(raw, 10, 64)
}

// noSuchDeck answers an id too large to be any deck's, in the domain's words.
func noSuchDeck(id int64) error {
	return &web.Error{Status: http.StatusNotFound, Detail: "No deck exists with ID " + strconv.FormatInt(id, 10)}
}
