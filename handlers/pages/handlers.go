// Package pages is the browser UI's requests: the pages (home, join, room, its hand and
// people parts, the passcode and problem pages), the htmx actions and the plain form
// posts behind them (vote, observe, start, reveal, leave, the facilitator's options,
// hand-off, removal and estimate), the QR code and share links, the presence of pages
// without scripts, and the record downloads. What changes for everyone reaches browsers
// through package live.
package pages

import (
	"log/slog"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/web"
)

// Handlers answers the browser UI's routes.
type Handlers struct {
	rooms        *game.Registry
	decks        game.DeckDB
	gate         *web.Gate
	cookies      web.CookiePolicy
	log          *slog.Logger
	shareLinks   shareLinks
	storeFailing func() error
}

// Deps is what the pages need from the server.
type Deps struct {
	Rooms *game.Registry
	Decks game.DeckDB
	Gate  *web.Gate // the client's limits, room look-ups and the browser's identity
	Log   *slog.Logger
	// PublicURL is the base of the links people share (absolute http(s) URL; "" to use
	// the request's Host when well formed); ListenAddr is the fallback for a Host that
	// is not.
	PublicURL  string
	ListenAddr string
	// StoreFailing reports the rooms' event store's last write failure (nil: healthy),
	// shown to facilitators; nil when there is no store.
	StoreFailing func() error
}

// New builds the pages' handlers.
func New(d Deps) *Handlers {
	return &Handlers{
		rooms: d.Rooms, decks: d.Decks, gate: d.Gate, cookies: d.Gate.Cookies(), log: d.Log,
		shareLinks:   newShareLinks(d.PublicURL, d.ListenAddr),
		storeFailing: d.StoreFailing,
	}
}
