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
	maxFormBody     int64
	readTimeout     time.Duration
	writeTimeout    time.Duration
	ws              handlers.WSConfig
	seatRelease     time.Duration
	revealGrace     time.Duration
	maxRecordRounds int
	limits          handlers.Limits
	codeLength      int                       // of new rooms' codes
	codeLookups     handlers.CodeLookupLimits // room codes a client may try in vain
	aliasKey        string                    // secret: draws players' public aliases
	trustedProxies  string
	sseOutbox       int
	publicURL       string // input: the base of share links and QR codes
	tcp             handlers.ConnectionLimits
	idleTimeout     time.Duration
	shutdownTimeout time.Duration
	shutdownDelay   time.Duration
	pprofAddr       string
	logLevel        slog.Level
	logFormat       string
	showVersion     bool
	// The event store: where rooms outlive the process.
	dataFile  string        // the database; empty: rooms live in memory only
	retention time.Duration // how long an idle room is kept in the store
}

// Defaults of the event store. The file is relative to the working directory; the
// container image sets PP_DATA to a file on its volume.
const (
	defaultDataFile  = "pokerd.db"
	defaultRetention = 28 * 24 * time.Hour
)

// setting ties a flag to its environment variable.
type setting struct {
	flag, env string
}

func parseConfig(args []string, getenv func(string) string, output io.Writer) (config, error) {
	cfg := config{ws: handlers.DefaultWSConfig, limits: handlers.DefaultLimits, codeLookups: handlers.DefaultCodeLookupLimits}
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
	fs.Int64Var(&cfg.maxFormBody, "max-form-body", handlers.DefaultFormLimit, "largest body of a browser form post in bytes; url-encoded only (env PP_MAX_FORM_BODY)")
	bind("max-form-body", "PP_MAX_FORM_BODY")
	fs.DurationVar(&cfg.readTimeout, "read-timeout", 15*time.Second, "longest a client may take to send a request, headers and body; WebSockets and event streams are exempt once open (env PP_READ_TIMEOUT)")
	bind("read-timeout", "PP_READ_TIMEOUT")
	fs.DurationVar(&cfg.writeTimeout, "write-timeout", 30*time.Second, "longest the answer to an ordinary request may take to write; WebSockets and event streams have --ws-write-timeout per write instead (env PP_WRITE_TIMEOUT)")
	bind("write-timeout", "PP_WRITE_TIMEOUT")
	fs.Int64Var(&cfg.ws.ReadLimit, "ws-read-limit", cfg.ws.ReadLimit, "largest WebSocket message from a client, in bytes (env PP_WS_READ_LIMIT)")
	bind("ws-read-limit", "PP_WS_READ_LIMIT")
	fs.IntVar(&cfg.ws.OutboxSize, "ws-outbox", cfg.ws.OutboxSize, "messages queued for a WebSocket client before it is disconnected as too slow (env PP_WS_OUTBOX)")
	bind("ws-outbox", "PP_WS_OUTBOX")
	fs.DurationVar(&cfg.ws.WriteTimeout, "ws-write-timeout", cfg.ws.WriteTimeout, "longest one WebSocket or browser event stream write may take; a client that takes longer is dropped (env PP_WS_WRITE_TIMEOUT)")
	bind("ws-write-timeout", "PP_WS_WRITE_TIMEOUT")
	fs.DurationVar(&cfg.ws.PingInterval, "ws-ping-interval", cfg.ws.PingInterval, "how often WebSocket peers are pinged; one that misses a pong is dropped; 0 disables (env PP_WS_PING_INTERVAL)")
	bind("ws-ping-interval", "PP_WS_PING_INTERVAL")
	fs.Float64Var(&cfg.ws.MessageRate, "ws-message-rate", cfg.ws.MessageRate, "WebSocket messages per second one client may send, bursts of twice that; more are ignored; 0 for no limit (env PP_WS_MESSAGE_RATE)")
	bind("ws-message-rate", "PP_WS_MESSAGE_RATE")
	// Rooms: seats nobody uses, auto-reveal across a reload, the session record.
	fs.DurationVar(&cfg.seatRelease, "seat-release", game.SeatReleaseDefault, "how long a seat may stay unused (never connected) before it is let go, and how long an absent player's seat still counts towards the room's capacity; 0 never lets a seat go (env PP_SEAT_RELEASE)")
	bind("seat-release", "PP_SEAT_RELEASE")
	fs.DurationVar(&cfg.revealGrace, "reveal-grace", game.RevealGraceDefault, "how long a player whose connection dropped still counts for auto-reveal, so that a page reload does not reveal the round; 0: no grace (env PP_REVEAL_GRACE)")
	bind("reveal-grace", "PP_REVEAL_GRACE")
	fs.IntVar(&cfg.maxRecordRounds, "max-record-rounds", game.MaxRecordRoundsDefault, "most rounds a game's session record keeps, the oldest dropped first; 0 keeps them all (env PP_MAX_RECORD_ROUNDS)")
	bind("max-record-rounds", "PP_MAX_RECORD_ROUNDS")
	// Per-client limits: what one address, one player or one socket may cost the server.
	fs.StringVar(&cfg.trustedProxies, "trusted-proxies", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client; empty: the client is always the connection's peer (env PP_TRUSTED_PROXIES)")
	bind("trusted-proxies", "PP_TRUSTED_PROXIES")
	fs.IntVar(&cfg.limits.RoomsPerMinute, "rooms-per-minute", cfg.limits.RoomsPerMinute, "games one address may create a minute, in a burst of as many; more answer 429; 0 for no limit (env PP_ROOMS_PER_MINUTE)")
	bind("rooms-per-minute", "PP_ROOMS_PER_MINUTE")
	fs.IntVar(&cfg.limits.UnusedRoomsPerAddress, "unused-rooms-per-address", cfg.limits.UnusedRoomsPerAddress, "games one address may hold that nobody has connected to yet; keep it far below --max-rooms; more answer 429; 0 for no limit (env PP_UNUSED_ROOMS_PER_ADDRESS)")
	bind("unused-rooms-per-address", "PP_UNUSED_ROOMS_PER_ADDRESS")
	fs.IntVar(&cfg.limits.JoinsPerMinute, "joins-per-minute", cfg.limits.JoinsPerMinute, "joins from one address a minute, in a burst of as many; more answer 429; 0 for no limit (env PP_JOINS_PER_MINUTE)")
	bind("joins-per-minute", "PP_JOINS_PER_MINUTE")
	fs.IntVar(&cfg.limits.ConnectionsPerPlayer, "connections-per-player", cfg.limits.ConnectionsPerPlayer, "WebSockets and event streams open at once for one player (tabs); more answer 429; 0 for no limit (env PP_CONNECTIONS_PER_PLAYER)")
	bind("connections-per-player", "PP_CONNECTIONS_PER_PLAYER")
	fs.IntVar(&cfg.limits.ConnectionsPerAddress, "connections-per-address", cfg.limits.ConnectionsPerAddress, "WebSockets and event streams open at once from one address; more answer 429; 0 for no limit (env PP_CONNECTIONS_PER_ADDRESS)")
	bind("connections-per-address", "PP_CONNECTIONS_PER_ADDRESS")
	fs.IntVar(&cfg.limits.MaxConnections, "max-connections", 0, "WebSockets and event streams open at once in all; more answer 503; 0: derived from the open-files limit, keeping an eighth of it for everything else (env PP_MAX_CONNECTIONS)")
	bind("max-connections", "PP_MAX_CONNECTIONS")
	fs.IntVar(&cfg.limits.TrackedClients, "tracked-clients", cfg.limits.TrackedClients, "clients the per-client limits remember at most; beyond it idle ones are forgotten first (env PP_TRACKED_CLIENTS)")
	bind("tracked-clients", "PP_TRACKED_CLIENTS")
	fs.IntVar(&cfg.ws.FloodLimit, "ws-flood-limit", cfg.ws.FloodLimit, "WebSocket messages over --ws-message-rate that one socket may send within 10 s before it is closed with 1008; 0 only ignores them (env PP_WS_FLOOD_LIMIT)")
	bind("ws-flood-limit", "PP_WS_FLOOD_LIMIT")

	// Browser event streams (SSE).
	fs.IntVar(&cfg.sseOutbox, "sse-outbox", handlers.DefaultSSEOutbox, "messages queued for one browser's event stream before it is dropped as too slow; the browser reconnects and gets the current state (env PP_SSE_OUTBOX)")
	bind("sse-outbox", "PP_SSE_OUTBOX")
	// Input: what the server takes from requests, and what it does not.
	fs.StringVar(&cfg.publicURL, "public-url", "", "the server's public address (absolute http(s) URL, e.g. https://poker.example.org), the base of the share link and QR code; empty: the request's Host when well formed, else the listen address (env PP_PUBLIC_URL)")
	bind("public-url", "PP_PUBLIC_URL")
	// Plain TCP connections, whatever they carry: counted at the listener.
	fs.IntVar(&cfg.tcp.PerAddress, "tcp-connections-per-address", 0, "TCP connections open at once from one address (an IPv6 /64), idle keep-alive ones too; more are closed at once; peers in --trusted-proxies are exempt; default: twice --connections-per-address plus 64 (0 when that is 0); 0: no limit (env PP_TCP_CONNECTIONS_PER_ADDRESS)")
	bind("tcp-connections-per-address", "PP_TCP_CONNECTIONS_PER_ADDRESS")
	fs.IntVar(&cfg.tcp.Total, "max-tcp-connections", 0, "TCP connections open at once in all; more are closed at once; 0: derived from the open-files limit, and --max-connections is kept below it (env PP_MAX_TCP_CONNECTIONS)")
	bind("max-tcp-connections", "PP_MAX_TCP_CONNECTIONS")
	fs.DurationVar(&cfg.idleTimeout, "idle-timeout", 30*time.Second, "longest a keep-alive connection may wait for its next request (env PP_IDLE_TIMEOUT)")
	bind("idle-timeout", "PP_IDLE_TIMEOUT")
	// Room codes: long enough, and tried in vain only so often, that rooms cannot be
	// found by guessing.
	fs.IntVar(&cfg.codeLength, "code-length", game.DefaultCodeLength, "characters of new rooms' codes, 4 (the reference's) to 10; see README for how long guessing takes (env PP_CODE_LENGTH)")
	bind("code-length", "PP_CODE_LENGTH")
	fs.IntVar(&cfg.codeLookups.MissesPerMinute, "code-misses-per-minute", cfg.codeLookups.MissesPerMinute, "room codes that lead to no room one address may look up a minute, after a burst of --code-miss-burst; beyond it every code look-up from the address answers 429 with Retry-After; 0 for no limit (env PP_CODE_MISSES_PER_MINUTE)")
	bind("code-misses-per-minute", "PP_CODE_MISSES_PER_MINUTE")
	fs.IntVar(&cfg.codeLookups.Burst, "code-miss-burst", cfg.codeLookups.Burst, "room codes that lead to no room one address may look up in a row before --code-misses-per-minute applies (env PP_CODE_MISS_BURST)")
	bind("code-miss-burst", "PP_CODE_MISS_BURST")
	// A secret: the environment keeps it out of the process list.
	fs.StringVar(&cfg.aliasKey, "alias-key", "", "secret of at least 32 characters that players' public aliases are drawn with; instances sharing rooms must share it; empty: the one kept in --data (made at the first start), or a random one at each start without --data (env PP_ALIAS_KEY, better than the flag, which shows in the process list)")
	bind("alias-key", "PP_ALIAS_KEY")
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
	// The event store (see README, Storage).
	fs.StringVar(&cfg.dataFile, "data", defaultDataFile, `the database file that keeps the rooms across restarts and crashes, created (mode 0600) if missing; "" keeps them in memory only, and a restart loses them (env PP_DATA; PP_DATA= for memory only)`)
	bind("data", "PP_DATA")
	fs.DurationVar(&cfg.retention, "retention", defaultRetention, "how long a room nobody uses is kept in the database, with its events and session record, before it is deleted (env PP_RETENTION)")
	bind("retention", "PP_RETENTION")

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
	if err := cfg.check(); err != nil {
		return cfg, err
	}
	cfg.limits.TrustedProxies, _ = handlers.ParseTrustedProxies(cfg.trustedProxies) // checked
	cfg.tcp.TrustedProxies = cfg.limits.TrustedProxies
	given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true }) // now with the environment's
	if !given["tcp-connections-per-address"] {
		cfg.tcp.PerAddress = tcpConnectionsPerAddress(cfg.limits.ConnectionsPerAddress)
	}
	return cfg, nil
}

