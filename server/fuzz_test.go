package server

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"unicode/utf8"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
)

func fuzzServer(t testing.TB) *Server {
	s, err := New(Config{}, content.Default(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// FuzzCommand: whatever a client sends as a command, the answer is a known
// status, one short line on stderr when it fails, and never a panic.
func FuzzCommand(f *testing.F) {
	for _, c := range []string{"json", "md", "text --width 40", "txt -width=0", "help", "version", "rm -rf /", "text --width 99999999999999999999", "\x1b[31m", "text --", ""} {
		f.Add(c)
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) == 0 {
			return
		}
		var out, errOut bytes.Buffer
		status := s.command(args, strings.NewReader(""), &out, &errOut, caller{from: &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1)}})
		switch status {
		case 0:
			if errOut.Len() != 0 || out.Len() == 0 {
				t.Fatalf("%q: status 0 with stderr %q", line, errOut.String())
			}
		case 1, 2:
			msg := errOut.String()
			if out.Len() != 0 || strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") || len(msg) > 400 {
				t.Fatalf("%q: status %d, stderr %q", line, status, msg)
			}
			if strings.ContainsAny(strings.TrimSuffix(msg, "\n"), "\x1b\r\n\x00") || !utf8.ValidString(msg) {
				t.Fatalf("%q: raw client bytes in the message %q", line, msg)
			}
		default:
			t.Fatalf("%q: status %d", line, status)
		}
	})
}

// fuzzConn is a connection for the request filter alone: no SSH runs on it.
func fuzzConn(t *testing.T, s *Server) *conn {
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return &conn{Conn: a, srv: s}
}

// filterOnce runs one request through a connection's filter.
func filterOnce(c *conn, env *int, typ string, payload []byte) *gossh.Request {
	return (&filteredChannel{c: c}).filter(&gossh.Request{Type: typ, Payload: payload}, env)
}

// FuzzEnvRequest: no payload gets more than maxEnv variables in, nor one
// that is not on the allow-list or is too long.
func FuzzEnvRequest(f *testing.F) {
	f.Add("LANG", "en_GB.UTF-8", 1)
	f.Add("LD_PRELOAD", "/tmp/x", 3)
	f.Add("LC_ALL", strings.Repeat("x", 300), 20)
	f.Add("", "", 0)
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, key, value string, repeat int) {
		repeat = 1 + abs(repeat)%40
		st, env := fuzzConn(t, s), 0
		accepted := 0
		for range repeat {
			payload := gossh.Marshal(struct{ Key, Value string }{key, value})
			if filterOnce(st, &env, "env", payload) != nil {
				accepted++
			}
		}
		if accepted > maxEnv || (accepted > 0 && (!envAllowed(key) || len(value) > maxEnvValue)) {
			t.Fatalf("%q=%q ×%d: %d accepted", key, value, repeat, accepted)
		}
		// Raw bytes that are not an env payload at all.
		_ = filterOnce(st, &env, "env", []byte(key))
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}

// FuzzWindowSize: every pty-req and window-change that gets through says
// a size inside the clamp.
func FuzzWindowSize(f *testing.F) {
	f.Add(uint32(80), uint32(24), "xterm", false)
	f.Add(uint32(100000), uint32(100000), "xterm-256color", true)
	f.Add(uint32(0), uint32(0), "", true)
	f.Add(uint32(1<<31), uint32(1<<32-1), strings.Repeat("t", 100), false)
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, w, h uint32, term string, started bool) {
		st, env := fuzzConn(t, s), 0
		if started {
			st.onResize = func(w, h int) { checkClamped(t, uint32(w), uint32(h)) } //nolint:gosec // clamped
		}
		if req := filterOnce(st, &env, "pty-req", gossh.Marshal(ptyReq{Term: term, Columns: w, Rows: h})); req != nil {
			var p ptyReq
			if err := gossh.Unmarshal(req.Payload, &p); err != nil {
				t.Fatal(err)
			}
			checkClamped(t, p.Columns, p.Rows)
			if len(p.Term) > maxTermLen {
				t.Fatalf("TERM of %d bytes let through", len(p.Term))
			}
		}
		if req := filterOnce(st, &env, "window-change", gossh.Marshal(winReq{Columns: w, Rows: h})); req != nil {
			var p winReq
			if err := gossh.Unmarshal(req.Payload, &p); err != nil {
				t.Fatal(err)
			}
			checkClamped(t, p.Columns, p.Rows)
		}
		if st.pending != nil {
			checkClamped(t, uint32(st.pending.Width), uint32(st.pending.Height)) //nolint:gosec // clamped
		}
		_ = filterOnce(st, &env, "pty-req", []byte(term))
		_ = filterOnce(st, &env, "window-change", []byte(term))
	})
}

func checkClamped(t *testing.T, w, h uint32) {
	t.Helper()
	if w < 1 || h < 1 || w > DefaultMaxWidth || h > DefaultMaxHeight {
		t.Fatalf("window %d×%d let through", w, h)
	}
}
