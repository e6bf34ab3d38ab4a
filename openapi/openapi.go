// Package openapi holds the OpenAPI document of pokerd's JSON API, embedded in the
// binary, and reads it into plain data for the /docs page. The document is written by
// hand; the contract tests check every response they see against it, so it cannot drift
// from the code.
package openapi

import (
	"bytes"
	_ "embed"
)

//go:embed openapi.json
var document []byte

// JSON returns the document as served at /api/openapi.json, a copy of its own.
func JSON() []byte { return bytes.Clone(document) }
