//go:build linux

package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The reverse proxy of deploy/ carries what pokerd needs: a round over the WebSocket
// API (upgrade headers), and a browser's event stream that delivers each change while
// the stream stays open. It does not prove that buffering is off: pokerd's updates are
// larger than nginx's buffers, and the stream asks for no buffering itself. It runs
// where nginx is installed, and skips elsewhere.
func TestNginxExampleCarriesSocketsAndStreams(t *testing.T) {
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx is not installed: the proxy example of deploy/ is not exercised")
	}
	backend := startServer(t, nil)
	site, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	conf := strings.NewReplacer(
		"server pokerd:8000;", "server "+strings.TrimPrefix(backend.base, "http://")+";",
		"listen 80;", "listen 127.0.0.1:"+port+";",
	).Replace(string(site))
	dir := t.TempDir()
	main := `worker_processes 1;
error_log ` + dir + `/error.log;
pid ` + dir + `/nginx.pid;
events {}
http {
    access_log off;
    client_body_temp_path ` + dir + `/body;
    proxy_temp_path ` + dir + `/proxy;
    include ` + dir + `/site.conf;
}
`
	for name, text := range map[string]string{"site.conf": conf, "nginx.conf": main} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(nginx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// SIGTERM: the master stops its workers too (killing it would leave them running).
	cmd.WaitDelay = 5 * time.Second
	t.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	proxied := &testServer{base: "http://127.0.0.1:" + port, wsBase: "ws://127.0.0.1:" + port, logs: logs}
	waitReady(t, proxied.base, logs)

	t.Run("a round over the WebSocket API", func(t *testing.T) { playRound(t, proxied) })
	t.Run("the browser's stream carries each change", func(t *testing.T) {
		ann := proxied.newFormClient(t)
		code := ann.createRoom("Proxied", "Ann")
		events := ann.openEvents(code, "")
		events.next()
		ann.get("/room/" + code)
		ann.post("/room/"+code+"/start", nil, true)
		events.until(`data-testid="round-state">Voting`)
	})
	t.Run("the metrics are not public", func(t *testing.T) {
		if res := proxied.do(t, "GET", "/metrics", "", nil); res.status != 403 {
			t.Fatalf("/metrics through the proxy: %d", res.status)
		}
	})
}

// freePort finds a loopback port nobody listens on, for a program that cannot be told
// to pick one itself.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}
