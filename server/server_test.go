package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/log/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"go.uber.org/goleak"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
)

func TestMain(m *testing.M) {
	// tea.Program's input reader (in TestLoopConformsToProgram, the only
	// test that runs one with input) can be left sending an event to the
	// program it outlived: Bubble Tea's goroutine, not ours.
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("github.com/charmbracelet/ultraviolet.(*TerminalReader).sendEvents"))
}

var now = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

// logBuf is a log destination tests can read while the server writes.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type testServer struct {
	*Server
	addr string
	logs *logBuf
	done chan error
}

// startServer serves the default résumé on a free loopback port. Test
// middleware, if any, runs inside recovery, just before dispatch.
func startServer(t testing.TB, cfg Config, mw ...middleware) *testServer {
	t.Helper()
	return startServerDoc(t, cfg, content.Default(), mw...)
}

// startServerDoc serves doc.
func startServerDoc(t testing.TB, cfg Config, doc *content.Resume, mw ...middleware) *testServer {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	logs := &logBuf{}
	srv, err := New(cfg, doc, log.NewWithOptions(logs, log.Options{Level: log.DebugLevel}))
	if err != nil {
		t.Fatal(err)
	}
	if len(mw) > 0 {
		srv.handler = chain(srv.dispatch, append(mw, srv.recovery, srv.accounting)...)
	}
	// A command the loop cannot carry out fails the test.
	srv.unsupported.report = func(kind string) { t.Errorf("the loop met a Bubble Tea message it does not support: %s", kind) }
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: srv, addr: l.Addr().String(), logs: logs, done: make(chan error, 1)}
	go func() { ts.done <- srv.Serve(l) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-ts.done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return ts
}

func (ts *testServer) dial(t testing.TB) *gossh.Client {
	t.Helper()
	return ts.dialConfig(t, &gossh.ClientConfig{User: "visitor", HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: 10 * time.Second})
}

// session opens a session on a new connection; both close when the test
// ends, if not before.
func (ts *testServer) session(t testing.TB) *gossh.Session {
	t.Helper()
	sess, err := ts.dial(t).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	return sess
}

