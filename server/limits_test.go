package server

import (
	"bytes"
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

// closedSoon reports whether the server closes c within d.
func closedSoon(c net.Conn, d time.Duration) bool {
	_ = c.SetReadDeadline(time.Now().Add(d))
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
func (ts *testServer) runFrom(t *testing.T, src string) (string, int, error) {
	t.Helper()
	c, err := ts.dialFrom(src)
	if err != nil {
		return "", -1, err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return "", -1, err
	}
	defer sess.Close()
	var errOut bytes.Buffer
	sess.Stderr = &errOut
	err = sess.Run("version")
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		return errOut.String(), exit.ExitStatus(), nil
	}
	return errOut.String(), 0, err
}

func TestHandshakeTimeout(t *testing.T) {
	ts := startServer(t, Config{HandshakeTimeout: 200 * time.Millisecond})
	c := ts.silent(t, "127.0.0.1")
	if !closedSoon(c, 5*time.Second) {
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

func TestSilentFloodDoesNotKeepVisitorsOut(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxHandshakes: 8}})
	var held int
	for range 20 {
		if !closedSoon(ts.silent(t, "127.0.0.1"), 100*time.Millisecond) {
			held++
		}
	}
	if held != 2 { // a quarter of the global cap
		t.Errorf("one source holds %d handshakes, want 2", held)
	}
	if _, status, err := ts.runFrom(t, "127.0.0.2"); err != nil || status != 0 {
		t.Fatalf("a visitor was kept out by another source's flood: %v", err)
	}
	// Four more flooding sources fill the global cap.
	for _, src := range []string{"127.0.0.3", "127.0.0.4", "127.0.0.5"} {
		ts.silent(t, src)
		ts.silent(t, src)
	}
	hs := func() int { n, _, _ := ts.lim.counts(); return n }
	waitUntil(t, "the cap of 8 handshakes is held", func() bool { return hs() == 8 })
	if !closedSoon(ts.silent(t, "127.0.0.6"), time.Second) {
		t.Error("a connection past the global handshake cap was held")
	}
}

func TestSessionCaps(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{MaxSessions: 3, MaxPerSource: 2}})
	for _, src := range []string{"127.0.0.1", "127.0.0.1"} {
		scr := ts.browseFrom(t, src)
		scr.waitFor("Principal Engineer")
	}
	stderr, status, err := ts.runFrom(t, "127.0.0.1")
	if err != nil || status != 1 || stderr != "too many connections from your address\r\n" {
		t.Errorf("third session from one source: %q %d %v", stderr, status, err)
	}
	scr := ts.browseFrom(t, "127.0.0.2")
	scr.waitFor("Principal Engineer")
	stderr, status, err = ts.runFrom(t, "127.0.0.3")
	if err != nil || status != 1 || stderr != "busy — please try again in a minute\r\n" {
		t.Errorf("session past the global cap: %q %d %v", stderr, status, err)
	}
}

func (ts *testServer) browseFrom(t *testing.T, src string) *screen {
	t.Helper()
	_, sess := ts.ptySession(t, src)
	stdout, _ := sess.StdoutPipe()
	scr := readScreen(t, stdout, 80, 24)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return scr
}

// ptySession connects from src and opens a session with an 80×24 xterm
// PTY; the connection is closed when the test ends, if not before.
func (ts *testServer) ptySession(t *testing.T, src string) (*gossh.Client, *gossh.Session) {
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

func TestPerSourceRate(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{PerSourceRate: 5}})
	for i := range 5 {
		if _, status, err := ts.runFrom(t, "127.0.0.1"); err != nil || status != 0 {
			t.Fatalf("connection %d within the rate: %v", i+1, err)
		}
	}
	if _, _, err := ts.runFrom(t, "127.0.0.1"); err == nil {
		t.Error("a sixth connection at once was let in")
	}
	if _, status, err := ts.runFrom(t, "127.0.0.2"); err != nil || status != 0 {
		t.Errorf("another source was limited too: %v", err)
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
				if _, status, err := ts.runFrom(t, "127.0.0.9"); err != nil || status != 0 {
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
		closedSoon(c, 5*time.Second)
	}
	// The debt is charged as the server closes each connection.
	key := netip.MustParsePrefix("127.0.0.1/32")
	waitUntil(t, "the source owes more than the threshold", func() bool { return ts.lim.owes(key) > ts.cfg.Limits.PenaltyThreshold })
	if _, _, err := ts.runFrom(t, "127.0.0.1"); err == nil {
		t.Error("a source that failed three handshakes was let straight back in")
	}
	if _, status, err := ts.runFrom(t, "127.0.0.2"); err != nil || status != 0 {
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
