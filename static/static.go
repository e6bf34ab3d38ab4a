// Package static holds the browser assets, embedded in the binary so that pokerd needs no
// files beside it and no CDN.
package static

import "embed"

// FS holds the assets, served under /static/.
//
//go:embed *.css
var FS embed.FS
