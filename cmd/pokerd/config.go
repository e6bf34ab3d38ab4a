package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers"
)

// config is everything pokerd can be told at start-up. Each setting is a flag with a
// PP_* environment variable behind it; a flag given on the command line wins.
type config struct {
	addr            string
	decksFile       string
	corsURLs        string
	emptyRoomGrace  time.Duration
	facilitatorAway time.Duration
	unusedRoomTTL   time.Duration
	maxRooms        int
	maxPlayers      int
	maxBody         int64
	ws              handlers.WSConfig
	publicURL       string // input: the base of share links and QR codes
	shutdownTimeout time.Duration
	shutdownDelay   time.Duration
	pprofAddr       string
	logLevel        slog.Level
	logFormat       string
	showVersion     bool
}

// setting ties a flag to its environment variable.
type setting struct {
	flag, env string
}

func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	cfg := config{ws: handlers.DefaultWSConfig}
	fs := flag.NewFlagSet("pokerd", flag.ContinueOnError)
	fs.SetOutput(output)
	var settings []setting
	bind := func(name, env string) { settings = append(settings, setting{name, env}) }

	fs.StringVar(&cfg.addr, "addr", ":8000", "listen address (env PP_ADDR)")
	bind("addr", "PP_ADDR")
	fs.StringVar(&cfg.decksFile, "decks", "", "decks file to use instead of the built-in one (env PP_DECKS)")
	bind("decks", "PP_DECKS")
	fs.StringVar(&cfg.corsURLs, "cors-urls", "", "comma-separated origins allowed besides "+strings.Join(handlers.DefaultCORSOrigins, " and ")+"; * allows all (env PP_CORS_URLS)")
	bind("cors-urls", "PP_CORS_URLS")
	fs.DurationVar(&cfg.emptyRoomGrace, "empty-room-grace", 5*time.Minute, "how long a game with nobody connected is kept; 0 deletes it at once (env PP_EMPTY_ROOM_GRACE)")
	bind("empty-room-grace", "PP_EMPTY_ROOM_GRACE")
	fs.DurationVar(&cfg.unusedRoomTTL, "unused-room-ttl", time.Hour, "how long a game nobody has connected to is kept; 0 keeps it for ever, as the reference does (env PP_UNUSED_ROOM_TTL)")
	bind("unused-room-ttl", "PP_UNUSED_ROOM_TTL")
	fs.DurationVar(&cfg.facilitatorAway, "facilitator-timeout", game.FacilitatorTimeoutDefault, "how long a facilitator may be disconnected before the role passes to the player connected longest; 0 never passes it on (env PP_FACILITATOR_TIMEOUT)")
	bind("facilitator-timeout", "PP_FACILITATOR_TIMEOUT")
	fs.IntVar(&cfg.maxRooms, "max-rooms", 10000, "most games open at once; 0 for no cap (env PP_MAX_ROOMS)")
	bind("max-rooms", "PP_MAX_ROOMS")
	fs.IntVar(&cfg.maxPlayers, "max-players", 100, "most players in one game; 0 for no cap (env PP_MAX_PLAYERS)")
	bind("max-players", "PP_MAX_PLAYERS")
	fs.Int64Var(&cfg.maxBody, "max-body", 64<<10, "largest request body in bytes (env PP_MAX_BODY)")
	bind("max-body", "PP_MAX_BODY")
	fs.Int64Var(&cfg.ws.ReadLimit, "ws-read-limit", cfg.ws.ReadLimit, "largest WebSocket message from a client, in bytes (env PP_WS_READ_LIMIT)")
	bind("ws-read-limit", "PP_WS_READ_LIMIT")
	fs.IntVar(&cfg.ws.OutboxSize, "ws-outbox", cfg.ws.OutboxSize, "messages queued for a WebSocket client before it is disconnected as too slow (env PP_WS_OUTBOX)")
	bind("ws-outbox", "PP_WS_OUTBOX")
	fs.DurationVar(&cfg.ws.WriteTimeout, "ws-write-timeout", cfg.ws.WriteTimeout, "longest one WebSocket write may take (env PP_WS_WRITE_TIMEOUT)")
	bind("ws-write-timeout", "PP_WS_WRITE_TIMEOUT")
	fs.DurationVar(&cfg.ws.PingInterval, "ws-ping-interval", cfg.ws.PingInterval, "how often WebSocket peers are pinged; one that misses a pong is dropped; 0 disables (env PP_WS_PING_INTERVAL)")
	bind("ws-ping-interval", "PP_WS_PING_INTERVAL")
	fs.Float64Var(&cfg.ws.MessageRate, "ws-message-rate", cfg.ws.MessageRate, "WebSocket messages per second one client may send, bursts of twice that; more are ignored; 0 for no limit (env PP_WS_MESSAGE_RATE)")
	bind("ws-message-rate", "PP_WS_MESSAGE_RATE")
	// Input: what the server takes from requests, and what it does not.
	fs.StringVar(&cfg.publicURL, "public-url", "", "the server's public address (absolute http(s) URL, e.g. https://poker.example.org), the base of the share link and QR code; empty: the request's Host when well formed, else the listen address (env PP_PUBLIC_URL)")
	bind("public-url", "PP_PUBLIC_URL")
	fs.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 10*time.Second, "longest a graceful shutdown waits for connections (env PP_SHUTDOWN_TIMEOUT)")
	bind("shutdown-timeout", "PP_SHUTDOWN_TIMEOUT")
	fs.DurationVar(&cfg.shutdownDelay, "shutdown-delay", 0, "on a stop signal, how long /readyz answers 503 while everything still works, before connections close: give it the load balancer's probe interval or more (env PP_SHUTDOWN_DELAY)")
	bind("shutdown-delay", "PP_SHUTDOWN_DELAY")
	fs.StringVar(&cfg.pprofAddr, "pprof-addr", "", "listen address for the Go profiler (net/http/pprof), apart from the public one; empty: off. Keep it private, e.g. 127.0.0.1:6060 (env PP_PPROF_ADDR)")
	bind("pprof-addr", "PP_PPROF_ADDR")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "debug, info, warn or error (env PP_LOG_LEVEL)")
	bind("log-level", "PP_LOG_LEVEL")
	fs.StringVar(&cfg.logFormat, "log-format", "text", "text or json (env PP_LOG_FORMAT)")
	bind("log-format", "PP_LOG_FORMAT")
	fs.BoolVar(&cfg.showVersion, "version", false, "print the version and exit")

	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings {
		v := getenv(s.env)
		if given[s.flag] || v == "" {
			continue
		}
		if err := fs.Set(s.flag, v); err != nil {
			return cfg, fmt.Errorf("%s=%q: %w", s.env, v, err)
		}
	}
	return cfg, cfg.check()
}