func (c config) check() error {
	switch {
	case c.shutdownDelay < 0:
		return fmt.Errorf("--shutdown-delay must not be negative")
	case c.emptyRoomGrace < 0 || c.unusedRoomTTL < 0 || c.facilitatorAway < 0:
		return fmt.Errorf("--empty-room-grace, --unused-room-ttl and --facilitator-timeout must not be negative")
	case c.seatRelease < 0 || c.revealGrace < 0:
		return fmt.Errorf("--seat-release and --reveal-grace must not be negative")
	case c.maxRecordRounds < 0:
		return fmt.Errorf("--max-record-rounds must not be negative")
	case c.maxRooms < 0 || c.maxPlayers < 0:
		return fmt.Errorf("--max-rooms and --max-players must not be negative")
	case c.maxBody < 1 || c.maxFormBody < 1:
		return fmt.Errorf("--max-body and --max-form-body must be at least 1 byte")
	case c.readTimeout <= 0 || c.writeTimeout <= 0:
		return fmt.Errorf("--read-timeout and --write-timeout must be positive")
	case c.ws.ReadLimit < 1:
		return fmt.Errorf("--ws-read-limit must be at least 1 byte")
	case c.ws.OutboxSize < 2:
		// A new socket gets two messages at once (STATE, then its CONNECTED).
		return fmt.Errorf("--ws-outbox must be at least 2")
	case c.sseOutbox < 1:
		// A browser that comes is sent the room's state at once.
		return fmt.Errorf("--sse-outbox must be at least 1")
	case c.ws.WriteTimeout <= 0:
		return fmt.Errorf("--ws-write-timeout must be positive")
	case c.ws.PingInterval < 0 || c.ws.MessageRate < 0:
		return fmt.Errorf("--ws-ping-interval and --ws-message-rate must not be negative")
	case c.limits.RoomsPerMinute < 0 || c.limits.UnusedRoomsPerAddress < 0 || c.limits.JoinsPerMinute < 0:
		return fmt.Errorf("--rooms-per-minute, --unused-rooms-per-address and --joins-per-minute must not be negative")
	case c.limits.ConnectionsPerPlayer < 0 || c.limits.ConnectionsPerAddress < 0 || c.limits.MaxConnections < 0:
		return fmt.Errorf("--connections-per-player, --connections-per-address and --max-connections must not be negative")
	case c.limits.TrackedClients < 1:
		return fmt.Errorf("--tracked-clients must be at least 1")
	case c.tcp.PerAddress < 0 || c.tcp.Total < 0:
		return fmt.Errorf("--tcp-connections-per-address and --max-tcp-connections must not be negative")
	case c.idleTimeout <= 0:
		return fmt.Errorf("--idle-timeout must be positive")
	case c.ws.FloodLimit < 0:
		return fmt.Errorf("--ws-flood-limit must not be negative")
	case c.logFormat != "text" && c.logFormat != "json":
		return fmt.Errorf("--log-format must be text or json")
	case c.retention <= 0:
		return fmt.Errorf("--retention must be positive")
	}
	if err := c.checkCodes(); err != nil {
		return err
	}
	if _, err := handlers.ParseTrustedProxies(c.trustedProxies); err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
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

// checkCodes checks the settings of room codes: a length the API's code pattern accepts,
// and a look-up limit that lets at least one miss through.
func (c config) checkCodes() error {
	switch {
	case c.codeLength < game.MinCodeLength || c.codeLength > game.MaxCodeLength:
		return fmt.Errorf("--code-length must be from %d to %d", game.MinCodeLength, game.MaxCodeLength)
	case c.codeLookups.MissesPerMinute < 0:
		return fmt.Errorf("--code-misses-per-minute must not be negative")
	case c.codeLookups.Burst < 1:
		return fmt.Errorf("--code-miss-burst must be at least 1")
	case c.aliasKey != "" && len(c.aliasKey) < game.AliasKeySize:
		return fmt.Errorf("--alias-key must have at least %d characters (for example 64 hex digits of a random source)", game.AliasKeySize)
	}
	return nil
}
