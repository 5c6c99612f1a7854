package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// These tests model people, not instant clients: an x/crypto/ssh client
// whose HostKeyCallback sleeps is a person reading OpenSSH's "The
// authenticity of host … can't be established" prompt, and one whose
// callback fails is a person answering no, pressing ctrl+c, or running
// ssh-keyscan. With RESUME_E2E=1 they take the real times of the keynote
// issue (minutes, run in parallel); otherwise the same scenes are played
// with the server's bounds scaled down, so that plain `go test` stays
// quick.

// realTime reports whether the tests run at a person's real speed.
func realTime() bool { return os.Getenv("RESUME_E2E") == "1" }

// person is a first-time visitor from src: their client shows the
// host-key prompt, which they read for think before answering yes, or
// no when accept is false.
func (ts *testServer) person(src string, think time.Duration, accept bool) (*gossh.Client, error) {
	return ts.handshakeFrom(src, think+10*time.Second, &gossh.ClientConfig{User: "visitor", HostKeyCallback: func(string, net.Addr, gossh.PublicKey) error {
		time.Sleep(think) // the person at the prompt: the sleep is the behaviour
		if !accept {
			return &hostKeyError{}
		}
		return nil
	}})
}

// hostKeyError is a person answering no at the prompt.
type hostKeyError struct{}

func (*hostKeyError) Error() string { return "host key verification failed" }

// served runs the version command on c and closes it.
func served(c *gossh.Client) error {
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		return err
	}
	defer sess.Close()
	out, err := sess.Output("version")
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return errors.New("no output")
	}
	return nil
}

func key(src string) netip.Prefix { return netip.MustParsePrefix(src + "/32") }

// TestPersonAtThePrompt: the time a person spends reading the host-key
// prompt is the login grace's, not the handshake timeout's. One who
// takes long but less than the grace gets in; one who outstays it is
// closed, and their address owes the grace penalty only.
func TestPersonAtThePrompt(t *testing.T) {
	t.Parallel()
	cfg := Config{HandshakeTimeout: 300 * time.Millisecond, LoginGrace: 2 * time.Second}
	slow, tooSlow := 1500*time.Millisecond, 3*time.Second
	if realTime() {
		cfg, slow, tooSlow = Config{}, 100*time.Second, 130*time.Second
	}
	ts := startServer(t, cfg)
	var wg sync.WaitGroup
	var slowErr, tooSlowErr error
	wg.Go(func() {
		c, err := ts.person("127.0.0.21", slow, true)
		if err == nil {
			err = served(c)
		}
		slowErr = err
	})
	wg.Go(func() {
		c, err := ts.person("127.0.0.22", tooSlow, true)
		if err == nil {
			c.Close()
		}
		tooSlowErr = err
	})
	wg.Wait()
	if slowErr != nil {
		t.Errorf("a visitor who read the prompt for %s was not served: %v", slow, slowErr)
	}
	if tooSlowErr == nil {
		t.Errorf("a visitor who read the prompt for %s, past the login grace, got in", tooSlow)
	}
	if got := ts.lim.owes(key("127.0.0.21")); got != 0 {
		t.Errorf("the visitor who got in owes %s", got)
	}
	// The clock is fixed, so what is owed is exactly what was charged.
	if got := ts.lim.owes(key("127.0.0.22")); got != gracePenalty {
		t.Errorf("past the grace, the source owes %s, want the grace penalty %s", got, gracePenalty)
	}
}

