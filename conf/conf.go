// Package conf holds the default configuration files, embedded in the binary.
package conf

import _ "embed"

// Decks is the default decks file; --decks or PP_DECKS replaces it at run time.
//
//go:embed decks.json
var Decks []byte
