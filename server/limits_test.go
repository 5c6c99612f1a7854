package server

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// dialFrom opens an SSH client from a chosen loopback source address, so
// that one test can play several visitors.
func (ts *testServer) dialFrom(src string) (*gossh.Client, error) {
	return ts.handshakeFrom(src, 10*time.Second, &gossh.ClientConfig{User: "v", HostKeyCallback: gossh.FixedHostKey(ts.HostKey())})
}

// handshakeFrom dials from src and runs the SSH handshake with cfg,
// allowing it wait in all.
func (ts *testServer) handshakeFrom(src string, wait time.Duration, cfg *gossh.ClientConfig) (*gossh.Client, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 5 * time.Second}
	conn, err := d.Dial("tcp", ts.addr)
	if err != nil {
		return nil, err
	}
	_ = conn.SetDeadline(time.Now().Add(wait))
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, cfg)
	if err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return gossh.NewClient(c, chans, reqs), nil
}

// silent opens a TCP connection from src that never speaks.
func (ts *testServer) silent(t *testing.T, src string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	c, err := d.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedSoon reports whether the server closes c within 5 s.
func closedSoon(c net.Conn) bool {
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 256)
	for {
		_, err := c.Read(buf) // the server's version line may come first
		if err == nil {
			continue
		}
		var ne net.Error
		return !errors.As(err, &ne) || !ne.Timeout()
	}
}

// runFrom runs the version command as a visitor from src.
func (ts *testServer) runFrom(t *testing.T, src string) (int, error) {
	t.Helper()
	c, err := ts.dialFrom(src)
	if err != nil {
		return -1, err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return -1, err
	}
	defer sess.Close()
	err = sess.Run("version")
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		return exit.ExitStatus(), nil
	}
	return 0, err
}

func TestHandshakeTimeout(t *testing.T) {
	ts := startServer(t, Config{HandshakeTimeout: 200 * time.Millisecond})
	c := ts.silent(t, "127.0.0.1")
	if !closedSoon(c) {
		t.Fatal("a connection that never speaks was held past the handshake timeout")
	}
	// One that authenticates but never opens a session is closed too.
	cl, err := ts.dialFrom("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	done := make(chan error, 1)
	go func() { done <- cl.Wait() }()
	select {
	case err := <-done:
		t.Logf("closed: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("an authenticated connection without a session was held")
	}
}

// TestSilentFloodDoesNotKeepVisitorsOut: one source flooding silent
// connections takes the handshake slots only up to three quarters; past
// that it waits its turn, and a visitor from elsewhere still gets in at
// once.
func TestSilentFloodDoesNotKeepVisitorsOut(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxHandshakes: 8}})
	for range 12 {
		ts.silent(t, "127.0.0.1")
	}
	hs := func() int { n, _, _ := ts.lim.counts(); return n }
	waitUntil(t, "the flood holds three quarters of the handshakes", func() bool { return hs() == 6 })
	start := time.Now()
	if status, err := ts.runFrom(t, "127.0.0.2"); err != nil || status != 0 {
		t.Fatalf("a visitor was kept out by another source's flood: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the visitor waited %s behind the flood", took)
	}
	if n := hs(); n != 6 {
		t.Errorf("the flood holds %d handshakes after the visitor, want 6", n)
	}
}

// TestSessionCaps: an explicit --max-per-source still refuses; with every
// seat taken a newcomer waits in the lobby, sees its place, and is let in
// when a seat frees; commands are not held up by a full room.
func TestSessionCaps(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 2, MaxPerSource: 1}})
	c1, first := ts.shellFrom(t, "127.0.0.1")
	first.waitFor("Principal Engineer")
	_, sess := ts.ptySession(t, "127.0.0.1")
	var stderr strings.Builder
	sess.Stderr = &stderr
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	_ = sess.Wait()
	if stderr.String() != "too many connections from your address\r\n" {
		t.Errorf("a second session past --max-per-source 1: %q", stderr.String())
	}
	ts.browseFrom(t, "127.0.0.2").waitFor("Principal Engineer")
	if status, err := ts.runFrom(t, "127.0.0.3"); err != nil || status != 0 {
		t.Errorf("a command while the room is full: %d %v", status, err)
	}
	lobby := ts.browseFrom(t, "127.0.0.3")
	lobby.waitFor("The room is full — you're #1 in line")
	lobby.waitFor("ssh HOST txt")
	c1.Close() // the first visitor leaves: their seat goes to the line
	lobby.waitFor("Principal Engineer")
}

func (ts *testServer) browseFrom(t *testing.T, src string) *screen {
	t.Helper()
	_, scr := ts.shellFrom(t, src)
	return scr
}

