package handlers

import (
	"math/big"
	"net/http"

	"github.com/labstack/echo/v4"
)

// listDecks is GET /api/decks: the configured decks only (rooms' own cards are theirs).
func (s *Server) listDecks(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, appendDecks(nil, s.decks.Decks()))
}

// getDeck is GET /api/decks/{id}: a configured deck, or a room's own cards.
func (s *Server) getDeck(c echo.Context) error {
	var p problems
	raw := c.Param("id")
	loc := []any{"path", "id"}
	id, ok := new(big.Int).SetString(raw, 10)
	switch {
	case !ok:
		p.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw)
	case id.Sign() < 1:
		p.add("greater_than", loc, "Input should be greater than 0", raw)
	}
	if err := p.err(); err != nil {
		return err
	}
	if !id.IsInt64() || fitInt(id) != int(id.Int64()) {
		return noSuchDeck(id.String())
	}
	// The registry finds rooms' own decks too: the Vue frontend asks for the deck of
	// every game it shows.
	deck, err := s.rooms.Deck(int(id.Int64()))
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, appendDeck(nil, deck))
}

// noSuchDeck answers an id too large to be any deck's, in the domain's words.
func noSuchDeck(id string) error {
	return &apiError{status: http.StatusNotFound, detail: "No deck exists with ID " + id}
}
