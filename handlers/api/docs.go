package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/handlers/web"
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

// OpenAPIDocument is GET /api/openapi.json.
func (s *Handlers) OpenAPIDocument(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.docs.document)
}

// DocsPage is GET /docs: the API reference, readable without any script.
func (s *Handlers) DocsPage(c echo.Context) error {
	return web.Render(c, http.StatusOK, views.Docs(web.PageOf(c, "pokerd — API reference"), s.docs.reference))
}
