package wire

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
)

// SendRecordCSV answers with the session record as CSV, its players named as n says,
// written to the client as it is made: a record at its bounds is tens of megabytes
// (every row repeats its round's ticket link), which a client that reads slowly, or not
// at all, would otherwise hold in the server's memory until the write deadline, once
// per download.
func SendRecordCSV(c echo.Context, st *game.State, n Names) error {
	c.Response().Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	return writeRecordCSV(c.Response(), st, n)
}

// SendRecordJSON answers with the session record as JSON, its players named as n
// says, a round at a time, for the same reason as SendRecordCSV.
func SendRecordJSON(c echo.Context, st *game.State, n Names) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	return writeRecordJSON(c.Response(), st, n)
}