func (ts *testServer) dialConfig(t testing.TB, cfg *gossh.ClientConfig) *gossh.Client {
	t.Helper()
	c, err := gossh.Dial("tcp", ts.addr, cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// run runs a command without a PTY and returns stdout, stderr and status.
func (ts *testServer) run(t *testing.T, cmd string) (string, string, int) {
	t.Helper()
	sess := ts.session(t)
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	var err error
	if cmd == "" {
		err = sess.Shell()
		if err == nil {
			err = sess.Wait()
		}
	} else {
		err = sess.Run(cmd)
	}
	status := 0
	var exit *gossh.ExitError
	if errors.As(err, &exit) {
		status = exit.ExitStatus()
	} else if err != nil {
		t.Fatalf("%q: %v", cmd, err)
	}
	return out.String(), errOut.String(), status
}

// screen is what a visitor's terminal shows: the session's output fed to
// a terminal emulator, so that tests read the screen, not the stream of
// diffs that draws it.
type screen struct {
	t   *testing.T
	emu *vt.SafeEmulator
}

func readScreen(t *testing.T, r io.Reader, w, h int) *screen {
	// The emulator is a real screen: a test that asks the server for an
	// absurd size must not get one here either.
	w, h = min(w, DefaultMaxWidth), min(h, DefaultMaxHeight)
	s := &screen{t: t, emu: vt.NewSafeEmulator(w, h)}
	go func() { // the emulator's answers to queries; ends when it is closed
		_, _ = io.Copy(io.Discard, s.emu)
	}()
	go func() { // ends when the session's output does
		_, _ = io.Copy(s.emu, r)
	}()
	// Closing the reply pipe ends the drain; Emulator.Close would race
	// with the Read in progress.
	t.Cleanup(func() { _ = s.emu.InputPipe().(*io.PipeWriter).Close() })
	return s
}

func (s *screen) text() string { return ansi.Strip(s.emu.Render()) }

func (s *screen) resize(w, h int) { s.emu.Resize(w, h) }

func (s *screen) waitFor(want string) {
	s.t.Helper()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(s.text(), want) {
		select {
		case <-deadline:
			s.t.Fatalf("%q never appeared; the screen had:\n%s", want, s.text())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (ts *testServer) browse(t *testing.T, w, h int) (*gossh.Session, io.WriteCloser, *screen) {
	t.Helper()
	return ts.browseAs(t, "xterm-256color", w, h, nil)
}

// browseAs opens the browser in a terminal of type term, copying what the
// server sends to raw as well, if it is not nil.
func (ts *testServer) browseAs(t *testing.T, term string, w, h int, raw io.Writer) (*gossh.Session, io.WriteCloser, *screen) {
	t.Helper()
	sess := ts.session(t)
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if raw != nil {
		stdout = io.TeeReader(stdout, raw)
	}
	scr := readScreen(t, stdout, w, h)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return sess, stdin, scr
}

func TestBrowserOverPTY(t *testing.T) {
	ts := startServer(t, Config{})
	sess, stdin, scr := ts.browse(t, 120, 40)
	scr.waitFor("Principal Engineer")
	scr.waitFor("Infrastructure Practice Area…") // wide: the list cuts the organisation
	if !strings.Contains(scr.text(), "│") {
		t.Errorf("120 columns is not the wide layout:\n%s", scr.text())
	}
	scr.resize(70, 20)
	if err := sess.WindowChange(20, 70); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("Infrastructure Practice Area - Compute") // narrow: the list is full width
	if s := scr.text(); strings.Contains(s, "│") {
		t.Errorf("the narrow layout still shows the detail pane:\n%s", s)
	}
	if _, err := io.WriteString(stdin, "q"); err != nil {
		t.Fatal(err)
	}
	if err := sess.Wait(); err != nil {
		t.Errorf("q: %v", err)
	}
	if l := ts.logs.String(); !strings.Contains(l, "term=xterm-256color") || !strings.Contains(l, "window=120x40") || !strings.Contains(l, "reason=quit") {
		t.Errorf("log:\n%s", l)
	}
}

func TestCommandsEqualExports(t *testing.T) {
	ts := startServer(t, Config{Version: "1.2.3"})
	doc := content.Default()
	js, err := doc.JSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ cmd, want string }{
		{"json", string(js)},
		{"markdown", string(doc.Markdown())},
		{"md", string(doc.Markdown())},
		{"text", doc.Text(80, now)},
		{"txt --width 40", doc.Text(40, now)},
		{"text --width=120", doc.Text(120, now)},
		{"", doc.Text(80, now)}, // no PTY, no command
		{"version", "resume 1.2.3\n"},
		{"help", helpText(false, false)}, // no inbox here
	} {
		out, errOut, status := ts.run(t, tc.cmd)
		if out != tc.want || status != 0 || errOut != "" {
			t.Errorf("%q: status %d, stderr %q, stdout differs: %v", tc.cmd, status, errOut, out != tc.want)
		}
	}
	for _, tc := range []struct {
		cmd    string
		status int
		stderr string
	}{
		{"rm -rf /", 1, "unknown command \"rm\"; try \"help\"\n"},
		{"bash", 1, "unknown command \"bash\"; try \"help\"\n"},
		{"text --width 5", 2, "text: --width must be between 20 and 1000, not 5\n"},
		{"text --width abc", 2, "text: --width wants a number of columns, such as --width 100\n"},
		{"txt --height 5", 2, "txt: flag provided but not defined: -height; usage: txt [--width N]\n"},
		{"text 100", 2, "text: unexpected argument \"100\"; usage: text [--width N]\n"},
		{"json please", 2, "json takes no arguments; try \"help\"\n"},
	} {
		out, errOut, status := ts.run(t, tc.cmd)
		if status != tc.status || errOut != tc.stderr || out != "" {
			t.Errorf("%q: status %d, stderr %q, stdout %q", tc.cmd, status, errOut, out)
		}
	}
}

func TestRefusesForwardingAgentX11Subsystems(t *testing.T) {
	ts := startServer(t, Config{})
	c := ts.dial(t)
	if conn, err := c.Dial("tcp", "127.0.0.1:22"); err == nil {
		conn.Close()
		t.Error("local port forwarding was allowed")
	}
	if l, err := c.Listen("tcp", "127.0.0.1:0"); err == nil {
		l.Close()
		t.Error("remote port forwarding was allowed")
	}
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	for _, req := range []string{"auth-agent-req@openssh.com", "x11-req"} {
		if ok, err := sess.SendRequest(req, true, nil); ok || err != nil {
			t.Errorf("%s: ok %v err %v", req, ok, err)
		}
	}
	if err := sess.RequestSubsystem("sftp"); err == nil {
		t.Error("sftp subsystem was allowed")
	}
}

func TestHostKeyPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	k1, err := LoadOrCreateHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateHostKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.PublicKey().Marshal(), k2.PublicKey().Marshal()) {
		t.Fatal("the host key changed between two starts")
	}
	if k1.PublicKey().Type() != gossh.KeyAlgoED25519 {
		t.Errorf("host key type %s", k1.PublicKey().Type())
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, HostKeyFile): 0o600} {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v", path, fi.Mode().Perm(), err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the data directory holds %d files; temporary files were left", len(entries))
	}
}

func TestCorruptHostKeyStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, HostKeyFile)
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateHostKey(dir); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("corrupt key: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "not a key" {
		t.Error("the corrupt key file was replaced")
	}
}

func TestPanicIsContained(t *testing.T) {
	var once sync.Once
	ts := startServer(t, Config{}, func(next handler) handler {
		return func(sess *session) {
			once.Do(func() { panic("boom") })
			next(sess)
		}
	})
	_, errOut, status := ts.run(t, "version")
	if status != 1 || errOut != "internal error\r\n" {
		t.Errorf("panicking session: status %d stderr %q", status, errOut)
	}
	if out, _, status := ts.run(t, "version"); status != 0 || out != "resume dev\n" {
		t.Errorf("after a panic: status %d out %q", status, out)
	}
	if l := ts.logs.String(); !strings.Contains(l, "session panic") || !strings.Contains(l, "boom") || !strings.Contains(l, "goroutine") {
		t.Errorf("the panic and its stack are not logged:\n%s", l)
	}
	// Recovery runs inside accounting: the session's end line and the
	// metrics record how it ended.
	if l := ts.logs.String(); !strings.Contains(l, "status=1 reason=panic") {
		t.Errorf("the session's end line does not record the panic:\n%s", l)
	}
	if got := metricValue(t, scrape(t, ts.MetricsHandler()), `resume_sessions_ended_total{reason="panic"}`); got != 1 {
		t.Errorf("resume_sessions_ended_total{reason=\"panic\"} = %v", got)
	}
}

func TestShutdownTellsVisitors(t *testing.T) {
	ts := startServer(t, Config{})
	sess, _, scr := ts.browse(t, 100, 30)
	scr.waitFor("Principal Engineer")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("the server is restarting — please reconnect")
	_ = sess.Wait()
	if _, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: "x", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: time.Second}); err == nil {
		t.Error("a new connection was accepted after Shutdown")
	}
}

