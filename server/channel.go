package server

import (
	"strings"

	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// envAllowed is what a visitor's environment may set: locale and colour
// preferences. Nothing else is read, so nothing else is kept.
func envAllowed(key string) bool {
	switch key {
	case "LANG", "COLORTERM", "NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM_PROGRAM":
		return true
	}
	return strings.HasPrefix(key, "LC_")
}

// sessionChannel accepts one session channel per connection and filters
// its requests before charm.land/ssh sees them.
func (s *Server) sessionChannel(srv *ssh.Server, conn *gossh.ServerConn, newChan gossh.NewChannel, ctx ssh.Context) {
	c := connOf(ctx)
	if !c.openSession() {
		s.charge(c.key, c.RemoteAddr(), s.cfg.Limits.Penalty, chargeRequest)
		_ = newChan.Reject(gossh.ResourceShortage, "one session per connection")
		return
	}
	ssh.DefaultSessionHandler(srv, conn, &filteredChannel{NewChannel: newChan, c: c}, ctx)
}

type filteredChannel struct {
	gossh.NewChannel
	c *conn
}

func (c *filteredChannel) Accept() (gossh.Channel, <-chan *gossh.Request, error) {
	ch, reqs, err := c.NewChannel.Accept()
	if err != nil {
		return nil, nil, err
	}
	out := make(chan *gossh.Request)
	// Ends when the client closes the channel and reqs is closed. A
	// browser whose channel is closed ends then, not when the connection
	// does: a client may keep the connection open.
	go func() {
		defer close(out)
		defer c.c.channelClosed()
		env := 0
		for req := range reqs {
			// Parsing a request goes deeper than waiting for the next:
			// done on a goroutine of its own, it leaves this one, which
			// lives as long as the channel, with a small stack.
			var fwd *gossh.Request
			shallow(func() { fwd = c.filter(req, &env) })
			if fwd != nil {
				out <- fwd
			}
		}
	}()
	return ch, out, nil
}

// filter answers refused requests itself, rewrites window sizes to the
// clamp, and returns what charm.land/ssh should handle, or nil.
func (c *filteredChannel) filter(req *gossh.Request, env *int) *gossh.Request {
	refuse := func() {
		if req.WantReply {
			_ = req.Reply(false, nil)
		}
	}
	// A request that is malformed or over a limit is hostile, not a
	// preference: it counts against the source.
	srv := c.c.srv
	hostile := func() {
		srv.charge(c.c.key, c.c.RemoteAddr(), srv.cfg.Limits.Penalty, chargeRequest)
		refuse()
	}
	switch req.Type {
	case "env":
		var kv struct{ Key, Value string }
		switch {
		case gossh.Unmarshal(req.Payload, &kv) != nil || len(kv.Value) > maxEnvValue || len(kv.Key) > maxEnvValue:
			hostile()
			return nil
		case *env >= maxEnv || !envAllowed(kv.Key):
			refuse()
			return nil
		}
		*env++
		return req
	case "pty-req":
		var p ptyReq
		if gossh.Unmarshal(req.Payload, &p) != nil || len(p.Term) > maxTermLen {
			hostile()
			return nil
		}
		p.Columns, p.Rows = srv.clampU(p.Columns, p.Rows)
		req.Payload = gossh.Marshal(p)
		return req
	case "window-change":
		var w winReq
		if gossh.Unmarshal(req.Payload, &w) != nil {
			hostile()
			return nil
		}
		w.Columns, w.Rows = srv.clampU(w.Columns, w.Rows)
		// Window changes never reach charm.land/ssh: its window channel
		// has one slot, which the pty request already fills, so a change
		// that nobody reads (before the shell, in a command, as a browser
		// ends) would block its request loop, and leak it, for good. The
		// running browser gets them here, without blocking; otherwise the
		// latest is kept for the browser to start at.
		c.c.windowChanged(int(w.Columns), int(w.Rows))
		if req.WantReply {
			_ = req.Reply(true, nil)
		}
		return nil
	case "exec":
		var cmd struct{ Value string }
		if gossh.Unmarshal(req.Payload, &cmd) != nil || len(cmd.Value) > maxCommandLen {
			hostile()
			return nil
		}
		return req
	case "shell":
		return req
	case "auth-agent-req@openssh.com", "x11-req", "subsystem":
		refuse()
		return nil
	}
	return req
}

type ptyReq struct {
	Term          string
	Columns, Rows uint32
	Width, Height uint32
	Modes         string
}

type winReq struct {
	Columns, Rows uint32
	Width, Height uint32
}

// clampU clamps a window size from the wire.
func (s *Server) clampU(w, h uint32) (uint32, uint32) {
	cw, ch := s.clamp(int(min(w, 1<<20)), int(min(h, 1<<20)))
	return uint32(cw), uint32(ch) //nolint:gosec // clamped to small positive numbers
}

// clamp bounds a window size so that one session's screen buffers stay
// small: at most MaxWidth×MaxHeight, and at least 1×1.
func (s *Server) clamp(w, h int) (int, int) {
	return max(1, min(w, s.cfg.MaxWidth)), max(1, min(h, s.cfg.MaxHeight))
}
