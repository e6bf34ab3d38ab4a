package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// nodeWithWebSocket returns the node command and the flags that give it a WebSocket
// (built in from Node 22, behind --experimental-websocket from 20.10). Without one the
// test is skipped, except in CI, where it fails: CI installs Node.
func nodeWithWebSocket(t *testing.T) (node string, flags []string) {
	t.Helper()
	unavailable := func(why string) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI must have Node 20.10 or later)", why)
		}
		t.Skip(why)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable("node is not installed")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	m := regexp.MustCompile(`^v(\d+)\.(\d+)\.`).FindStringSubmatch(strings.TrimSpace(string(out)))
	if m == nil {
		t.Fatalf("node --version said %q", out)
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[2])
	switch {
	case major >= 22:
		return node, nil
	case major > 20 || (major == 20 && minor >= 10):
		return node, []string{"--experimental-websocket"}
	}
	unavailable("node " + strings.TrimSpace(string(out)) + " has no WebSocket")
	return "", nil
}

// TestVueFrontendFlowWithNode plays the frontend's flow (join over fetch, the socket,
// itself in player_states by its own id, a vote, the reveal) with Node's WebSocket, and
// a second player driven from here: the script sees itself by its id and the other
// player only by an alias.
func TestVueFrontendFlowWithNode(t *testing.T) {
	node, flags := nodeWithWebSocket(t)
	s := startServer(t, nil)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append(flags, "testdata/vue_flow.mjs", s.base)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	defer func() {
		if !exited {
			cancel()
			_ = cmd.Wait()
		}
		if t.Failed() {
			t.Logf("the script's errors:\n%s", stderr.String())
		}
	}()

	// The script opens its game and tells its code.
	lines := bufio.NewScanner(stdout)
	var code string
	for lines.Scan() {
		if c, ok := strings.CutPrefix(lines.Text(), "CODE "); ok {
			code = c
			break
		}
	}
	if code == "" {
		_ = cmd.Wait()
		exited = true
		t.Fatalf("the script gave no room code: %s", stderr.String())
	}

	// The second player: joins, tells the script its id, connects, and votes 5 once
	// the round starts.
	goID := s.join(t, code, "Go")
	if _, err := stdin.Write([]byte(goID + "\n")); err != nil {
		t.Fatal(err)
	}
	goPlayer := s.connect(t, goID, code)
	goPlayer.expect("RESETGAME")
	goPlayer.send("SUBMITVOTE", 5)
	var votes map[string]*float64
	for {
		m := goPlayer.next()
		if m.Type == "REVEALGAME" {
			goPlayer.decode(m, &votes)
			break
		}
	}
	if v := votes[goID]; len(votes) != 2 || v == nil || *v != 5 {
		t.Errorf("the Go player's REVEALGAME %v lacks its own vote under its id", votes)
	}

	err = cmd.Wait()
	exited = true
	if err != nil {
		t.Fatalf("the frontend's flow failed (%v):\n%s", err, stderr.String())
	}
}