func TestIdleInputEndsSession(t *testing.T) {
	// The test's date clock stands still: the idle timeout must not use it.
	ts := startServer(t, Config{IdleTimeout: 300 * time.Millisecond})
	sess, stdin, scr := ts.browse(t, 100, 30)
	scr.waitFor("Principal Engineer")
	// Input within the limit keeps the session alive.
	for range 3 {
		time.Sleep(150 * time.Millisecond) // a visitor typing now and then: the pauses are the behaviour
		if _, err := io.WriteString(stdin, "j"); err != nil {
			t.Fatal(err)
		}
	}
	scr.waitFor("no input for 300ms — goodbye")
	if err := sess.Wait(); err != nil {
		t.Errorf("idle session ended with %v", err)
	}
	if l := ts.logs.String(); !strings.Contains(l, "reason=idle") {
		t.Errorf("log:\n%s", l)
	}
}

func TestWindowSizesAreClamped(t *testing.T) {
	ts := startServer(t, Config{})
	sess, stdin, scr := ts.browse(t, 100000, 100000)
	scr.waitFor("Principal Engineer")
	if err := sess.WindowChange(1<<30, 1<<30); err != nil {
		t.Fatal(err)
	}
	_, _ = io.WriteString(stdin, "q")
	_ = sess.Wait()
	if l := ts.logs.String(); !strings.Contains(l, fmt.Sprintf("window=%dx%d", DefaultMaxWidth, DefaultMaxHeight)) {
		t.Errorf("the initial window was not clamped:\n%s", l)
	}
}