// TestKeynoteRoom: a hundred first-time visitors behind one NAT address
// arrive within half a minute, and each reads the prompt for a different
// time, from 3 to 75 s. With the default limits every one is served.
func TestKeynoteRoom(t *testing.T) {
	t.Parallel()
	const n = 100
	// Scaled down, the handshake timeout stays far shorter than the
	// longest read, as it is at real speed (20 s against 75 s).
	cfg, arrive, least, most := Config{HandshakeTimeout: 500 * time.Millisecond}, time.Second, 100*time.Millisecond, 2500*time.Millisecond
	if realTime() {
		cfg, arrive, least, most = Config{}, 30*time.Second, 3*time.Second, 75*time.Second
	}
	ts := startServer(t, cfg)
	rng := rand.New(rand.NewPCG(11, 100)) //nolint:gosec // a fixed, repeatable room
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		at := time.Duration(rng.Int64N(int64(arrive)))
		think := least + time.Duration(rng.Int64N(int64(most-least)))
		wg.Go(func() {
			time.Sleep(at) // when this person sits down and types the command
			c, err := ts.person("127.0.0.30", think, true)
			if err == nil {
				err = served(c)
			}
			if err != nil {
				errs <- fmt.Errorf("visitor %d (arrived at %s, read the prompt for %s): %w", i, at.Round(time.Millisecond), think.Round(time.Millisecond), err)
			}
		})
	}
	wg.Wait()
	close(errs)
	if len(errs) > 0 {
		t.Errorf("%d of %d visitors were not served; the first: %v", len(errs), n, <-errs)
	}
}

// keyscan is what ssh-keyscan does: one connection per host key type,
// each closed as soon as the key is seen, or when the type is not served.
func (ts *testServer) keyscan(src string) {
	for _, alg := range []string{gossh.KeyAlgoRSASHA256, gossh.KeyAlgoECDSA256, gossh.KeyAlgoED25519} {
		cfg := &gossh.ClientConfig{User: "scan", HostKeyAlgorithms: []string{alg}, HostKeyCallback: func(string, net.Addr, gossh.PublicKey) error {
			return errors.New("scanned")
		}}
		if c, err := ts.handshakeFrom(src, 10*time.Second, cfg); err == nil {
			c.Close()
		}
	}
}

// TestCancelsAndScans: people in a room answer no, press ctrl+c, or run
// ssh-keyscan; none of that keeps the next visitor from that address out.
func TestCancelsAndScans(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{})
	var wg sync.WaitGroup
	var prompts atomic.Int32
	for i := range 30 {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 10 * time.Millisecond) // people sit down a moment apart
			c, err := ts.person("127.0.0.40", time.Duration(i)*10*time.Millisecond, false)
			if err == nil {
				c.Close()
				t.Error("a visitor who declined the prompt got in")
			}
			var he *hostKeyError
			if errors.As(err, &he) {
				prompts.Add(1)
			}
		})
	}
	for range 3 {
		wg.Go(func() { ts.keyscan("127.0.0.40") })
	}
	wg.Wait()
	if n := prompts.Load(); n != 30 {
		t.Fatalf("%d of 30 visitors saw the prompt", n)
	}
	waitUntil(t, "every cancelled connection is closed", func() bool {
		kex, login, _ := ts.lim.counts()
		return kex+login == 0
	})
	owed := ts.lim.owes(key("127.0.0.40"))
	t.Logf("30 cancels and 3 scans owe %s", owed)
	if status, err := ts.runFrom(t, "127.0.0.40"); err != nil || status != 0 {
		t.Fatalf("the next visitor from the address was not served (it owes %s): %v", owed, err)
	}
}

// TestHealthChecksAreNotOffences: bare TCP connects that send nothing,
// as uptime monitors, nc -z and the kubelet's TCP probes make, cost the
// address nothing.
func TestHealthChecksAreNotOffences(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{})
	for range 20 {
		c, err := net.Dial("tcp", ts.addr)
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	waitUntil(t, "every probe is closed", func() bool {
		kex, _, _ := ts.lim.counts()
		return kex == 0
	})
	if owed := ts.lim.owes(key("127.0.0.1")); owed != 0 {
		t.Errorf("20 bare connects owe %s", owed)
	}
	if status, err := ts.runFrom(t, "127.0.0.1"); err != nil || status != 0 {
		t.Fatalf("a visitor after 20 health checks was not served: %v", err)
	}
}

