//go:build linux

package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// containerVersion is stamped into the binary under test, so that the test sees the
// build's stamp come out in --version and in the metrics.
const containerVersion = "container-proof"

// The image is FROM scratch: nothing but the binary. No Docker engine runs here, so the
// binary is built by the target the Dockerfile runs (make build) and started alone in an
// empty root, inside a user namespace, where no file, library or shell of the host can
// be reached. It must serve a whole round there and stop cleanly on SIGTERM.
func TestBinaryRunsAloneInAnEmptyRoot(t *testing.T) {
	unshare := needEmptyRoot(t)
	makeCmd, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not installed: the binary is built by `make build`, as the Dockerfile builds it")
	}
	dir := t.TempDir()
	built := filepath.Join(dir, "build", "pokerd")
	cmd := exec.Command(makeCmd, "-s", "-C", filepath.Join("..", ".."), "build", "BIN="+built, "VERSION="+containerVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	checkStatic(t, built)

	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, built, filepath.Join(root, "pokerd"))
	// The image's volume for the rooms' database (see the Dockerfile).
	if err := os.Mkdir(filepath.Join(root, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(root, "pokerd"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("binary: %d bytes (%.1f MiB)", info.Size(), float64(info.Size())/(1<<20))

	inRoot := func(args ...string) *exec.Cmd {
		c := exec.Command(unshare, append([]string{"--map-root-user", "--root", root, "/pokerd"}, args...)...)
		c.Env = []string{"PP_DATA=/data/pokerd.db"} // the image's own; nothing from the host's environment
		return c
	}

	t.Run("the root holds no shell", func(t *testing.T) {
		c := exec.Command(unshare, "--map-root-user", "--root", root, "/bin/sh", "-c", "true")
		if out, err := c.CombinedOutput(); err == nil {
			t.Fatalf("a shell ran in the empty root: %s", out)
		}
	})
	t.Run("--version tells the stamped version", func(t *testing.T) {
		out, err := inRoot("--version").CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "pokerd "+containerVersion {
			t.Fatalf("--version: %v %q", err, out)
		}
	})

	server := inRoot("--addr", "127.0.0.1:0")
	stderr, err := server.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	logs := &lockedBuffer{}
	addr := make(chan string, 1)
	go func() {
		exited <- followLog(stderr, logs, addr)
	}()
	t.Cleanup(func() { _ = server.Process.Kill() })

	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(10 * time.Second):
		t.Fatalf("no listening address logged within 10s:\n%s", logs)
	}
	waitReady(t, base, logs)
	t.Logf("start-up to the first ready /readyz: %v", time.Since(started).Round(time.Millisecond))
	s := &testServer{base: base, wsBase: "ws" + strings.TrimPrefix(base, "http"), logs: logs}

	t.Run("a round is played through the JSON API and the WebSocket", func(t *testing.T) { playRound(t, s) })
	t.Run("the metrics tell the build, without a /proc to read", func(t *testing.T) {
		got := s.scrape(t)
		for k, v := range got {
			if strings.HasPrefix(k, "pokerd_build_info{") && strings.Contains(k, `version="`+containerVersion+`"`) && v == 1 {
				return
			}
		}
		t.Fatal("no pokerd_build_info with the stamped version")
	})

	if err := server.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		t.Fatalf("pokerd did not stop within 15s of SIGTERM:\n%s", logs)
	}
	if err := server.Wait(); err != nil {
		t.Fatalf("pokerd exited with %v:\n%s", err, logs)
	}
	if !strings.Contains(logs.String(), "pokerd stopped") {
		t.Fatalf("no clean stop in the log:\n%s", logs)
	}
	if _, err := os.Stat(filepath.Join(root, "data", "pokerd.db")); err != nil {
		t.Fatalf("the rooms' database is not on the image's volume: %v", err)
	}
}

// needEmptyRoot returns the unshare command, or skips the test, saying why, where
// there is none or where user namespaces are not allowed (some CI machines forbid them).
func needEmptyRoot(t *testing.T) string {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare (util-linux) is not installed: cannot run the binary in an empty root")
	}
	if out, err := exec.Command(unshare, "--map-root-user", "true").CombinedOutput(); err != nil {
		t.Skipf("user namespaces are not permitted here, so no empty root: %v %s", err, bytes.TrimSpace(out))
	}
	return unshare
}

// checkStatic fails unless the binary asks for no dynamic loader and no shared library.
func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the binary needs a dynamic loader")
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Fatalf("the binary needs shared libraries: %v %v", libs, err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

var listeningAddr = regexp.MustCompile(`msg="pokerd listening" .*addr=(\S+)`)

// followLog copies the server's log into logs, sends the address it listens on, and
// returns when the log ends (the process has exited).
func followLog(r io.Reader, logs *lockedBuffer, addr chan<- string) error {
	lines := bufio.NewScanner(r)
	sent := false
	for lines.Scan() {
		line := lines.Text()
		logs.Write([]byte(line + "\n"))
		if m := listeningAddr.FindStringSubmatch(line); m != nil && !sent {
			addr <- m[1]
			sent = true
		}
	}
	return lines.Err()
}

// waitReady polls /readyz until it answers 200.
func waitReady(t *testing.T, base string, logs *lockedBuffer) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := client.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not ready within 10s (last error: %v):\n%s", err, logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// playRound creates a game, seats and connects two players, and plays a round to its
// reveal, as the Vue frontend does.
func playRound(t *testing.T, s *testServer) {
	code := s.createGame(t, "Alone")
	annID := s.join(t, code, "Ann")
	bobID := s.join(t, code, "Bob")
	ann := s.connect(t, annID, code)
	bob := s.connect(t, bobID, code)
	ann.expectPlayer("CONNECTED", bobID)

	ann.send("RESET", nil)
	ann.expect("RESETGAME")
	bob.expect("RESETGAME")
	ann.send("SUBMITVOTE", 3)
	ann.expectPlayer("PLAYERVOTED", annID)
	bob.expectPlayer("PLAYERVOTED", annID)
	bob.send("SUBMITVOTE", 8)
	ann.expectPlayer("PLAYERVOTED", bobID)
	bob.expectPlayer("PLAYERVOTED", bobID)
	ann.send("REVEAL", nil)
	for _, c := range []*wsClient{ann, bob} {
		m := c.expect("REVEALGAME")
		for _, want := range []string{`"` + c.nameOf(annID) + `":3.0`, `"` + c.nameOf(bobID) + `":8.0`} {
			if !strings.Contains(string(m.Payload), want) {
				t.Fatalf("REVEALGAME %s lacks %s", m.Payload, want)
			}
		}
	}
	ann.close()
	bob.close()
}
