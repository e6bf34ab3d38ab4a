package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4/middleware"

	"github.com/pokerd/pokerd/static"
)

// routes is the map of the application: every route pokerd answers, and the middleware
// in front of them, in one place.
func (s *Server) routes(bodyLimit int64) {
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.recoverRequest)
	e.Use(securityHeaders)
	// CORS runs before routing, so a preflight on any path (even an unknown one) and
	// 404/405 answers carry the headers.
	e.Pre(s.cors.middleware)
	// Every route has a body limit; the pages' forms have a smaller one of their own.
	e.Use(middleware.BodyLimit(strconv.FormatInt(bodyLimit, 10) + "B"))
	getOrHead := []string{http.MethodGet, http.MethodHead}

	// The JSON API and the WebSocket, as the reference backend has them (the Vue
	// frontend's), plus the record and the API's own description. Every state-changing
	// API route is guarded against other sites' pages; a test walks them all.
	e.POST("/api/game", s.createGame, s.crossOriginGuard.apiWrite)
	e.POST("/api/join/:code", s.joinGame, s.crossOriginGuard.apiWrite)
	e.Match(getOrHead, "/api/decks", s.listDecks)
	e.Match(getOrHead, "/api/decks/:id", s.getDeck)
	e.Match(getOrHead, "/api/game/:code/record", s.getRecordJSON)
	e.Match(getOrHead, "/api/game/:code/record.csv", s.getRecordCSV)
	e.GET("/api/ws/:player_id/:code", s.serveWebSocket, longLived)
	e.Match(getOrHead, "/api/openapi.json", s.openAPIDocument)
	e.GET("/docs", s.docsPage)

	// The browser UI. Pages issue the CSRF token that their forms send back; every
	// state-changing action is guarded (size, type, origin, token) before its body is
	// read, and a test walks them all.
	csrf := newCSRF(s.cookies)
	actions := browserActions{e: e, guard: guardForm(s.formLimit, s.crossOriginGuard, csrf)}
	e.GET("/", s.home, csrf)
	actions.POST("/rooms", s.createRoom)
	e.GET("/join", s.joinByCode, csrf)
	e.GET("/join/:code", s.joinPage, csrf)
	actions.POST("/join/:code", s.joinRoom)
	e.GET("/room/:code", s.roomPage, csrf)
	e.GET("/room/:code/hand", s.hand, csrf)
	e.GET("/room/:code/people", s.people, csrf)
	e.GET("/room/:code/events", s.roomEvents, longLived) // the live stream
	actions.POST("/room/:code/vote", s.vote)
	actions.POST("/room/:code/observe", s.observe)
	actions.POST("/room/:code/start", s.startRound)
	actions.POST("/room/:code/reveal", s.reveal)
	actions.POST("/room/:code/leave", s.leave)
	actions.POST("/room/:code/options", s.setOptions)
	actions.POST("/room/:code/handoff", s.handOff)
	actions.POST("/room/:code/remove", s.removePlayer)
	actions.POST("/room/:code/estimate", s.setEstimate)
	e.GET("/room/:code/record.csv", s.recordDownload("csv"), csrf)
	e.GET("/room/:code/record.json", s.recordDownload("json"), csrf)
	e.GET("/room/:code/qr.svg", s.roomQR)
	e.GET("/room/:code/here.svg", s.pagePresence) // the presence of a page without scripts
	e.GET("/noscript.svg", s.noScriptPing)        // any page without scripts
	e.GET(static.Prefix+"*", serveAsset)

	// Operations: probes and metrics.
	e.Match(getOrHead, "/healthz", healthz)
	e.Match(getOrHead, "/readyz", s.readyz)
	e.Match(getOrHead, "/metrics", s.metrics.handler())
}
