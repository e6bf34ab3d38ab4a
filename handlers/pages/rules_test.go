package pages

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// A posted form of the pages reads every room rule by its key.
func TestFormReadsEveryRule(t *testing.T) {
	for _, r := range game.RoomRules {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{r.Key: {"on"}}.Encode()))
		req.Header.Set("Content-Type", web.FormMIME)
		c := echo.New().NewContext(req, httptest.NewRecorder())
		if got, want := optionsForm(c), r.With(game.RoomOptions{}, true); got != want {
			t.Errorf("form with %s: %+v, want %+v", r.Key, got, want)
		}
	}
}
