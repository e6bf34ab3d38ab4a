package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// listDecks is GET /api/decks.
func (s *Server) listDecks(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, appendDecks(nil, s.decks.Decks()))
}

// getDeck is GET /api/decks/{id}.
func (s *Server) getDeck(c echo.Context) error {
	var p problems
	raw := c.Param("id")
	loc := []any{"path", "id"}
	id, err := strconv.Atoi(raw)
	switch {
	case err != nil:
		p.add("int_parsing", loc, "Input should be a valid integer, unable to parse string as an integer", raw)
	case id < 1:
		p.add("greater_than", loc, "Input should be greater than 0", raw)
	}
	if err := p.err(); err != nil {
		return err
	}
	deck, err := s.decks.Deck(id)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, appendDeck(nil, deck))
}
