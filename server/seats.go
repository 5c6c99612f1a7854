package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"time"
)

// How a full room is shared.
const (
	// evictIdle is how long a visitor must have sent nothing before their
	// seat may go to a newcomer from a source under its fair share.
	evictIdle = time.Minute
	// lobbyWait is the longest a visitor waits in the lobby.
	lobbyWait = 2 * time.Minute
)

// takeSeat gives a browser session a seat: a free one; else the seat of
// an idle visitor from a source over its fair share, when the session's
// source is under it; else a place in the lobby until a seat frees. False
// means the visitor was told why not, or left.
func (s *Server) takeSeat(sess *session) bool {
	key := sess.conn.key
	switch why := s.lim.startSession(key); why {
	case "":
		return true
	case refusedBusy:
		if s.evictFor(sess) {
			return true
		}
		return s.waitInLobby(sess)
	default:
		s.refuse(sess, why)
		return false
	}
}

// refuse tells the visitor why they get no session.
func (s *Server) refuse(sess *session, why string) {
	ss := sess.ssh
	s.log.Info("session refused", "id", sess.id, "remote", ss.RemoteAddr().String(), "reason", why)
	s.metrics.refused.WithLabelValues(why).Inc()
	fmt.Fprint(ss.Stderr(), refusedMessage[why]+"\r\n")
	_ = ss.Exit(1)
}

// evictFor takes the seat of the visitor who has gone longest without a
// keystroke, at least evictIdle, among the sources over their fair share,
// for sess, whose source is under it. Output and keepalives are not
// keystrokes. The visitor evicted is told why, kindly.
func (s *Server) evictFor(sess *session) bool {
	key := sess.conn.key
	fair := s.lim.fairShare(key)
	var victim *session
	var quiet time.Duration
	now := time.Now()
	s.mu.Lock()
	held := map[netip.Prefix]int{}
	for other := range s.sessions {
		if other.seated() {
			held[other.conn.key]++
		}
	}
	if held[key] >= fair {
		s.mu.Unlock()
		return false
	}
	for other := range s.sessions {
		if !other.seated() || held[other.conn.key] <= fair {
			continue
		}
		if q := now.Sub(other.lastInput()); q >= evictIdle && q > quiet {
			victim, quiet = other, q
		}
	}
	s.mu.Unlock()
	if victim == nil || !s.lim.evictable(key, victim.conn.key) || !victim.giveUpSeat() {
		return false
	}
	s.lim.moveSeat(victim.conn.key, key)
	s.metrics.evictions.WithLabelValues("idle over fair share").Inc()
	s.log.Info("session evicted", "id", victim.id, "for", sess.id, "idle", quiet.Round(time.Second).String())
	victim.end(reasonEvicted)
	return true
}

// waitInLobby shows the visitor their place in line until a seat is
// theirs (true), or they leave, or lobbyWait passes, or the server
// stops.
func (s *Server) waitInLobby(sess *session) bool {
	t, why := s.lim.wait(sess.conn.key)
	if why != "" {
		s.refuse(sess, why)
		return false
	}
	start := time.Now()
	outcome := "left"
	defer func() {
		s.metrics.lobbyWait.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
	}()
	ss := sess.ssh
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	sess.mu.Lock()
	sess.stop = cancel // Shutdown reaches a visitor in the lobby too
	stopped := sess.reason != ""
	sess.mu.Unlock()
	in := newHandoff(ss, ss.Context().Done())
	sess.in = in
	pty, _, _ := ss.Pty()
	dumb := pty.Term == "dumb"
	timeout := time.NewTimer(s.lobbyWait)
	defer timeout.Stop()
	shown := ""
	keys := in.peek()
	for !stopped {
		changed := s.lim.lobbyChanged()
		select {
		case <-t.ready:
		default:
			n, eta := s.lim.place(t)
			if screen := s.lobbyScreen(n, eta, dumb); screen != shown {
				shown = screen
				shallow(func() { _, _ = io.WriteString(&sess.out, screen) })
			}
		}
		select {
		case <-t.ready:
			outcome = "seated"
			if !dumb {
				_, _ = io.WriteString(&sess.out, "\x1b[2J\x1b[H")
			}
			return true
		case <-changed:
		case b, ok := <-keys:
			// Keys pressed while waiting are not the browser's. Input that
			// ends (ssh -t < /dev/null) is no wish to leave: the browser
			// still shows a screen to a visitor who cannot type.
			if !ok {
				keys = nil
			} else if bytes.ContainsAny(b, "qQ\x03\x04") {
				stopped = true
			}
		case <-timeout.C:
			outcome = "timeout"
			stopped = true
			fmt.Fprintf(&sess.out, "\r\nThe room is still full — sorry. Please try again in a few minutes, or read the résumé now: %s txt\r\n", s.hostCommand())
		case <-ctx.Done():
			stopped = true
		}
	}
	if s.lim.leave(t) { // seated as they left: the seat goes on
		s.lim.endSession(sess.conn.key)
	}
	if sess.why() == reasonShutdown {
		fmt.Fprint(&sess.out, "\r\nthe server is restarting — please reconnect\r\n")
	}
	_ = ss.Exit(1)
	return false
}

// shallow runs f on a goroutine of its own and waits for it: a write
// goes deep (the channel, the cipher), and a goroutine keeps its stack as
// deep as it has been, so the visitor's goroutine, which waits in the
// lobby for minutes, must not do it itself.
func shallow(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// lobbyScreen is what a visitor waiting at place n sees.
func (s *Server) lobbyScreen(n int, eta time.Duration, dumb bool) string {
	when := ""
	if eta > 0 {
		when = fmt.Sprintf(" (about %s)", roundWait(eta))
	}
	lines := []string{
		fmt.Sprintf("The room is full — you're #%d in line%s.", n, when),
		"",
		"You'll be let in as soon as a seat frees up; this screen follows the line.",
		"Meanwhile the résumé is one command away:",
		"",
		"  " + s.hostCommand() + " txt",
		"",
		"q leaves.",
	}
	out := strings.Join(lines, "\r\n") + "\r\n"
	if dumb {
		return "\r\n" + out
	}
	return "\x1b[2J\x1b[H" + out
}

// roundWait writes a wait for people: "40 s", "3 min".
func roundWait(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", max(5, int(d.Round(5*time.Second).Seconds())))
	}
	return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
}

// hostCommand is how a visitor reaches this server: "ssh HOST" with the
// public host when it is known.
func (s *Server) hostCommand() string {
	if c := s.sshCommand(); c != "" {
		return c
	}
	return "ssh HOST"
}

// handoff reads a session's input on a goroutine of its own, so that the
// lobby can watch for q while it waits and hand what follows to the
// browser. The goroutine ends with the input, or when done closes.
type handoff struct {
	ch  chan []byte
	buf []byte
}

func newHandoff(r io.Reader, done <-chan struct{}) *handoff {
	h := &handoff{ch: make(chan []byte)}
	go func() {
		defer close(h.ch)
		p := make([]byte, 512)
		for {
			n, err := r.Read(p)
			if n > 0 {
				select {
				case h.ch <- bytes.Clone(p[:n]):
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return h
}

// peek is the channel input arrives on, for the lobby's select.
func (h *handoff) peek() <-chan []byte { return h.ch }

// Read is the browser's input, once seated.
func (h *handoff) Read(p []byte) (int, error) {
	if len(h.buf) == 0 {
		b, ok := <-h.ch
		if !ok {
			return 0, io.EOF
		}
		h.buf = b
	}
	n := copy(p, h.buf)
	h.buf = h.buf[n:]
	return n, nil
}
