package server

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"

	"github.com/resume-ssh/resume/ui"
)

// Why a session ended, as the log says it.
const (
	reasonDone     = "done"
	reasonQuit     = "quit"
	reasonShutdown = "shutdown"
	reasonIdle     = "idle"
	reasonTimeout  = "session time limit"
	reasonClosed   = "client closed"
	reasonPanic    = "panic"
	reasonStalled  = "client stopped reading"
	reasonOverran  = "step overran"
)

// What a visitor over a session cap is told.
var refusedMessage = map[string]string{
	refusedBusy:      "busy — please try again in a minute",
	refusedPerSource: "too many connections from your address",
}

// session is one SSH session being served.
type session struct {
	id     string
	ssh    ssh.Session
	conn   *conn
	start  time.Time
	out    counter
	status int // the exit status the client is sent

	mu     sync.Mutex
	reason string
	stop   context.CancelFunc // the running browser's
}

// end asks the session to finish for reason; the first reason given wins.
// It never blocks, even while the browser is stuck writing to a client
// that stopped reading.
func (s *session) end(reason string) {
	s.mu.Lock()
	if s.reason == "" {
		s.reason = reason
	}
	stop := s.stop
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
}

func (s *session) why() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// counter counts the bytes written to the visitor, and fires stall when
// one write takes longer than timeout: a client that stops reading must
// not hold a session, and its buffers, for ever.
type counter struct {
	w       io.Writer
	n       atomic.Int64
	stall   *time.Timer
	timeout time.Duration
}

func (c *counter) Write(p []byte) (int, error) {
	c.stall.Reset(c.timeout)
	n, err := c.w.Write(p)
	c.stall.Stop()
	c.n.Add(int64(n))
	return n, err
}

func (s *Server) sessionID() string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], s.nextID.Add(1))
	return hex.EncodeToString(b[4:])
}

// browserConn is what a running browser needs of its connection: its
// resizes, the channel's close, and a way to drop it.
type browserConn interface {
	pendingWindow() *ssh.Window
	attach(resize func(w, h int), closed func()) (pending *ssh.Window, gone bool)
	detach()
}

// browse runs the browser for a visitor with a terminal. It is three
// steps, so that what stays on the session goroutine's stack while the
// visitor browses, for hours, is little: every goroutine keeps its stack
// as deep as it has ever been.
func (s *Server) browse(sess *session, c browserConn) int {
	b := s.openBrowser(sess, c)
	if b == nil {
		return 0
	}
	quit, err := b.l.run(b.ctx)
	return s.closeBrowser(sess, c, b, quit, err)
}

// browser is a running browser's parts.
type browser struct {
	l           *loop
	fw          screenWriter
	ctx         context.Context
	stop        context.CancelFunc
	idle, limit *time.Timer
}

// openBrowser makes the browser for the session's window and terminal;
// nil when the session has already been ended.
//
//go:noinline
func (s *Server) openBrowser(sess *session, c browserConn) *browser {
	ss := sess.ssh
	pty, _, _ := ss.Pty()
	w, h := s.clamp(pty.Window.Width, pty.Window.Height)
	if p := c.pendingWindow(); p != nil {
		w, h = s.clamp(p.Width, p.Height)
	}
	env := append(ss.Environ(), "TERM="+pty.Term)
	in := &activity{r: ss}
	in.touch(time.Now())
	// Colours are written in full and brought down to what this visitor's
	// terminal shows, or dropped.
	var fw screenWriter = newFrameWriter(profileWriter{out: &sess.out, profile: colorprofile.Env(env), memo: s.conversions}, w, h)
	reader := pty.Term == "dumb"
	if reader {
		fw = &lineWriter{out: &sess.out, width: w, height: h}
	}
	opts := []ui.Option{ui.WithClock(s.cfg.Now), ui.WithSize(w, h), ui.WithReader(reader)}
	if s.cfg.Inbox != nil {
		opts = append(opts, ui.WithNotes(s.noteSaver(ss.RemoteAddr())))
	}
	l := newLoop(s.browser(opts...), fw, in, s.guard)
	l.unsupported = s.unsupported.note
	ctx, stop := context.WithCancel(ss.Context())
	sess.mu.Lock()
	sess.stop = stop
	stopped := sess.reason != ""
	sess.mu.Unlock()
	if stopped {
		stop()
		return nil
	}
	p, gone := c.attach(l.resize, func() { sess.end(reasonClosed) })
	if gone {
		sess.end(reasonClosed)
	}
	if p != nil { // a change that came while the loop was being made
		l.resize(s.clamp(p.Width, p.Height))
	}
	return &browser{
		l: l, fw: fw, ctx: ctx, stop: stop,
		idle:  s.idleTimer(sess, in),
		limit: time.AfterFunc(s.cfg.SessionTimeout, func() { sess.end(reasonTimeout) }),
	}
}

// closeBrowser gives the visitor their terminal back and says why the
// session ended.
//
//go:noinline
func (s *Server) closeBrowser(sess *session, c browserConn, b *browser, quit bool, err error) int {
	defer b.stop()
	c.detach()
	b.idle.Stop()
	b.limit.Stop()
	// An abandoned step never draws, so the screen is the loop's to
	// restore even when one is stuck.
	_ = b.fw.close()
	if errors.Is(err, errOverran) {
		sess.end(reasonOverran)
		fmt.Fprint(&sess.out, "internal error\r\n")
		return 1
	}
	switch sess.why() {
	case reasonShutdown:
		fmt.Fprint(&sess.out, "the server is restarting — please reconnect\r\n")
	case reasonIdle:
		fmt.Fprintf(&sess.out, "no input for %s — goodbye\r\n", s.cfg.IdleTimeout)
	case reasonTimeout:
		fmt.Fprintf(&sess.out, "session time limit of %s reached — goodbye\r\n", s.cfg.SessionTimeout)
	case "":
		if quit {
			sess.end(reasonQuit)
		} else { // no reason was given, so the connection ended
			sess.end(reasonClosed)
		}
	}
	return 0
}

// idleTimer ends the session when the visitor has sent nothing for the
// idle timeout. It counts input only: the browser's own output is not
// activity.
func (s *Server) idleTimer(sess *session, in *activity) *time.Timer {
	var t *time.Timer
	check := func() {
		quiet := time.Since(in.last())
		if quiet >= s.cfg.IdleTimeout {
			sess.end(reasonIdle)
			return
		}
		t.Reset(s.cfg.IdleTimeout - quiet)
	}
	t = time.AfterFunc(s.cfg.IdleTimeout, check)
	return t
}

// activity is the visitor's input, noting when it last arrived.
type activity struct {
	r    io.Reader
	mu   sync.Mutex
	when time.Time
}

func (a *activity) Read(p []byte) (int, error) {
	n, err := a.r.Read(p)
	if n > 0 {
		a.touch(time.Now())
	}
	return n, err
}

func (a *activity) touch(t time.Time) {
	a.mu.Lock()
	a.when = t
	a.mu.Unlock()
}

func (a *activity) last() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.when
}
