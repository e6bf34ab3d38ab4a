// Command pokerd is the planning-poker server: one binary that serves the browser UI and
// the JSON + WebSocket API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/pokerd/pokerd/conf"
	"github.com/pokerd/pokerd/game"
	"github.com/pokerd/pokerd/handlers"
)

// version is stamped at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, memoryOnlyFromEnv(os.Args[1:], os.LookupEnv), os.Getenv, os.Stdout, os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pokerd:", err)
		os.Exit(1)
	}
}

// run starts the server and blocks until ctx ends, then shuts down gracefully. ready,
// when not nil, is told the address the server listens on (tests listen on port 0).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(addr string)) (err error) {
	if len(args) > 0 && args[0] == backupCommand {
		return runBackup(ctx, args[1:], getenv, stdout, stderr)
	}
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.showVersion {
		fmt.Fprintln(stdout, "pokerd", version)
		return nil
	}
	log := newLogger(cfg, stderr)

	decks, err := loadDecks(cfg.decksFile)
	if err != nil {
		return err
	}
	// The rooms' event store: opened before the rooms, closed after the HTTP server, so
	// that whatever the rooms did until the end is written.
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	var eventLog game.EventLog     // nil (not a nil *sqlite.Log) without a store
	var storeHealth handlers.Store // likewise
	if store != nil {
		eventLog, storeHealth = store, store
		defer func() { err = errors.Join(err, closeStore(store, cfg, log)) }()
	}
	key, err := aliasKey(ctx, cfg, store)
	if err != nil {
		return err
	}
	// The rooms report a panic in their timers to the server's faults; the registry is
	// made first, so the hook reaches the server through this variable.
	var server *handlers.Server
	rooms := game.NewRegistry(game.RegistryConfig{
		Decks:              decks,
		MaxRooms:           cfg.maxRooms,
		MaxPlayersPerRoom:  cfg.maxPlayers,
		EmptyRoomGrace:     cfg.emptyRoomGrace,
		UnusedRoomTTL:      cfg.unusedRoomTTL,
		FacilitatorTimeout: cfg.facilitatorAway,
		SeatRelease:        cfg.seatRelease,
		RevealGrace:        cfg.revealGrace,
		MaxRecordRounds:    cfg.maxRecordRounds,
		CodeLength:         cfg.codeLength,
		AliasKey:           key,
		OnPanic:            func(v any, stack []byte) { server.RoomPanicked(v, stack) },
		Log:                eventLog,
		Retention:          cfg.retention,
	})
	if store != nil {
		if err := rooms.Restore(ctx); err != nil {
			return fmt.Errorf("restoring the rooms from --data %s: %w", cfg.dataFile, err)
		}
		// Where the rooms are kept, and how many came back: an operator's first question
		// after a restart.
		log.Info("rooms restored", "data", cfg.dataFile, "rooms", rooms.Len(), "retention", cfg.retention.String())
	}
	limits := cfg.limits
	openFiles, err := raiseOpenFilesLimit()
	if err != nil {
		log.Warn("could not raise the open-files limit", "err", err)
	}
	tcp := cfg.tcp
	if tcp.Total == 0 {
		tcp.Total = tcpConnectionCap(openFiles)
	}
	if limits.MaxConnections == 0 {
		limits.MaxConnections = longLivedCap(openFiles, tcp.Total)
	} else if tcp.Total > 0 && limits.MaxConnections >= tcp.Total {
		log.Warn("WebSockets and event streams can take every TCP connection: keep --max-connections below --max-tcp-connections, so that /healthz and pages still answer",
			"max_connections", limits.MaxConnections, "max_tcp_connections", tcp.Total)
	}
	log.Info("connection limits", "open_files_limit", openFiles, "max_connections", limits.MaxConnections,
		"connections_per_address", limits.ConnectionsPerAddress, "connections_per_player", limits.ConnectionsPerPlayer,
		"max_tcp_connections", tcp.Total, "tcp_connections_per_address", tcp.PerAddress,
		"trusted_proxies", cfg.trustedProxies)
	if cfg.maxRooms > 0 && (limits.UnusedRoomsPerAddress == 0 || limits.UnusedRoomsPerAddress >= cfg.maxRooms) {
		log.Warn("one address can fill the server's room cap: keep --unused-rooms-per-address far below --max-rooms",
			"unused_rooms_per_address", limits.UnusedRoomsPerAddress, "max_rooms", cfg.maxRooms)
	}
	// Listening first: the server's share links fall back to the address it listens on.
	listener, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	origins := slices.Concat(handlers.DefaultCORSOrigins, handlers.ParseOrigins(cfg.corsURLs))
	server = handlers.New(handlers.Config{
		Rooms: rooms, Decks: decks, CORSOrigins: origins,
		BodyLimit: cfg.maxBody, FormLimit: cfg.maxFormBody, WS: cfg.ws, Limits: limits, Log: log, Version: version,
		SSEOutbox: cfg.sseOutbox,
		PublicURL: cfg.publicURL, ListenAddr: listener.Addr().String(),
		// Guessing room codes: see handlers/web/limits_lookups.go.
		CodeLookups: cfg.codeLookups,
		Store:       storeHealth,
	})

	// Every TCP connection counts, not only the long-lived ones: idle keep-alive
	// connections, and connections that never send a request, hold descriptors too.
	limited := handlers.LimitConnections(listener, tcp, server.RefusedConnection)

	var profiler *pprofServer
	if cfg.pprofAddr != "" {
		if profiler, err = startPprof(cfg.pprofAddr, log); err != nil {
			listener.Close()
			return fmt.Errorf("pprof: %w", err)
		}
	}
	httpServer := &http.Server{
		Handler:           server,
		ReadHeaderTimeout: min(10*time.Second, cfg.readTimeout),
		ReadTimeout:       cfg.readTimeout,  // lifted for WebSockets and event streams
		WriteTimeout:      cfg.writeTimeout, // likewise: they set a deadline per write
		IdleTimeout:       cfg.idleTimeout,
		ErrorLog:          serverErrorLog(log),
	}
	log.Info("pokerd listening", "version", version, "addr", listener.Addr().String(),
		"decks", len(decks.Decks()), "cors_origins", origins, "empty_room_grace", cfg.emptyRoomGrace.String(), "unused_room_ttl", cfg.unusedRoomTTL.String(),
		"max_rooms", cfg.maxRooms, "max_players", cfg.maxPlayers)
	if ready != nil {
		ready(listener.Addr().String())
	}

	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(limited) }()
	select {
	case err := <-served:
		if profiler != nil {
			_ = profiler.shutdown(context.Background())
		}
		return err
	case <-ctx.Done():
	}

	// Not ready from here on, so that a load balancer polling /readyz stops sending new
	// players before the connections close; everything still works during the delay.
	server.Drain()
	if cfg.shutdownDelay > 0 {
		log.Info("pokerd draining", "delay", cfg.shutdownDelay.String())
		time.Sleep(cfg.shutdownDelay)
	}
	log.Info("pokerd shutting down", "timeout", cfg.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() { server.CloseStreams(shutdownCtx) })
	var profilerErr error
	if profiler != nil {
		wg.Go(func() { profilerErr = profiler.shutdown(shutdownCtx) })
	}
	err = httpServer.Shutdown(shutdownCtx)
	wg.Wait()
	if err = errors.Join(err, profilerErr); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	log.Info("pokerd stopped")
	return nil
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// loadDecks reads the decks file, or the embedded default when none is named.
func loadDecks(file string) (*game.MemoryDeckDB, error) {
	if file == "" {
		return game.ParseDecks("(built-in)", conf.Decks)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("decks file: %w", err)
	}
	return game.ParseDecks(file, data)
}
