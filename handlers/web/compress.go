package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// Pages, styles and scripts go out compressed to every browser that accepts gzip: the
// room page and htmx are text that shrinks to a fifth. The assets are compressed once
// (static.Gzipped); a page is compressed as it is sent, at the fastest level, since it is
// made for one request. Event streams and WebSockets are not touched here.

// minCompressed is the smallest body worth compressing: below it, gzip's header and the
// work cost more than they save.
const minCompressed = 1024

// acceptsGzip reports whether the request's Accept-Encoding lists gzip without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				return false
			}
		}
		return true
	}
	return false
}

var pageWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // the level is valid
	return zw
}}

// SendAsset answers with an asset, as gzipped (compressed once, at start; nil when the
// asset does not shrink) to a client that accepts gzip. Caches are told the answer
// depends on Accept-Encoding either way.
func SendAsset(c echo.Context, contentType string, body, gzipped []byte) error {
	c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if gzipped == nil || !acceptsGzip(c.Request()) {
		return c.Blob(http.StatusOK, contentType, body)
	}
	c.Response().Header().Set(echo.HeaderContentEncoding, "gzip")
	return c.Blob(http.StatusOK, contentType, gzipped)
}

// sendPage answers with a page, compressed on the spot for a client that accepts gzip
// when it is big enough to gain from it.
func sendPage(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if len(body) < minCompressed || !acceptsGzip(c.Request()) {
		return c.HTMLBlob(status, body)
	}
	var buf bytes.Buffer
	zw := pageWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(body) // a bytes.Buffer does not fail
	_ = zw.Close()
	pageWriters.Put(zw)
	h.Set(echo.HeaderContentEncoding, "gzip")
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}