func (c config) check() error {
	switch {
	case c.shutdownDelay < 0:
		return fmt.Errorf("--shutdown-delay must not be negative")
	case c.emptyRoomGrace < 0 || c.unusedRoomTTL < 0 || c.facilitatorAway < 0:
		return fmt.Errorf("--empty-room-grace, --unused-room-ttl and --facilitator-timeout must not be negative")
	case c.maxRooms < 0 || c.maxPlayers < 0:
		return fmt.Errorf("--max-rooms and --max-players must not be negative")
	case c.maxBody < 1:
		return fmt.Errorf("--max-body must be at least 1 byte")
	case c.ws.ReadLimit < 1:
		return fmt.Errorf("--ws-read-limit must be at least 1 byte")
	case c.ws.OutboxSize < 2:
		// A new socket gets two messages at once (STATE, then its CONNECTED).
		return fmt.Errorf("--ws-outbox must be at least 2")
	case c.ws.WriteTimeout <= 0:
		return fmt.Errorf("--ws-write-timeout must be positive")
	case c.ws.PingInterval < 0 || c.ws.MessageRate < 0:
		return fmt.Errorf("--ws-ping-interval and --ws-message-rate must not be negative")
	case c.logFormat != "text" && c.logFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	}
	return checkPublicURL(c.publicURL)
}

// checkPublicURL accepts an empty --public-url or an absolute http(s) URL with a host,
// perhaps a path (a server behind a proxy under a prefix), nothing more.
func checkPublicURL(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || len(raw) > 1024 || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("--public-url must be an absolute http:// or https:// URL, without query or fragment, such as https://poker.example.org: %q", raw)
	}
	return nil
}
