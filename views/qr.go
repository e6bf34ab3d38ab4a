package views

import (
	"strconv"
	"strings"

	"rsc.io/qr"
)

// qrQuietZone is the blank margin around a QR code, in modules, that readers need.
const qrQuietZone = 4

// QRCodeSVG draws text as a QR code: one path of dark modules on a light square, with
// crisp edges so that it stays sharp at any size.
func QRCodeSVG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, err
	}
	side := strconv.Itoa(code.Size + 2*qrQuietZone)
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + side + ` ` + side + `" shape-rendering="crispEdges" role="img" aria-label="QR code of the join link">`)
	b.WriteString(`<rect width="` + side + `" height="` + side + `" fill="#fff"/><path fill="#000" d="`)
	for y := range code.Size {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			// One rectangle per run of dark modules in a row.
			b.WriteString("M" + strconv.Itoa(x+qrQuietZone) + " " + strconv.Itoa(y+qrQuietZone) + "h" + strconv.Itoa(run) + "v1h-" + strconv.Itoa(run) + "z")
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}

// shareQR is the room's link as an inline QR code (inline, so the page needs no image
// request); empty if the link cannot be encoded.
func shareQR(link string) string {
	svg, err := QRCodeSVG(link)
	if err != nil {
		return ""
	}
	return string(svg)
}