func TestWindowChangeBeforeShellDoesNotHang(t *testing.T) {
	ts := startServer(t, Config{})
	sess := ts.session(t)
	if err := sess.RequestPty("xterm", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := sess.WindowChange(30+i, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	stdout, _ := sess.StdoutPipe()
	stdin, _ := sess.StdinPipe()
	scr := readScreen(t, stdout, 102, 32)
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("Principal Engineer")
	// The screen is laid out for the last size, not the pty request's
	// 80×24: the wide layout, and the footer on the 32nd row.
	scr.waitFor("│")
	if rows := strings.Split(scr.text(), "\n"); len(rows) < 32 || !strings.Contains(rows[31], "q quit") {
		t.Errorf("the screen is not laid out for 102×32:\n%s", scr.text())
	}
	_, _ = io.WriteString(stdin, "q")
	if err := sess.Wait(); err != nil {
		t.Fatal(err)
	}
}

func TestOneSessionPerConnection(t *testing.T) {
	ts := startServer(t, Config{})
	c := ts.dial(t)
	s1, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s1.Close()
	if s2, err := c.NewSession(); err == nil {
		s2.Close()
		t.Fatal("a second session channel was accepted")
	}
}

func TestEnvironmentIsBounded(t *testing.T) {
	ts := startServer(t, Config{})
	sess := ts.session(t)
	if err := sess.Setenv("LD_PRELOAD", "/tmp/x.so"); err == nil {
		t.Error("LD_PRELOAD was accepted")
	}
	if err := sess.Setenv("LANG", strings.Repeat("x", 10_000)); err == nil {
		t.Error("a 10 KB value was accepted")
	}
	accepted := 0
	for range 100 {
		if sess.Setenv("LC_ALL", "C") == nil {
			accepted++
		}
	}
	if accepted != maxEnv {
		t.Errorf("%d environment requests accepted, want %d", accepted, maxEnv)
	}
}

func TestLegacyAlgorithmsFail(t *testing.T) {
	ts := startServer(t, Config{})
	for _, cfg := range []gossh.Config{
		{KeyExchanges: []string{"diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1"}},
		{MACs: []string{"hmac-sha1", "hmac-sha1-96"}, Ciphers: []string{"aes128-ctr"}},
	} {
		_, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{Config: cfg, User: "x", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
		if err == nil {
			t.Errorf("legacy client %+v negotiated", cfg)
		}
	}
}

func TestLogsAreSanitised(t *testing.T) {
	ts := startServer(t, Config{})
	c := ts.dialConfig(t, &gossh.ClientConfig{User: "evil\x1b[31m\r\nFAKE LINE", HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	_ = sess.Run("version")
	l := ts.logs.String()
	if strings.Contains(l, "\x1b[31m") || strings.Contains(l, "\nFAKE LINE") {
		t.Errorf("raw control bytes reached the log:\n%q", l)
	}
	if !strings.Contains(l, `evil\x1b[31m\x0d\x0aFAKE LINE`) {
		t.Errorf("user not logged in escaped form:\n%s", l)
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"a\x00b\x7fc":            `a\x00b\x7fc`,
		"\u202eevil":             `\u202eevil`,
		"bad\xffutf8":            `bad\xffutf8`,
		strings.Repeat("x", 200): strings.Repeat("x", maxLogField) + "…",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestClosingTheChannelEndsTheBrowser: a client may close its session and
// keep the connection; the browser ends then, not at the idle timeout.
func TestClosingTheChannelEndsTheBrowser(t *testing.T) {
	ts := startServer(t, Config{})
	sess, _, scr := ts.browse(t, 80, 24)
	scr.waitFor("Principal Engineer")
	_ = sess.Close()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ts.logs.String(), `reason="client closed"`) {
		if time.Now().After(deadline) {
			t.Fatalf("the browser outlived its channel:\n%s", ts.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLightTerminalGetsTheLightPalette: the browser asks the terminal for
// its background; a light answer redraws in the light palette.
func TestLightTerminalGetsTheLightPalette(t *testing.T) {
	ts := startServer(t, Config{})
	sess := ts.session(t)
	if err := sess.Setenv("COLORTERM", "truecolor"); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", 24, 80, nil); err != nil {
		t.Fatal(err)
	}
	out := &waitBuf{}
	sess.Stdout = out
	stdin, err := sess.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	const darkTitle, lightTitle = "38;2;184;166;255", "38;2;90;63;192" // #B8A6FF, #5A3FC0
	waitOut := func(s string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for !out.has(s) {
			if time.Now().After(deadline) {
				t.Fatalf("%q never came", s)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	// The model's Init returns tea.RequestBackgroundColor, and the loop
	// carries it out, once.
	waitOut(ansi.RequestBackgroundColor)
	waitOut(darkTitle)
	if n := strings.Count(out.String(), ansi.RequestBackgroundColor); n != 1 {
		t.Errorf("the background colour was asked for %d times", n)
	}
	if out.has(lightTitle) {
		t.Fatal("light colours before the terminal said it was light")
	}
	if _, err := io.WriteString(stdin, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\"); err != nil {
		t.Fatal(err)
	}
	waitOut(lightTitle)
}

// TestMouseOverSSH: a click on a role and a wheel turn, as a terminal
// encodes them (SGR), reach the browser over SSH.
func TestMouseOverSSH(t *testing.T) {
	ts := startServer(t, Config{})
	_, stdin, scr := ts.browse(t, 120, 40)
	scr.waitFor("Principal Engineer")
	// The third role's title row: two header rows, then two rows a role.
	x, y := 5, 2+2*2
	if _, err := fmt.Fprintf(stdin, "\x1b[<0;%d;%dM\x1b[<0;%d;%dm", x+1, y+1, x+1, y+1); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("▸ 3 Senior Systems Engineer")
	scr.waitFor("Focused on rapid prototyping")
	// A wheel turn over the list moves the selection on.
	if _, err := fmt.Fprintf(stdin, "\x1b[<65;%d;%dM", x+1, y+1); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("▸ 4 Compute Systems Engineering Manager")
}

// TestHelpIsAligned: every description in the help starts in one column.
func TestHelpIsAligned(t *testing.T) {
	col := -1
	for _, l := range strings.Split(strings.TrimSpace(commandHelp), "\n")[1:] {
		l = strings.TrimPrefix(l, "  ")
		i := strings.Index(l, "  ")
		j := i + len(l[i:]) - len(strings.TrimLeft(l[i:], " "))
		if i <= 0 {
			t.Fatalf("no gap in %q", l)
		}
		if col >= 0 && j != col {
			t.Errorf("%q: the description starts at %d, not %d", l, j, col)
		}
		col = j
	}
}
