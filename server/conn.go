package server

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"charm.land/ssh"
)

// phase is where a connection is on its way to a session.
type phase uint8

const (
	// phaseKex runs from TCP accept through the version exchange and the
	// key exchange up to the server's reply. The server's CPU goes here,
	// and so do silent and trickling connections: it is short
	// (Config.HandshakeTimeout) and capped by Limits.MaxHandshakes.
	phaseKex phase = iota
	// phaseLogin runs from the server's key-exchange reply to
	// authenticated. A first-time visitor's OpenSSH shows its host-key
	// prompt here, before it sends NEWKEYS, so this is a person reading
	// a fingerprint: Config.LoginGrace long, and capped by memory
	// (Limits.LoginMemory), since a connection here costs no CPU.
	phaseLogin
	// phaseAuthed is authenticated with no session open yet; it is
	// bounded by Config.HandshakeTimeout again.
	phaseAuthed
	// phaseSession has a session open: the session's own timeouts apply.
	phaseSession
	phaseClosed
)

// waiting reports whether a connection in p is counted against the
// pre-authentication caps.
func (p phase) waiting() bool { return p == phaseKex || p == phaseLogin }

// What a closed connection owes its source, modelled on OpenSSH's
// PerSourcePenalties: people who decline a prompt or forget one owe
// little, protocol abuse owes Limits.Penalty.
const (
	// declinePenalty is for a client that leaves after the key exchange
	// began: a declined or cancelled host-key prompt, ssh-keyscan, a
	// failed StrictHostKeyChecking, no algorithm in common. Sixty at once
	// stay under the default threshold of 15 s, so a room that cancels
	// together is not locked out.
	declinePenalty = 250 * time.Millisecond
	// gracePenalty is for a connection that outstays the login grace: a
	// forgotten prompt (OpenSSH's grace-exceeded, 10 s). One alone stays
	// under the threshold.
	gracePenalty = 10 * time.Second
)

// Why a connection was charged, as the log and metrics say it.
const (
	chargeTimeout  = "handshake timeout"
	chargeGrace    = "login grace"
	chargeDeclined = "declined"
	chargeNotSSH   = "not ssh"
	chargeProtocol = "protocol error"
	chargeRequest  = "hostile request"
)

// conn is one client connection, from TCP accept to close: the net.Conn
// the SSH server reads and writes, the phase it is in, the limiter slots
// it holds, its one timer, and what the session on it needs. It is made
// in the connection callback (Server.admit) and found from the SSH
// context with connOf.
type conn struct {
	net.Conn
	srv *Server
	key netip.Prefix

	// watching is true while either direction is still plain text, so
	// that Read and Write take the lock only then.
	watching atomic.Bool
	once     sync.Once

	mu       sync.Mutex
	phase    phase
	timer    *time.Timer
	deadline time.Time // the current phase's, on the monotonic clock
	expired  bool      // the timer closed the connection
	hungUp   bool      // the client closed or reset it
	in, out  wire      // client → server, server → client

	// The session's: it opens one at most (sessionChannel).
	sessions int
	pending  *ssh.Window    // the last window change while no browser ran
	onResize func(w, h int) // the running browser's, never blocking
	onClose  func()         // the running browser's, never blocking
	closed   bool           // the client has closed the session channel
}

func newConn(srv *Server, c net.Conn, key netip.Prefix) *conn {
	cn := &conn{Conn: c, srv: srv, key: key}
	cn.watching.Store(true)
	cn.deadline = time.Now().Add(srv.cfg.HandshakeTimeout)
	cn.timer = time.AfterFunc(srv.cfg.HandshakeTimeout, cn.expire)
	return cn
}

type connKey struct{}

// connOf is the connection a context belongs to.
func connOf(ctx ssh.Context) *conn {
	c, _ := ctx.Value(connKey{}).(*conn)
	return c
}

// Read follows the client's plain-text packets and notes a hang-up.
func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.watching.Load() || err != nil {
		c.mu.Lock()
		c.in.feed(p[:n])
		if errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
			c.hungUp = true
		}
		c.watching.Store(!c.in.done || !c.out.done)
		c.mu.Unlock()
	}
	return n, err
}

// Write follows the server's plain-text packets: its NEWKEYS follows the
// key-exchange reply at once, and from then on a person may be reading
// the host-key prompt.
func (c *conn) Write(p []byte) (int, error) {
	if c.watching.Load() {
		c.mu.Lock()
		c.out.feed(p)
		if c.out.done && c.phase == phaseKex {
			c.enter(phaseLogin)
		}
		c.watching.Store(!c.in.done || !c.out.done)
		c.mu.Unlock()
	}
	return c.Conn.Write(p)
}

