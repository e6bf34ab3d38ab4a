package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// uploadOverhead is what a form that sends a file adds to the file: the multipart
// boundaries and headers, the CSRF token and a few fields.
const uploadOverhead = 16 << 10

// GuardUpload is GuardForm for the one kind of form that sends a file (the backlog's
// import): the same checks, in the same order, before anything reads the body, but
// multipart is accepted (url-encoded too: the form posted without its file) and the
// body may be as large as a file of fileLimit bytes and the form around it. The whole
// body is read into memory, never spilled to temporary files: it is capped first.
// The server's limit on every other body does not apply to these routes (see
// handlers/routes.go); this one does instead.
func GuardUpload(fileLimit int64, origins OriginPolicy, csrf echo.MiddlewareFunc) echo.MiddlewareFunc {
	limit := fileLimit + uploadOverhead
	tooLarge := &Error{Status: http.StatusRequestEntityTooLarge, Detail: "The file is too large: it may have at most " + sizeInWords(fileLimit)}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := csrf(next)
		return func(c echo.Context) error {
			req := c.Request()
			if err := origins.checkForm(c); err != nil {
				return err
			}
			if req.ContentLength > limit {
				return tooLarge
			}
			multipart := isMultipartBody(req)
			if !multipart && !isFormBody(req) {
				return &Error{Status: http.StatusUnsupportedMediaType, Detail: "A form with a file is sent as multipart/form-data"}
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
			var err error
			if multipart {
				// All in memory: the body is at most limit bytes.
				err = req.ParseMultipartForm(limit)
			} else {
				err = req.ParseForm()
			}
			if err != nil {
				if over := new(http.MaxBytesError); errors.As(err, &over) {
					return tooLarge
				}
				return &Error{Status: http.StatusBadRequest, Detail: "The form could not be read"}
			}
			return checked(c)
		}
	}
}

// isMultipartBody accepts a multipart/form-data body with its boundary.
func isMultipartBody(req *http.Request) bool {
	mediaType, params, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	return err == nil && mediaType == "multipart/form-data" && params["boundary"] != ""
}

// sizeInWords says a size as people read it: "1 MiB", "512 KiB", "100 bytes".
func sizeInWords(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
