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
	reasonEvicted  = "evicted"
)

// What a visitor over a session cap is told.
var refusedMessage = map[string]string{
	refusedBusy:      "busy — please try again in a minute",
	refusedPerSource: "too many connections from your address",
	refusedLobbyFull: "the room is full and so is the line — please try again in a few minutes",
	refusedCommands:  "busy — please try again in a minute",
}

// session is one SSH session being served.
type session struct {
	id     string
	ssh    ssh.Session
	conn   *conn
	start  time.Time
	out    counter
	status int // the exit status the client is sent

	in io.Reader // the visitor's input: the channel, or what the lobby hands on

	mu       sync.Mutex
	reason   string
	stop     context.CancelFunc // the running browser's
	seat     bool               // it holds a seat: a browser session
	seatGone bool               // its seat was given to a newcomer
	input    *activity          // the browser's input, for when it last had a key
}

// seated reports whether the session holds a seat that may be taken.
func (s *session) seated() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seat && !s.seatGone && s.input != nil
}

// lastInput is when the visitor last sent anything.
func (s *session) lastInput() time.Time {
	s.mu.Lock()
	in := s.input
	s.mu.Unlock()
	if in == nil {
		return time.Now()
	}
	return in.last()
}

// giveUpSeat marks the seat as given to a newcomer, so that it is not
// freed again when the session ends; false if it was already.
func (s *session) giveUpSeat() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seatGone || s.reason != "" {
		return false
	}
	s.seatGone = true
	return true
}

// ownsSeat reports whether the session's seat is still its own to free.
func (s *session) ownsSeat() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seat && !s.seatGone
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

// Write writes p in pieces of at most maxWrite bytes: the SSH channel
// and the transport under it each keep a buffer as large as the largest
// packet they have sent, for the connection's life, so one whole screen
// written at once (2 KB at 80×24, tens of KB at 256×96) would stay held
// by every idle session.
func (c *counter) Write(p []byte) (int, error) {
	c.stall.Reset(c.timeout)
	defer c.stall.Stop()
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), maxWrite)]
		n, err := c.w.Write(chunk)
		written += n
		c.n.Add(int64(n))
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// maxWrite is the largest piece a session writes to its channel at once.
const maxWrite = 1 << 10

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
	l     *loop
	fw    screenWriter
	ctx   context.Context
	stop  context.CancelFunc
	idle  *idle
	limit *time.Timer
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
	in := &activity{r: sess.in}
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
	sess.input = in
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
		idle:  s.idleTimer(sess, in, l),
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
		d := b.idleFor()
		if d >= time.Second {
			d = d.Round(time.Second)
		}
		fmt.Fprintf(&sess.out, "no input for %s — goodbye\r\n", d)
	case reasonEvicted:
		fmt.Fprintf(&sess.out, "closed to make room for a new visitor — thanks for reading; reconnect any time\r\n(or read the résumé as text: %s txt)\r\n", s.hostCommand())
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

// How long a visitor may send nothing shrinks as the room fills.
const (
	// minIdle is the idle timeout of a full room.
	minIdle = 2 * time.Minute
	// idleWarning is how long before the end a quiet visitor is asked
	// "still there?".
	idleWarning = 20 * time.Second
	// idleRecheck is the longest an idle timer sleeps: the room may fill
	// while it does, and the timeout with it shrink.
	idleRecheck = time.Minute
)

// idleLimit is how long a visitor may send nothing now: IdleTimeout while
// the room is at most half full, then less as it fills, down to minIdle
// when it is full.
func (s *Server) idleLimit() time.Duration {
	most := s.cfg.IdleTimeout
	least := min(minIdle, most)
	full := s.lim.occupancy()
	if full <= 0.5 {
		return most
	}
	f := min(1, (full-0.5)/0.5)
	return most - time.Duration(f*float64(most-least))
}

// idle watches a browser session's input: it asks the visitor "still
// there?" idleWarning before the idle limit, and ends the session at it.
// It counts input only: the browser's own output is not activity.
type idle struct {
	t      *time.Timer
	mu     sync.Mutex
	limit  time.Duration // the limit it last applied
	warned time.Time     // the quiet spell it last warned about, by its start
}

// idleTimer starts watching in for sess, whose loop l asks the visitor.
func (s *Server) idleTimer(sess *session, in *activity, l *loop) *idle {
	w := &idle{limit: s.cfg.IdleTimeout}
	check := func() {
		limit := s.idleLimit()
		last := in.last()
		quiet := time.Since(last)
		w.mu.Lock()
		w.limit = limit
		warn := quiet >= limit-idleWarning && !w.warned.Equal(last)
		if warn {
			w.warned = last
		}
		w.mu.Unlock()
		switch {
		case quiet >= limit:
			sess.end(reasonIdle)
			return
		case quiet >= limit-idleWarning:
			if warn {
				l.post(ui.StillThereMsg{})
			}
			w.t.Reset(limit - quiet)
		default:
			w.t.Reset(min(limit-idleWarning-quiet, idleRecheck))
		}
	}
	w.t = time.AfterFunc(min(s.cfg.IdleTimeout-idleWarning, idleRecheck), check)
	return w
}

// Stop stops watching.
func (w *idle) Stop() { w.t.Stop() }

// idleFor is the idle limit that ended the session, for its goodbye.
func (b *browser) idleFor() time.Duration {
	b.idle.mu.Lock()
	defer b.idle.mu.Unlock()
	return b.idle.limit
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
