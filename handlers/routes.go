package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers/pages"
	"github.com/pokerd/pokerd/handlers/web"
	"github.com/pokerd/pokerd/static"
)

// routes is the map of the application: every route pokerd answers, the surface that
// answers it, and the middleware in front of them, in one place.
func (s *Server) routes(bodyLimit int64) {
	e := s.echo
	e.HideBanner, e.HidePort = true, true
	// Every error of every surface is answered here: JSON, a page, or in place for htmx.
	e.HTTPErrorHandler = web.ErrorHandler(s.log)
	e.Use(s.faults.RecoverRequest)
	e.Use(web.SecurityHeaders)
	// CORS runs before routing, so a preflight on any path (even an unknown one) and
	// 404/405 answers carry the headers.
	e.Pre(s.cors.Middleware)
	// Every route has a body limit; the pages' forms have a smaller one of their own, and
	// the few that send a file a larger one of their own instead (browserActions.upload).
	uploads := map[string]bool{}
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   strconv.FormatInt(bodyLimit, 10) + "B",
		Skipper: func(c echo.Context) bool { return uploads[c.Path()] },
	}))
	getOrHead := []string{http.MethodGet, http.MethodHead}

	// The JSON API (package api) and the WebSocket (package ws), as the reference backend
	// has them (the Vue frontend's), plus the record and the API's own description. Every
	// state-changing API route is guarded against other sites' pages; a test walks them all.
	api := s.api
	e.POST("/api/game", api.CreateGame, s.origins.APIWrite)
	e.POST("/api/join/:code", api.JoinGame, s.origins.APIWrite)
	e.Match(getOrHead, "/api/decks", api.ListDecks)
	e.Match(getOrHead, "/api/decks/:id", api.GetDeck)
	e.Match(getOrHead, "/api/game/:code/record", api.GetRecordJSON)
	e.Match(getOrHead, "/api/game/:code/record.csv", api.GetRecordCSV)
	e.Match(getOrHead, "/api/game/:code/stories", api.GetStories)
	e.POST("/api/game/:code/stories", api.AddStories, s.origins.APIWrite)
	e.PUT("/api/game/:code/stories/order", api.ReorderStories, s.origins.APIWrite)
	e.Match(getOrHead, "/api/game/:code/stories.csv", api.GetStoriesCSV)
	e.GET("/api/ws/:player_id/:code", s.sockets.ServeWebSocket, web.LongLived)
	e.Match(getOrHead, "/api/openapi.json", api.OpenAPIDocument)
	e.GET("/docs", api.DocsPage)

	// The browser UI (package pages), and its live stream (package live). Pages issue
	// the CSRF token that their forms send back; every state-changing action is guarded
	// (origin, size, type, then the token) before its body is read, and a test walks
	// them all.
	csrf := web.NewCSRF(s.cookies)
	actions := browserActions{e: e, guard: web.GuardForm(s.formLimit, s.origins, csrf), uploads: uploads,
		uploadGuard: web.GuardUpload(game.MaxImportBytes, s.origins, csrf)}
	p := s.pages
	e.GET("/", p.Home, csrf)
	actions.POST("/rooms", p.CreateRoom)
	e.GET("/join", p.JoinByCode, csrf)
	e.GET("/join/:code", p.JoinPage, csrf)
	actions.POST("/join/:code", p.JoinRoom)
	e.GET("/room/:code", p.RoomPage, csrf)
	e.GET("/room/:code/hand", p.Hand, csrf)
	e.GET("/room/:code/people", p.People, csrf)
	e.GET("/room/:code/events", s.streams.RoomEvents, web.LongLived) // the live stream
	actions.POST("/room/:code/vote", p.Vote)
	actions.POST("/room/:code/observe", p.Observe)
	actions.POST("/room/:code/start", p.StartRound)
	actions.POST("/room/:code/reveal", p.Reveal)
	actions.POST("/room/:code/leave", p.Leave)
	e.GET("/room/:code/left", p.LeftPage)
	actions.POST("/room/:code/options", p.SetOptions)
	actions.POST("/room/:code/handoff", p.HandOff)
	actions.POST("/room/:code/remove", p.RemovePlayer)
	actions.POST("/room/:code/estimate", p.SetEstimate)
	actions.POST("/room/:code/backlog/add", p.AddStory)
	actions.POST("/room/:code/backlog/paste", p.PasteStories)
	actions.upload("/room/:code/backlog/import", p.ImportStories) // a CSV file of up to 1 MiB
	actions.POST("/room/:code/backlog/story", p.StoryAction)
	actions.POST("/room/:code/backlog/edit", p.EditStory)
	e.GET("/room/:code/record.csv", p.RecordDownload("csv"), csrf)
	e.GET("/room/:code/record.json", p.RecordDownload("json"), csrf)
	e.GET("/room/:code/stories.csv", p.StoriesDownload, csrf)
	e.GET("/room/:code/qr.svg", p.RoomQR)
	e.GET("/room/:code/here.svg", p.PagePresence) // the presence of a page without scripts
	e.GET("/noscript.svg", p.NoScriptPing)        // any page without scripts
	e.GET(static.Prefix+"*", pages.ServeAsset)

	// Operations: probes and metrics (package web).
	e.Match(getOrHead, "/healthz", web.Healthz)
	e.Match(getOrHead, "/readyz", s.ready.Readyz)
	e.Match(getOrHead, "/metrics", s.metrics.Handler())
}

// browserActions registers the state-changing routes of the browser UI. Each goes
// through GuardForm and then the CSRF check; there is no other way to add one, and a
// test walks every POST route outside /api/ without a token.
type browserActions struct {
	e     *echo.Echo
	guard echo.MiddlewareFunc // GuardForm, then the CSRF check
	// uploadGuard is GuardUpload, then the CSRF check, for the forms that send a file;
	// uploads are their paths, which the server's body limit leaves to it.
	uploadGuard echo.MiddlewareFunc
	uploads     map[string]bool
}

func (a browserActions) POST(path string, h echo.HandlerFunc) {
	a.e.POST(path, h, a.guard)
}

// upload is POST for a form that sends a file: larger than a form, multipart.
func (a browserActions) upload(path string, h echo.HandlerFunc) {
	a.uploads[path] = true
	a.e.POST(path, h, a.uploadGuard)
}