// enter moves the connection to phase p: its limiter slots move with it,
// and its timer is set to p's bound. c.mu is held.
func (c *conn) enter(p phase) {
	from := c.phase
	c.phase = p
	c.srv.lim.move(c.key, from, p)
	var d time.Duration
	switch p {
	case phaseLogin:
		d = c.srv.cfg.LoginGrace
	case phaseAuthed:
		d = c.srv.cfg.HandshakeTimeout
	default:
		c.timer.Stop()
		return
	}
	c.deadline = time.Now().Add(d)
	c.timer.Reset(d)
}

// expire closes a connection that has outstayed its phase's bound.
func (c *conn) expire() {
	c.mu.Lock()
	if c.phase >= phaseSession || time.Now().Before(c.deadline) { // a stale firing
		c.mu.Unlock()
		return
	}
	c.expired = true
	c.mu.Unlock()
	_ = c.Close()
}

// authenticated moves the connection out of the pre-authentication caps.
func (c *conn) authenticated() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.phase < phaseAuthed {
		c.enter(phaseAuthed)
	}
}

// openSession counts a session channel; only the first may open.
func (c *conn) openSession() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions++
	if c.sessions > 1 {
		return false
	}
	if c.phase < phaseSession {
		c.enter(phaseSession)
	}
	return true
}

// Close releases the connection's slots and charges its source with what
// it owes.
func (c *conn) Close() error {
	c.once.Do(func() {
		c.mu.Lock()
		from := c.phase
		c.phase = phaseClosed
		c.timer.Stop()
		d, why := c.owed(from)
		c.mu.Unlock()
		// Charged before the slot is released, so that whoever sees the
		// slot free also sees the charge.
		if d > 0 && !c.srv.isClosing() {
			c.srv.charge(c.key, c.RemoteAddr(), d, why)
		}
		c.srv.lim.move(c.key, from, phaseClosed)
	})
	return c.Conn.Close()
}

// owed decides what a connection closing in phase p owes, from what it
// did: who hung up, in which phase, and what it had sent. c.mu is held.
func (c *conn) owed(p phase) (time.Duration, string) {
	switch {
	case c.expired && p == phaseKex:
		return c.srv.cfg.Limits.Penalty, chargeTimeout // silent or trickling
	case c.expired:
		return gracePenalty, chargeGrace // a forgotten prompt, or no session opened
	case p >= phaseAuthed:
		return 0, ""
	case c.in.bytes == 0:
		return 0, "" // a bare TCP connect: a port probe or a health check
	case !c.in.version:
		return c.srv.cfg.Limits.Penalty, chargeNotSSH
	case c.hungUp || c.in.last == msgDisconnect:
		return declinePenalty, chargeDeclined
	case p == phaseKex && c.in.last == msgKexInit:
		// The server gave up right after the client's KEXINIT: no
		// algorithm in common.
		return declinePenalty, chargeDeclined
	}
	return c.srv.cfg.Limits.Penalty, chargeProtocol
}

// attach hands the running browser its resizes and the channel's close;
// it returns the window size asked for before it ran, if any, and whether
// the channel is already closed.
func (c *conn) attach(resize func(w, h int), closed func()) (*ssh.Window, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onResize, c.onClose = resize, closed
	return c.pending, c.closed
}

// pendingWindow is the window size asked for while no browser ran, if any.
func (c *conn) pendingWindow() *ssh.Window {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending
}

// detach stops handing the browser anything.
func (c *conn) detach() {
	c.mu.Lock()
	c.onResize, c.onClose = nil, nil
	c.mu.Unlock()
}

// windowChanged hands a resize to the running browser without blocking,
// or keeps it for the browser to start at.
func (c *conn) windowChanged(w, h int) {
	c.mu.Lock()
	resize := c.onResize
	if resize == nil {
		c.pending = &ssh.Window{Width: w, Height: h}
	}
	c.mu.Unlock()
	if resize != nil {
		resize(w, h)
	}
}

// channelClosed notes that the client closed the session channel, and
// tells the running browser.
func (c *conn) channelClosed() {
	c.mu.Lock()
	c.closed = true
	f := c.onClose
	c.mu.Unlock()
	if f != nil {
		f()
	}
}
