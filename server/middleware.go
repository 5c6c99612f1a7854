package server

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"charm.land/ssh"
)

// A session passes through the server's middleware, each small and doing
// one thing. As in wish, the last listed runs first:
//
//	chain(s.dispatch, s.recovery, s.accounting)
//
//   - accounting tracks the session for Shutdown, applies the session
//     caps, counts it in the metrics, writes its two log lines and sends
//     its exit status;
//   - recovery turns a panic into "internal error" and status 1, inside
//     accounting so that the end line and the metrics record it;
//   - dispatch serves it: the browser, plain text, or a command.
//
// Tests put their own middleware into a chain of their own (see
// Server.handler).

// handler serves one session and sets its status.
type handler func(sess *session)

// middleware wraps a handler in one concern.
type middleware func(next handler) handler

// chain wraps h in mw, the last listed outermost.
func chain(h handler, mw ...middleware) handler {
	for _, m := range mw {
		h = m(h)
	}
	return h
}

// serveSSH is charm.land/ssh's handler: every session starts here.
func (s *Server) serveSSH(ss ssh.Session) {
	sess := &session{id: s.sessionID(), ssh: ss, in: ss, conn: connOf(ss.Context()), start: time.Now()}
	sess.out.w, sess.out.timeout = ss, s.cfg.Limits.WriteTimeout
	sess.out.stall = time.AfterFunc(time.Hour, func() {
		// Closing the connection is what unblocks the stuck write.
		sess.end(reasonStalled)
		_ = sess.conn.Close()
	})
	sess.out.stall.Stop()
	defer sess.out.stall.Stop()
	s.handler(sess)
}

// accounting admits a session past the caps and accounts for it from its
// start to its exit status. Its work is in begin and finish, so that the
// frame that stays on the stack for the whole session is small: every
// session's goroutine keeps its stack as deep as it has been.
func (s *Server) accounting(next handler) handler {
	return func(sess *session) {
		if !s.begin(sess) {
			return
		}
		defer s.untrack(sess)
		next(sess)
		s.finish(sess)
	}
}

// begin tracks the session, applies the caps and writes the start line;
// false means it was refused, and has been told so.
//
//go:noinline
func (s *Server) begin(sess *session) bool {
	ss := sess.ssh
	if !s.track(sess) {
		fmt.Fprint(ss.Stderr(), "the server is restarting — please reconnect\r\n")
		_ = ss.Exit(1)
		return false
	}
	if kindOf(ss) == kindBrowser {
		// A seat, a newcomer's share of a full room, or the lobby.
		if !s.takeSeat(sess) {
			s.untrack(sess)
			return false
		}
		sess.mu.Lock()
		sess.seat = true
		sess.mu.Unlock()
	} else if why := s.lim.startCommand(); why != "" {
		// Commands are short, and have a budget of their own.
		s.untrack(sess)
		s.refuse(sess, why)
		return false
	}
	_, _, open := s.lim.counts()
	s.reclaim.opened(open)
	pty, _, isPty := ss.Pty()
	term, window := "", ""
	if isPty {
		term = pty.Term
		window = fmt.Sprintf("%dx%d", pty.Window.Width, pty.Window.Height)
	}
	s.metrics.sessions.WithLabelValues(kindOf(ss)).Inc()
	s.metrics.active.Inc()
	s.log.Info("session start", "id", sess.id, "remote", ss.RemoteAddr().String(),
		"user", sanitize(ss.User()), "term", sanitize(term), "window", window,
		"command", sanitize(strings.Join(ss.Command(), " ")))
	return true
}

// finish counts the session's end, frees its slot, writes the end line and
// sends the exit status.
//
//go:noinline
func (s *Server) finish(sess *session) {
	ss := sess.ssh
	sess.end(reasonDone)
	took := time.Since(sess.start)
	// Counted before the gauge drops, so that a scrape that sees the
	// session gone also sees how it ended.
	s.metrics.ended.WithLabelValues(sess.why()).Inc()
	s.metrics.duration.Observe(took.Seconds())
	s.metrics.bytes.Add(float64(sess.out.n.Load()))
	s.metrics.active.Dec()
	// The slot is free before the client hears the exit status, so that
	// it can connect again at once.
	switch {
	case kindOf(ss) != kindBrowser:
		s.lim.endCommand()
	case sess.ownsSeat():
		s.lim.endSession(sess.conn.key)
	}
	s.log.Info("session end", "id", sess.id, "duration", took.Round(time.Millisecond).String(),
		"bytes", sess.out.n.Load(), "status", sess.status, "reason", sess.why())
	_ = ss.Exit(sess.status)
	if sess.why() == reasonOverran {
		// Whatever the stuck step holds, the connection goes now.
		_ = sess.conn.Close()
	}
	_, _, open := s.lim.counts()
	s.reclaim.closed(open)
}

// recovery ends a session whose handler panicked with "internal error"
// and status 1, and logs the panic with its stack.
func (s *Server) recovery(next handler) handler {
	return func(sess *session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("session panic", "id", sess.id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				fmt.Fprint(sess.ssh.Stderr(), "internal error\r\n")
				sess.end(reasonPanic)
				sess.status = 1
			}
		}()
		next(sess)
	}
}

// dispatch serves a session: a command, the browser for a terminal, or
// the plain text.
func (s *Server) dispatch(sess *session) {
	switch kindOf(sess.ssh) {
	case kindCommand:
		s.runCommand(sess)
	case kindBrowser:
		sess.status = s.browse(sess, sess.conn)
	default:
		_, _ = io.WriteString(&sess.out, s.doc().Text(80, s.cfg.Now()))
	}
}

// runCommand runs the session's exec command.
//
//go:noinline
func (s *Server) runCommand(sess *session) {
	ss := sess.ssh
	_, _, pty := ss.Pty()
	sess.status = s.command(ss.Command(), ss, &sess.out, ss.Stderr(), caller{pty: pty, owner: s.isOwner(ss.User()), from: ss.RemoteAddr()})
}

// kindOf is what a session asks for, as resume_sessions_total counts it.
func kindOf(ss ssh.Session) string {
	_, _, isPty := ss.Pty()
	switch {
	case len(ss.Command()) > 0:
		return kindCommand
	case isPty:
		return kindBrowser
	}
	return kindText
}
