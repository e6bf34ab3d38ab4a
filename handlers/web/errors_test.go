package web

import (
	"net/http"
	"testing"

	"github.com/pokerd/pokerd/game"
)

// Every domain error code has its status, and one the handlers do not know yet is a 500:
// never the status 0 that an unmapped code used to write on the pages.
func TestStatusOfDomainCodes(t *testing.T) {
	for code, want := range map[game.ErrorCode]int{
		game.ENotFound: 404, game.ENotSeated: 404, game.EInvalid: 422,
		game.EForbidden: 403, game.EConflict: 409, game.EExhausted: 503,
		game.ErrorCode("a code from tomorrow"): http.StatusInternalServerError,
	} {
		if got := StatusOf(code); got != want {
			t.Errorf("%q: %d, want %d", code, got, want)
		}
	}
}
