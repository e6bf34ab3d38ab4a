package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// The net/http/pprof import also registers its handlers on http.DefaultServeMux (the
// package does so when loaded, we cannot stop it). Nothing of pokerd serves that mux:
// the public server is Echo, and the profiler gets a mux of its own below.

// pprofServer serves the Go profiler on its own listen address, never the public one:
// profiles show the program's inside and cost CPU, so only operators should reach them.
type pprofServer struct {
	http   *http.Server
	served chan error
}

// startPprof listens on addr and serves the profiler until shutdown.
func startPprof(addr string, log *slog.Logger) (*pprofServer, error) {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // and every named profile under it
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	p := &pprofServer{
		// No write timeout: a CPU profile or a trace streams for as long as asked.
		http: &http.Server{
			Handler:           mux,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		},
		served: make(chan error, 1),
	}
	log.Info("pprof listening", "addr", listener.Addr().String())
	go func() { p.served <- p.http.Serve(listener) }()
	return p, nil
}

// shutdown stops the profiler with the main server; a profile still being taken is cut
// off when ctx ends.
func (p *pprofServer) shutdown(ctx context.Context) error {
	err := p.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		err = p.http.Close()
	}
	if served := <-p.served; !errors.Is(served, http.ErrServerClosed) {
		return served
	}
	return err
}
