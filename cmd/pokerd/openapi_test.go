package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/pokerd/pokerd/openapi"
)

// apiDocument is the OpenAPI document: the contract that checkAnswer holds each answer
// to. It is loaded once for every test of the package (a package variable for that
// reason alone) and never changed after.
var apiDocument = sync.OnceValues(func() (*apiContract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapi.JSON())
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	router, err := gorillamux.NewRouter(doc)
	return &apiContract{doc: doc, router: router}, err
})

type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

// checkAnswer checks an answer to req against the OpenAPI document: its status must be
// one the operation lists, its content type and body must match that status's schema.
// Paths outside /api that the document does not describe (the pages) are not checked,
// nor are CORS preflights, which are answered on any path before routing.
func checkAnswer(req *http.Request, status int, header http.Header, body []byte) error {
	api, err := apiDocument()
	if err != nil {
		return fmt.Errorf("the OpenAPI document: %w", err)
	}
	if req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "" {
		return nil
	}
	asked := req
	if req.Method == http.MethodHead {
		// HEAD is answered as GET without a body; the document lists the GET.
		asked = req.Clone(context.Background())
		asked.Method = http.MethodGet
	}
	route, params, err := api.router.FindRoute(asked)
	switch {
	case errors.Is(err, routers.ErrPathNotFound):
		if !strings.HasPrefix(req.URL.Path, "/api/") {
			return nil
		}
		return api.checkRouteError(http.StatusNotFound, status, header, body)
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return api.checkRouteError(http.StatusMethodNotAllowed, status, header, body)
	case err != nil:
		return err
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: asked, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true, // a status the document does not list is a mismatch
			ExcludeResponseBody:   req.Method == http.MethodHead,
			MultiError:            true,
		},
	}
	input.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), input)
}

// checkRouteError checks the answer to a path or a method that no operation has: the
// document's overview promises 404 or 405 with an HTTPError body.
func (api *apiContract) checkRouteError(want, status int, header http.Header, body []byte) error {
	if status != want {
		return fmt.Errorf("status %d where the document has %d", status, want)
	}
	if ct := header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("content type %q where the document has application/json", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("the body is not JSON: %w", err)
	}
	return api.doc.Components.Schemas["HTTPError"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
}

func TestOpenAPIDocument(t *testing.T) {
	api, err := apiDocument() // loaded and validated (doc.Validate) once, for every test
	if err != nil {
		t.Fatalf("the OpenAPI document does not load or validate: %v", err)
	}
	if !api.doc.IsOpenAPI31OrLater() {
		t.Fatalf("the document is OpenAPI %s, want 3.1", api.doc.OpenAPI)
	}
	s := startServer(t, nil)

	t.Run("is served at /api/openapi.json, with CORS like the rest of the API", func(t *testing.T) {
		res := s.do(t, http.MethodGet, "/api/openapi.json", "", map[string]string{"Origin": "http://127.0.0.1:5173"})
		if res.status != http.StatusOK || res.header.Get("Content-Type") != "application/json" || !bytes.Equal(res.body, openapi.JSON()) {
			t.Fatalf("got %d %q, %d bytes", res.status, res.header.Get("Content-Type"), len(res.body))
		}
		if res.header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:5173" {
			t.Fatalf("no CORS headers: %v", res.header)
		}
	})

	t.Run("/docs shows every operation and schema of the document", func(t *testing.T) {
		res := s.do(t, http.MethodGet, "/docs", "", nil)
		page := string(res.body)
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/html") {
			t.Fatalf("got %d %q", res.status, res.header.Get("Content-Type"))
		}
		for path, item := range api.doc.Paths.Map() {
			for method := range item.Operations() {
				want := `data-method="` + method + `" data-path="` + html.EscapeString(path) + `"`
				if !strings.Contains(page, want) {
					t.Errorf("no section for %s %s", method, path)
				}
			}
		}
		for name := range api.doc.Components.Schemas {
			if !strings.Contains(page, `id="schema-`+name+`"`) {
				t.Errorf("no section for the schema %s", name)
			}
		}
		for _, text := range []string{"SUBMITVOTE", "REVEALGAME", "4001", "1009", "No deck exists with ID"} {
			if !strings.Contains(page, text) {
				t.Errorf("the page does not mention %q", text)
			}
		}
	})

	t.Run("the home page links to it", func(t *testing.T) {
		if res := s.do(t, http.MethodGet, "/", "", nil); !strings.Contains(string(res.body), `href="/docs"`) {
			t.Fatal("no link to /docs on the home page")
		}
	})

	t.Run("a plain GET of the WebSocket route is answered as documented", func(t *testing.T) {
		code := s.createGame(t, "docs")
		id := s.join(t, code, "Ann")
		if res := s.do(t, http.MethodGet, "/api/ws/"+id+"/"+code, "", nil); res.status != http.StatusUpgradeRequired {
			t.Fatalf("got %d %s", res.status, res.body)
		}
		if res := s.do(t, http.MethodGet, "/api/ws/nobody/"+code, "", nil); res.status != http.StatusForbidden {
			t.Fatalf("got %d %s", res.status, res.body)
		}
	})
}

