package pages

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/views"
)

// RoomQR is GET /room/{code}/qr.svg: the room's join link as a QR code, for phones. The
// code is public (it is in the link), so no seat is needed.
func (s *Handlers) RoomQR(c echo.Context) error {
	code := c.Param("code")
	if _, err := s.gate.FindRoom(c, code); err != nil {
		return err
	}
	svg, err := views.QRCodeSVG(s.shareURL(c, code))
	if err != nil {
		return err
	}
	// The link depends only on the host (or the configured public URL) and the code.
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	c.Response().Header().Set("Vary", "Host")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}
