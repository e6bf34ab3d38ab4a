package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/openapi"
	"github.com/pokerd/pokerd/views"
)

// apiDocs is the API's description: the OpenAPI document, served as it is embedded, and
// the reference page made from it once, at start-up.
type apiDocs struct {
	document  []byte
	reference *openapi.Reference
}

func newAPIDocs() apiDocs {
	doc := openapi.JSON()
	ref, err := openapi.Parse(doc)
	if err != nil {
		// The document is embedded and checked by the tests: failing here is a build
		// that should never have shipped.
		panic("the embedded OpenAPI document: " + err.Error())
	}
	return apiDocs{document: doc, reference: ref}
}

// openAPIDocument is GET /api/openapi.json.
func (s *Server) openAPIDocument(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.docs.document)
}

// docsPage is GET /docs: the API reference, readable without any script.
func (s *Server) docsPage(c echo.Context) error {
	return render(c, http.StatusOK, views.Docs(page(c, "pokerd — API reference"), s.docs.reference))
}
