package web

import (
	"log/slog"

	"github.com/pokerd/pokerd/game"
)

// Gate is what every surface checks at the door, shared by them all: the client's
// limits (what one address may create, join and hold open), its budget of room codes
// that led nowhere, the browser's identity cookie, and a room's passcode. One Gate per
// server, so that a client counts the same whichever surface it uses.
type Gate struct {
	rooms   *game.Registry
	limits  *clientLimits
	lookups *codeLookups
	cookies CookiePolicy
	faults  *Faults
	log     *slog.Logger
}

// GateConfig is what a Gate is built from.
type GateConfig struct {
	Rooms       *game.Registry
	Limits      Limits
	CodeLookups CodeLookupLimits
	Cookies     CookiePolicy
	Faults      *Faults
	Log         *slog.Logger
}

// NewGate builds the server's Gate.
func NewGate(cfg GateConfig) *Gate {
	return &Gate{
		rooms:   cfg.Rooms,
		limits:  newClientLimits(cfg.Limits),
		lookups: newCodeLookups(cfg.CodeLookups, cfg.Limits.TrackedClients),
		cookies: cfg.Cookies,
		faults:  cfg.Faults,
		log:     cfg.Log,
	}
}

// Cookies is the policy that names and marks the cookies this server gives browsers.
func (g *Gate) Cookies() CookiePolicy { return g.cookies }