// shellFrom opens a browser session from src, returning its connection
// (to close, as a visitor leaving) and its screen.
func (ts *testServer) shellFrom(t *testing.T, src string) (*gossh.Client, *screen) {
	t.Helper()
	c, sess := ts.ptySession(t, src)
	stdout, _ := sess.StdoutPipe()
	scr := readScreen(t, stdout, 80, 24)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return c, scr
}

// ptySession connects from src and opens a session with an 80×24 xterm
// PTY; the connection is closed when the test ends, if not before.
func (ts *testServer) ptySession(t testing.TB, src string) (*gossh.Client, *gossh.Session) {
	t.Helper()
	c, err := ts.dialFrom(src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	return c, sess
}

// TestPerSourceRate: the rate bites only while handshakes queue: an idle
// server lets one source connect as often as it likes, and a source
// whose connections must wait for a slot is held to its rate.
func TestPerSourceRate(t *testing.T) {
	now := time.Unix(1e9, 0)
	l := newLimiter(Limits{PerSourceRate: 5, MaxHandshakes: 2}.withDefaults(), func() time.Time { return now })
	l.roll = func() float64 { return 1 } // no early refusal: the queue has room
	a, b := netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("192.0.2.2/32")
	for i := range 50 {
		if why, q := l.admit(a); why != "" || q != nil {
			t.Fatalf("connection %d to an idle server: %q %v", i+1, why, q)
		}
		l.move(a, phaseKex, phaseClosed)
	}
	for range 2 { // b holds both slots
		if why, q := l.admit(b); why != "" || q != nil {
			t.Fatal(why)
		}
	}
	for range 5 {
		if why, q := l.admit(a); why != "" || q == nil {
			t.Fatalf("a connection that must wait: %q %v", why, q)
		}
	}
	if why, _ := l.admit(a); why != refusedRate {
		t.Errorf("past its rate while handshakes queue: %q, want %q", why, refusedRate)
	}
	if why, q := l.admit(netip.MustParsePrefix("192.0.2.3/32")); why != "" || q == nil {
		t.Errorf("another source: %q %v", why, q)
	}
}

// TestConferenceRoom: a hundred visitors behind one NAT address arrive
// together, and the default limits let every one of them in.
func TestConferenceRoom(t *testing.T) {
	ts := startServer(t, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if status, err := ts.runFrom(t, "127.0.0.9"); err != nil || status != 0 {
					errs <- errors.Join(err, errors.New("refused"))
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if n := len(errs); n > 0 {
		t.Errorf("%d of 100 visitors from one address were refused: %v", n, <-errs)
	}
}

func TestMisbehavingSourcesArePenalised(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{Penalty: time.Minute}})
	for range 3 {
		c := ts.silent(t, "127.0.0.1")
		_, _ = c.Write([]byte("SSH-2.0-bot\r\n\x00\x00\x00\x0cgarbage-here\r\n"))
		closedSoon(c)
	}
	// The debt is charged as the server closes each connection.
	key := netip.MustParsePrefix("127.0.0.1/32")
	waitUntil(t, "the source owes more than the threshold", func() bool { return ts.lim.owes(key) > ts.cfg.Limits.PenaltyThreshold })
	if _, err := ts.runFrom(t, "127.0.0.1"); err == nil {
		t.Error("a source that failed three handshakes was let straight back in")
	}
	if status, err := ts.runFrom(t, "127.0.0.2"); err != nil || status != 0 {
		t.Errorf("a well-behaved source was penalised: %v", err)
	}
}

// pausable is a client connection whose reading can be stopped, as a
// client that stops reading would.
type pausable struct {
	net.Conn
	mu     sync.Mutex
	paused chan struct{}
}

func (p *pausable) Read(b []byte) (int, error) {
	p.mu.Lock()
	ch := p.paused
	p.mu.Unlock()
	if ch != nil {
		<-ch
	}
	return p.Conn.Read(b)
}

func TestStalledClientIsDisconnected(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{WriteTimeout: 300 * time.Millisecond}})
	raw, err := net.Dial("tcp", ts.addr)
	if err != nil {
		t.Fatal(err)
	}
	pc := &pausable{Conn: raw, paused: make(chan struct{})}
	close(pc.paused)
	pc.paused = nil
	c, chans, reqs, err := gossh.NewClientConn(pc, ts.addr, &gossh.ClientConfig{User: "v", HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", DefaultMaxHeight, DefaultMaxWidth, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.StdoutPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	// The client stops reading; every resize repaints the screen, until
	// the client's window and the socket buffers are full and a write
	// blocks.
	stop := make(chan struct{})
	pc.mu.Lock()
	pc.paused = stop
	pc.mu.Unlock()
	defer close(stop)
	go func() {
		for i := 0; ; i++ {
			p := gossh.Marshal(winReq{Columns: uint32(DefaultMaxWidth - i%3), Rows: uint32(DefaultMaxHeight - i%2)}) //nolint:gosec // small
			if _, err := sess.SendRequest("window-change", false, p); err != nil {
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(ts.logs.String(), "reason=\"client stopped reading\"") {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("a stalled session was never ended:\n%s\n%s", ts.logs, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestChurnLeavesNothingBehind: many sessions end every way a session can,
// and goroutines return to where they started.
func TestChurnLeavesNothingBehind(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	ts := startServer(t, Config{Limits: Limits{PerSourceRate: 100_000, MaxHandshakes: 1000}})
	runtime.GC()
	base := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 4 {
				churnOnce(t, ts, i)
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > base+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after %d sessions, %d before:\n%s", g, n, base, buf[:runtime.Stack(buf, true)])
	}
	if hs, login, sessions := ts.lim.counts(); hs != 0 || login != 0 || sessions != 0 {
		t.Errorf("the limiter still counts %d handshakes and %d sessions", hs, sessions)
	}
}

// churnOnce ends one session in one of four ways: a finished command, a
// reset in the middle of the browser, a reset in the handshake, and q.
func churnOnce(t *testing.T, ts *testServer, i int) {
	src := "127.0.0.1"
	if i%4 == 2 {
		src = "127.0.0.3" // cut handshakes are penalised: keep them apart
	}
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}}
	conn, err := d.Dial("tcp", ts.addr)
	if err != nil {
		t.Error(err)
		return
	}
	reset := func() {
		_ = conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
	if i%4 == 2 {
		_, _ = conn.Write([]byte("SSH-2.0-churn\r\n"))
		reset()
		return
	}
	c, chans, reqs, err := gossh.NewClientConn(conn, ts.addr, &gossh.ClientConfig{User: "c", HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Error(err)
		conn.Close()
		return
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		t.Error(err)
		return
	}
	if i%4 == 0 {
		_ = sess.Run("json")
		return
	}
	_ = sess.RequestPty("xterm", 24, 80, nil)
	stdin, _ := sess.StdinPipe()
	stdout, _ := sess.StdoutPipe()
	_ = sess.Shell()
	buf := make([]byte, 512)
	_, _ = stdout.Read(buf) // the first frame has begun
	if i%4 == 1 {
		reset()
		return
	}
	_, _ = io.WriteString(stdin, "q")
	_, _ = io.Copy(io.Discard, stdout)
	_ = sess.Wait()
}

// TestWindowChangesNobodyReadsDoNotLeak: a PTY session running a command
// never reads window changes; a client that sends them anyway must not
// leave charm.land/ssh's request loop blocked once it leaves.
func TestWindowChangesNobodyReadsDoNotLeak(t *testing.T) {
	ts := startServer(t, Config{})
	runtime.GC()
	base := runtime.NumGoroutine()
	for range 5 {
		c, sess := ts.ptySession(t, "127.0.0.1")
		if err := sess.Start("version"); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			p := gossh.Marshal(winReq{Columns: uint32(90 + i), Rows: 30}) //nolint:gosec // small
			_, _ = sess.SendRequest("window-change", false, p)
		}
		_ = sess.Wait()
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > base+2 {
		t.Errorf("%d goroutines left behind by 5 sessions (%d before)", g-base, base)
	}
}

func TestSourceKeyGroupsIPv6By64(t *testing.T) {
	a := sourceKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:aaaa::1"), Port: 1})
	b := sourceKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:2:bbbb::2"), Port: 2})
	c := sourceKey(&net.TCPAddr{IP: net.ParseIP("2001:db8:1:3::1"), Port: 3})
	if a != b || a == c || a.Bits() != 64 {
		t.Errorf("IPv6 keys: %v %v %v", a, b, c)
	}
	v4 := sourceKey(&net.TCPAddr{IP: net.ParseIP("192.0.2.1"), Port: 4})
	mapped := sourceKey(&net.TCPAddr{IP: net.ParseIP("::ffff:192.0.2.1"), Port: 5})
	other := sourceKey(&net.TCPAddr{IP: net.ParseIP("192.0.2.2"), Port: 6})
	if v4 != mapped || v4 == other || v4.Bits() != 32 {
		t.Errorf("IPv4 keys: %v %v %v", v4, mapped, other)
	}
}
