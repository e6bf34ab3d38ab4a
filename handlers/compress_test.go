package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pokerd/pokerd/static"
)

// getEncoded fetches path from s, asking for gzip or not, and returns the answer with its body
// as sent and as read (decompressed when it came compressed).
func getEncoded(t *testing.T, s *Server, path string, gzipOK bool) (res *http.Response, sent, body []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if gzipOK {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	res = rec.Result()
	sent = rec.Body.Bytes()
	body = sent
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(sent))
		if err != nil {
			t.Fatalf("%s: not gzip: %v", path, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	return res, sent, body
}

// Pages, styles and scripts reach a browser that accepts gzip compressed, under the same
// content-hashed URLs and caching, and read the same as uncompressed; a client that does
// not accept gzip gets them as they are.
func TestPagesAndAssetsAreCompressed(t *testing.T) {
	s := newTestServer(t)
	for _, path := range []string{"/", "/docs", static.URL("pokerd.css"), static.URL("pokerd.js"), static.URL("vendor/htmx.min.js")} {
		plainRes, _, plain := getEncoded(t, s, path, false)
		res, sent, body := getEncoded(t, s, path, true)
		if res.StatusCode != http.StatusOK || plainRes.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d / %d", path, res.StatusCode, plainRes.StatusCode)
		}
		if plainRes.Header.Get("Content-Encoding") != "" {
			t.Fatalf("%s: compressed for a client that did not ask", path)
		}
		if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Fatalf("%s: Content-Encoding %q, Vary %q", path, res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
		}
		if len(sent)*2 > len(plain) {
			t.Errorf("%s: %d bytes compressed of %d: less than half saved", path, len(sent), len(plain))
		}
		// A page carries a fresh CSRF token each time; an asset is the same bytes.
		if strings.HasPrefix(path, static.Prefix) {
			if !bytes.Equal(body, plain) {
				t.Fatalf("%s: the compressed asset reads differently", path)
			}
			if res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("Content-Type") != plainRes.Header.Get("Content-Type") {
				t.Fatalf("%s: Cache-Control %q, Content-Type %q", path, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"))
			}
		} else if !bytes.Contains(body, []byte("</html>")) {
			t.Fatalf("%s: the compressed page does not read as a page", path)
		}
	}
}