// TestAttacksStillFail: silent and trickling connections are cut within
// the key-exchange phase and charged the full penalty, and so are
// failing handshakes; past the threshold their address is refused, while
// a visitor from elsewhere is served throughout.
func TestAttacksStillFail(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{HandshakeTimeout: 200 * time.Millisecond})
	visit := func(when string) {
		t.Helper()
		if status, err := ts.runFrom(t, "127.0.0.59"); err != nil || status != 0 {
			t.Fatalf("a visitor from another address was not served %s: %v", when, err)
		}
	}
	// A slowloris: two silent, two trickling a byte at a time.
	var wg sync.WaitGroup
	for i := range 4 {
		c := ts.silent(t, "127.0.0.50")
		wg.Go(func() {
			if i%2 == 1 {
				for _, b := range []byte("SSH-2.0-trickle") {
					if _, err := c.Write([]byte{b}); err != nil {
						return
					}
					time.Sleep(30 * time.Millisecond) // the trickle is the behaviour
				}
			}
			if !closedSoon(c) {
				t.Error("a slowloris connection outlived the handshake timeout")
			}
		})
	}
	visit("during a slowloris")
	wg.Wait()
	waitUntil(t, "the slowloris is charged", func() bool { return ts.lim.owes(key("127.0.0.50")) == 4*ts.cfg.Limits.Penalty })
	if _, err := ts.runFrom(t, "127.0.0.50"); err == nil {
		t.Error("an address that owes 20 s was let in")
	}
	// A flood of failing handshakes: garbage after the version line.
	for range 4 {
		c := ts.silent(t, "127.0.0.51")
		_, _ = c.Write([]byte("SSH-2.0-bot\r\n\x00\x00\x00\x0cgarbage-here\r\n"))
		closedSoon(c)
	}
	waitUntil(t, "the failing handshakes are charged", func() bool { return ts.lim.owes(key("127.0.0.51")) == 4*ts.cfg.Limits.Penalty })
	if _, err := ts.runFrom(t, "127.0.0.51"); err == nil {
		t.Error("an address with four failed handshakes was let in")
	}
	visit("after the attacks")
}

// TestPenaltyExempt: a venue's NAT address can be exempt from penalties.
func TestPenaltyExempt(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{Limits: Limits{PenaltyExempt: []netip.Prefix{netip.MustParsePrefix("127.0.0.60/31")}}})
	for range 5 {
		c := ts.silent(t, "127.0.0.61")
		_, _ = c.Write([]byte("SSH-2.0-bot\r\n\x00\x00\x00\x0cgarbage-here\r\n"))
		closedSoon(c)
	}
	if status, err := ts.runFrom(t, "127.0.0.61"); err != nil || status != 0 {
		t.Fatalf("an exempt address was refused: %v", err)
	}
}

// TestLoginWaitingIsCapped: connections at the prompt are capped by
// memory, each source to its share, and a place frees when one leaves.
// TestLoginWaitingIsCapped: one source may fill the prompt's memory
// while nobody else wants it, but once nine tenths is taken it has its
// fair share and no more, so that the last tenth is there for a visitor
// from elsewhere; past the whole of it nobody gets in.
func TestLoginWaitingIsCapped(t *testing.T) {
	t.Parallel()
	ts := startServer(t, Config{Limits: Limits{LoginMemory: 10 * WaitingConnBytes}})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wait := func(src string) {
		wg.Go(func() {
			c, err := ts.handshakeFrom(src, time.Minute, &gossh.ClientConfig{User: "v", HostKeyCallback: func(string, net.Addr, gossh.PublicKey) error {
				<-release
				return errors.New("no")
			}})
			if err == nil {
				c.Close()
			}
		})
	}
	atPrompt := func(n int) func() bool {
		return func() bool { _, login, _ := ts.lim.counts(); return login == n }
	}
	for range 9 {
		wait("127.0.0.70")
	}
	waitUntil(t, "nine from one source at the prompt", atPrompt(9))
	if _, err := ts.runFrom(t, "127.0.0.70"); err == nil {
		t.Error("a source past its fair share of a contended prompt was let in")
	}
	wait("127.0.0.71")
	waitUntil(t, "a visitor from elsewhere at the prompt beside them", atPrompt(10))
	if _, err := ts.runFrom(t, "127.0.0.72"); err == nil {
		t.Error("a connection past the memory cap was let in")
	}
	close(release)
	wg.Wait()
	waitUntil(t, "the prompt empties", atPrompt(0))
	if status, err := ts.runFrom(t, "127.0.0.72"); err != nil || status != 0 {
		t.Fatalf("a visitor was refused after the prompt emptied: %v", err)
	}
}