// The check that every contract test relies on must be able to fail: answers that break
// the document in each way it can be broken are refused.
func TestOpenAPICheckRefusesWrongAnswers(t *testing.T) {
	jsonType := http.Header{"Content-Type": {"application/json"}}
	fibonacci := `{"id":1,"name":"Fibonacci","cards":[{"label":"1","value":1.0}]}`
	for _, tc := range []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
	}{
		{"a deck without its cards", "GET", "/api/decks/1", 200, jsonType, `{"id":1,"name":"Fibonacci"}`},
		{"a deck with a field the document lacks", "GET", "/api/decks/1", 200, jsonType, `{"id":1,"name":"F","cards":[],"owner":"x"}`},
		{"a deck as text", "GET", "/api/decks/1", 200, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, fibonacci},
		{"a status the operation does not list", "GET", "/api/decks/1", 418, jsonType, `{"detail":"I'm a teapot"}`},
		{"a 404 without its detail", "GET", "/api/decks/9", 404, jsonType, `{"error":"no deck"}`},
		{"a 422 with a string detail", "POST", "/api/game", 422, jsonType, `{"detail":"bad"}`},
		{"a player id in capitals", "POST", "/api/join/abcd", 200, jsonType, `{"id":"3F2504E0-4F89-11D3-9A0C-0305E82C3301","username":"Ann"}`},
		{"a game code that breaks the pattern", "POST", "/api/game", 200, jsonType, `{"name":"x","deck_id":1,"game_settings":{},"code":"AB"}`},
		{"a CSV record without its file name", "GET", "/api/game/abcd/record.csv?player_id=3f2504e0-4f89-11d3-9a0c-0305e82c3301", 200, http.Header{"Content-Type": {"text/csv; charset=utf-8"}}, "round\n"},
		{"an unknown route answered", "GET", "/api/nothing", 200, jsonType, `[]`},
		{"a wrong method answered", "DELETE", "/api/decks", 200, jsonType, `[]`},
		{"a 405 that is not JSON", "DELETE", "/api/decks", 405, http.Header{"Content-Type": {"text/plain"}}, `Method Not Allowed`},
		{"a WebSocket refused with an undocumented status", "GET", "/api/ws/3f2504e0-4f89-11d3-9a0c-0305e82c3301/abcd", 401, jsonType, `{"detail":"no"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://127.0.0.1:8000"+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkAnswer(req, tc.status, tc.header, []byte(tc.body)); err == nil {
				t.Fatalf("%d %s was accepted", tc.status, tc.body)
			}
		})
	}
	t.Run("while the same answers, made right, pass", func(t *testing.T) {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:8000/api/decks/1", nil)
		if err := checkAnswer(req, 200, jsonType, []byte(fibonacci)); err != nil {
			t.Fatal(err)
		}
		req, _ = http.NewRequest("DELETE", "http://127.0.0.1:8000/api/decks", nil)
		if err := checkAnswer(req, 405, jsonType, []byte(`{"detail":"Method Not Allowed"}`)); err != nil {
			t.Fatal(err)
		}
	})
}
