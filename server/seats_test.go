package server

import (
	"io"
	"strings"
	"testing"
	"time"
)

// backdate makes the browser sessions from src look idle for d: as if
// their visitors had sent nothing since.
func (ts *testServer) backdate(t *testing.T, src string, d time.Duration) {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for sess := range ts.sessions {
		if strings.HasPrefix(sess.ssh.RemoteAddr().String(), src+":") && sess.seated() {
			sess.mu.Lock()
			sess.input.touch(time.Now().Add(-d))
			sess.mu.Unlock()
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no browser session from %s", src)
	}
}

// TestEvictionMakesRoom: with every seat held by one address, a newcomer
// from another, under its fair share, takes the seat of the room's
// visitor who has gone longest without a key, who is told why, kindly;
// a visitor who typed recently keeps theirs.
func TestEvictionMakesRoom(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 2}})
	idle := ts.browseFrom(t, "127.0.0.10")
	idle.waitFor("Principal Engineer")
	ts.backdate(t, "127.0.0.10", 5*time.Minute)
	busy := ts.browseFrom(t, "127.0.0.10")
	busy.waitFor("Principal Engineer")
	newcomer := ts.browseFrom(t, "127.0.0.11")
	newcomer.waitFor("Principal Engineer")
	idle.waitFor("closed to make room for a new visitor — thanks for reading; reconnect any time")
	idle.waitFor("ssh HOST txt")
	if strings.Contains(busy.text(), "closed to make room") {
		t.Error("the visitor who was reading lost their seat")
	}
	if got := metricValue(t, scrape(t, ts.MetricsHandler()), `resume_evictions_total{reason="idle over fair share"}`); got != 1 {
		t.Errorf("evictions: %v", got)
	}
	// The room is now at its fair share: another of its visitors waits.
	line := ts.browseFrom(t, "127.0.0.10")
	line.waitFor("The room is full — you're #1 in line")
}

// TestStillThere: a quiet visitor is asked "still there?" before the
// idle timeout ends the session, and a key keeps them.
func TestStillThere(t *testing.T) {
	ts := startServer(t, Config{IdleTimeout: idleWarning + 2*time.Second})
	_, stdin, scr := ts.browse(t, 80, 24)
	scr.waitFor("Principal Engineer")
	scr.waitFor("still there? press any key")
	if _, err := io.WriteString(stdin, "j"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the question goes with a key", func() bool { return !strings.Contains(scr.text(), "still there?") })
	if strings.Contains(ts.logs.String(), "reason=idle") {
		t.Error("the session ended though the visitor pressed a key")
	}
}

// TestLobbyWaitIsBounded: a visitor still in line when the lobby's wait
// ends gets a polite goodbye with the other way to read, not a hang.
func TestLobbyWaitIsBounded(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 1}})
	ts.lobbyWait = 300 * time.Millisecond
	ts.browseFrom(t, "127.0.0.20").waitFor("Principal Engineer")
	_, sess := ts.ptySession(t, "127.0.0.21")
	out, _ := sess.StdoutPipe()
	scr := readScreen(t, out, 80, 24)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("you're #1 in line")
	scr.waitFor("The room is still full — sorry. Please try again in a few minutes")
	scr.waitFor("now: ssh HOST txt")
	if err := sess.Wait(); err == nil {
		t.Error("the session ended with status 0 after the lobby's wait")
	}
	if ts.lim.lobbyLen() != 0 {
		t.Error("the visitor is still counted in the lobby")
	}
}