// waitUntil polls cond until it holds, failing the test after 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// browsing opens a browser session on c and waits for its first frame,
// holding the session open until the test ends.
func browsing(t *testing.T, c *gossh.Client) error {
	sess, err := c.NewSession()
	if err != nil {
		return err
	}
	t.Cleanup(func() { sess.Close(); c.Close() })
	if err := sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		return err
	}
	out, err := sess.StdoutPipe()
	if err != nil {
		return err
	}
	if err := sess.Shell(); err != nil {
		return err
	}
	var seen []byte
	buf := make([]byte, 4096)
	for !bytes.Contains(seen, []byte("Principal Engineer")) {
		n, err := out.Read(buf)
		if err != nil {
			return fmt.Errorf("before the first frame: %w (%q)", err, seen)
		}
		seen = append(seen, buf[:n]...)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }() // the session stays, read
	return nil
}

// TestThousandSeatRoom: a keynote room behind one NAT address — a
// thousand first-time visitors at RESUME_E2E=1 (a hundred otherwise)
// typing ssh within a minute and reading the host-key prompt for 3–75 s —
// all get the browser, with the defaults of a 512 MB machine; and a
// visitor from another address every few seconds meanwhile gets in
// within 5 s.
func TestThousandSeatRoom(t *testing.T) {
	t.Parallel()
	n, arrive, least, most, every := 100, 2*time.Second, 100*time.Millisecond, 2500*time.Millisecond, 250*time.Millisecond
	cfg := Config{HandshakeTimeout: 500 * time.Millisecond}
	if realTime() {
		n, arrive, least, most, every = 1000, time.Minute, 3*time.Second, 75*time.Second, 5*time.Second
		cfg = Config{}
	}
	cfg.Limits.MaxSessions = Capacity(Memory{400 << 20, "GOMEMLIMIT"}, DefaultLoginMemory, 4096) // the systemd unit's
	ts := startServer(t, cfg)
	rng := rand.New(rand.NewPCG(7, 1000)) //nolint:gosec // a fixed, repeatable room
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		at := time.Duration(rng.Int64N(int64(arrive)))
		think := least + time.Duration(rng.Int64N(int64(most-least)))
		wg.Go(func() {
			time.Sleep(at) // when this person sits down and types the command
			c, err := ts.person("127.0.0.80", think, true)
			if err == nil {
				err = browsing(t, c)
			}
			if err != nil {
				errs <- fmt.Errorf("visitor %d (arrived at %s, read the prompt for %s): %w", i, at.Round(time.Millisecond), think.Round(time.Millisecond), err)
			}
		})
	}
	roomDone := make(chan struct{})
	go func() { wg.Wait(); close(roomDone) }()
	var waits []time.Duration
	for i := 0; ; i++ {
		select {
		case <-roomDone:
		case <-time.After(every):
			start := time.Now()
			c, err := ts.dialFrom(fmt.Sprintf("127.0.0.%d", 90+i%100))
			if err == nil {
				err = browsing(t, c)
			}
			waits = append(waits, time.Since(start))
			if err != nil {
				t.Errorf("a visitor from elsewhere, %d: %v", i, err)
			}
			continue
		}
		break
	}
	close(errs)
	if len(errs) > 0 {
		t.Errorf("%d of %d in the room were not served; the first: %v", len(errs), n, <-errs)
	}
	slices.Sort(waits)
	if len(waits) == 0 {
		t.Fatal("no visitor from elsewhere came while the room arrived")
	}
	if worst := waits[len(waits)-1]; worst > 5*time.Second {
		t.Errorf("a visitor from elsewhere waited %s for the first frame (median %s)", worst, waits[len(waits)/2])
	}
	t.Logf("%d in the room served; %d visitors from elsewhere, first frame median %s, worst %s", n, len(waits), waits[len(waits)/2], waits[len(waits)-1])
}
