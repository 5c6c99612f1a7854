package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"github.com/charmbracelet/x/term"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/server"
	"github.com/resume-ssh/resume/ui"
)

// version is set at release build time with -ldflags "-X main.version=…".
var version = ""

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

const usageText = `resume serves a résumé over SSH.

Usage:
  resume [serve] [flags]     serve the résumé over SSH (the default)
  resume view [--demo]       show the résumé browser in this terminal
  resume export --format json|markdown|text [--width N]
  resume hostkey [--sshfp|--slide]  print the host key's fingerprint and known_hosts line
  resume version             print the version

Run "resume COMMAND --help" for a command's flags. Every flag can also be
set with an environment variable: --log-format is RESUME_LOG_FORMAT.
`

// defaultShutdownTimeout is how long SIGTERM waits for sessions: within
// the unit's TimeoutStopSec of 20 s.
const defaultShutdownTimeout = 10 * time.Second

// errUsage marks an error that exits with status 2.
type errUsage struct{ error }

// run is the whole program: it returns the exit status.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd, args = "help", nil // the commands, not serve's flags
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, getenv, stderr)
	case "view":
		err = view(args, getenv, stdin, stdout, stderr)
	case "export":
		err = export(args, getenv, stdout, stderr)
	case "hostkey":
		err = hostkey(args, getenv, stdout, stderr)
	case "version":
		err = parse(newFlags("version", stderr), args, getenv)
		if err == nil {
			fmt.Fprintln(stdout, "resume", buildVersion())
		}
	case "help":
		fmt.Fprint(stdout, usageText)
	default:
		fmt.Fprintf(stderr, "resume: unknown command %q\n\n%s", cmd, usageText)
		return 2
	}
	var usage errUsage
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, "resume:", err)
		return 2
	}
	fmt.Fprintln(stderr, "resume:", err)
	return 1
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("resume "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse reads flags from RESUME_* variables, then from args, which win.
// A bad value gets one line that names the flag or variable, the value
// and what was wanted; -h prints the command's flags.
func parse(fs *flag.FlagSet, args []string, getenv func(string) string) error {
	var envErr error
	// The values are explained while parsing, and themselves again for
	// the usage, which names their types.
	fs.VisitAll(func(f *flag.Flag) { f.Value = explained{f.Value} })
	unwrap := func() {
		fs.VisitAll(func(f *flag.Flag) {
			if e, ok := f.Value.(explained); ok {
				f.Value = e.Value
			}
		})
	}
	defer unwrap()
	fs.VisitAll(func(f *flag.Flag) {
		name := "RESUME_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v := getenv(name); v != "" && envErr == nil {
			if err := fs.Set(f.Name, v); err != nil {
				envErr = errUsage{fmt.Errorf("%s=%q: %w", name, v, err)}
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	out := fs.Output()
	fs.SetOutput(io.Discard) // errors are returned, and printed once
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		unwrap()
		fs.Usage()
		return err
	}
	if err != nil {
		return errUsage{fmt.Errorf("%w (see %s --help)", err, fs.Name())}
	}
	if fs.NArg() > 0 {
		return errUsage{fmt.Errorf("unexpected argument %q (see %s --help)", fs.Arg(0), fs.Name())}
	}
	return nil
}

// explained is a flag value whose parse errors say what was wanted; the
// flag package's own say only "parse error".
type explained struct{ flag.Value }

func (v explained) Set(s string) error {
	err := v.Value.Set(s)
	if err == nil {
		return nil
	}
	switch v.Get().(type) {
	case time.Duration:
		return errors.New("want a duration such as 10s, 10m or 1h30m")
	case int, int64, uint, uint64:
		return errors.New("want a whole number")
	case bool:
		return errors.New("want true or false")
	}
	return err //nolint:wrapcheck // the value's own, already clear
}

func (v explained) Get() any {
	if g, ok := v.Value.(flag.Getter); ok {
		return g.Get()
	}
	return nil
}

func (v explained) IsBoolFlag() bool {
	b, ok := v.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// docFlag is --resume FILE, shared by every command that reads the résumé.
func docFlag(fs *flag.FlagSet) *string {
	return fs.String("resume", "", "serve this Markdown `file` instead of the embedded résumé")
}

// loadDoc reads the résumé at path (the embedded one when ""), and
// writes what looks like a mistake in it to stderr.
func loadDoc(path string, stderr io.Writer) (*content.Resume, error) {
	if path == "" {
		return content.Default(), nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, errUsage{fmt.Errorf("read résumé: %w", err)}
	}
	doc, err := content.ParseNamed(path, src)
	if err != nil {
		return nil, errUsage{err}
	}
	for _, w := range doc.Warnings(time.Now()) {
		fmt.Fprintln(stderr, "resume: warning:", w)
	}
	return doc, nil
}

// keyFlags are where the host key comes from.
type keyFlags struct{ dataDir, hostKey *string }

func addKeyFlags(fs *flag.FlagSet, getenv func(string) string) keyFlags {
	return keyFlags{
		dataDir: fs.String("data-dir", defaultDataDir(getenv), "`directory` for the host key"),
		hostKey: fs.String("host-key", "", "host key `file`, or the PEM itself; default DATA-DIR/"+server.HostKeyFile),
	}
}

// defaultDataDir is $STATE_DIRECTORY as systemd sets it, else
// $XDG_STATE_HOME/resume, else ~/.local/state/resume.
func defaultDataDir(getenv func(string) string) string {
	if d := getenv("STATE_DIRECTORY"); d != "" {
		return strings.Split(d, ":")[0]
	}
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "resume")
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "resume")
	}
	return filepath.Join(".local", "state", "resume")
}

// load finds the host key: --host-key (or RESUME_HOST_KEY) as a path or
// as the PEM itself, else the data directory's key, created on first
// start. created is the new key's path when this start made it.
func (k keyFlags) load() (key gossh.Signer, created string, err error) {
	if *k.hostKey != "" {
		if strings.Contains(*k.hostKey, "PRIVATE KEY-----") {
			key, err = server.ParseHostKey([]byte(*k.hostKey))
		} else {
			key, err = server.LoadHostKey(*k.hostKey)
		}
		return key, "", err //nolint:wrapcheck // the server package's errors name the key
	}
	path := filepath.Join(*k.dataDir, server.HostKeyFile)
	_, statErr := os.Stat(path)
	if key, err = server.LoadOrCreateHostKey(*k.dataDir); err == nil && errors.Is(statErr, fs.ErrNotExist) {
		created = path
	}
	return key, created, err //nolint:wrapcheck // as above
}

func serve(args []string, getenv func(string) string, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	listen := fs.String("listen", server.DefaultAddr, "`address` to listen on")
	keys := addKeyFlags(fs, getenv)
	docPath := docFlag(fs)
	logFormat := fs.String("log-format", "text", "log format: text, json or logfmt")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	handshake := fs.Duration("handshake-timeout", server.DefaultHandshakeTimeout, "time allowed from connect to the key exchange's end, and from authenticated to a session")
	loginGrace := fs.Duration("login-grace", server.DefaultLoginGrace, "time a visitor may spend at the host-key prompt, from the key exchange to authenticated")
	idle := fs.Duration("idle-timeout", server.DefaultIdleTimeout, "end a session after this long without input")
	session := fs.Duration("session-timeout", server.DefaultSessionTimeout, "the longest a session may last")
	step := fs.Duration("step-timeout", server.DefaultStepTimeout, "end a browser session, with \"internal error\", whose step (handling a key and drawing) runs this long")
	shutdown := fs.Duration("shutdown-timeout", defaultShutdownTimeout, "how long to wait for sessions to end on SIGINT or SIGTERM")
	var lim server.Limits
	fs.IntVar(&lim.MaxHandshakes, "max-handshakes", server.DefaultMaxHandshakes, "connections allowed in the key exchange at once; each source may hold a quarter")
	loginMemory := fs.String("login-memory", fmt.Sprintf("%dMiB", server.DefaultLoginMemory>>20), "`size` of memory for connections not yet authenticated, people at the host-key prompt (about 64 KiB each)")
	fs.IntVar(&lim.MaxSessions, "max-sessions", server.DefaultMaxSessions, "concurrent sessions")
	fs.IntVar(&lim.MaxPerSource, "max-per-source", 0, "concurrent sessions from one address (IPv6: one /64); 0 means a quarter of --max-sessions")
	fs.IntVar(&lim.PerSourceRate, "per-source-rate", server.DefaultPerSourceRate, "new connections a minute from one source, with as many at once")
	fs.DurationVar(&lim.Penalty, "penalty", server.DefaultPenalty, "what protocol abuse costs a source (a declined prompt costs 0.25 s, a forgotten one 10 s)")
	fs.DurationVar(&lim.PenaltyThreshold, "penalty-threshold", server.DefaultPenaltyThreshold, "what a source may owe before it is refused")
	exempt := fs.String("penalty-exempt", "", "comma-separated `CIDRs` never charged a penalty, such as a venue's NAT address")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "end a session whose client stops reading for this long")
	proxyFrom := fs.String("proxy-protocol-from", "", "comma-separated `CIDRs` of load balancers that must send a PROXY protocol header; others may not")
	metricsAddr := fs.String("metrics-listen", "", "`address` for Prometheus /metrics and /healthz, such as 127.0.0.1:9222 (off when empty)")
	pprofAddr := fs.String("pprof-listen", "", "`address` for net/http/pprof, such as 127.0.0.1:6060 (off when empty)")
	if err := parse(fs, args, getenv); err != nil {
		return err
	}
	if lim.MaxHandshakes < 1 || lim.MaxSessions < 1 || lim.MaxPerSource < 0 || lim.PerSourceRate < 1 {
		return errUsage{errors.New("--max-handshakes, --max-sessions and --per-source-rate must be at least 1")}
	}
	var err error
	if lim.LoginMemory, err = parseSize(*loginMemory); err != nil || lim.LoginMemory < server.WaitingConnBytes {
		return errUsage{fmt.Errorf("--login-memory: want a size of at least 64KiB, such as 64MiB, not %q", *loginMemory)}
	}
	if lim.PenaltyExempt, err = parsePrefixes(*exempt); err != nil {
		return errUsage{fmt.Errorf("--penalty-exempt: %w", err)}
	}
	logger, err := newLogger(stderr, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	doc, err := loadDoc(*docPath, stderr)
	if err != nil {
		return err
	}
	key, created, err := keys.load()
	if err != nil {
		return err
	}
	if created != "" {
		logger.Info("created host key", "path", created)
	}
	srv, err := server.New(server.Config{
		Addr: *listen, HostKey: key, Version: buildVersion(),
		HandshakeTimeout: *handshake, LoginGrace: *loginGrace, IdleTimeout: *idle, SessionTimeout: *session,
		StepTimeout: *step,
		Limits:      lim, ProxyProtocolFrom: splitList(*proxyFrom),
	}, doc, logger)
	if err != nil {
		return errUsage{err}
	}
	stopHTTP, err := serveHTTP(logger, map[string]http.Handler{*metricsAddr: srv.MetricsHandler(), *pprofAddr: pprofHandler()})
	if err != nil {
		return err
	}
	defer stopHTTP()
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logger.Info("listening", "addr", l.Addr().String(), "fingerprint", server.Fingerprint(key.PublicKey()), "connect", connectHint(l.Addr()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), *shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, server.ErrServerClosed) {
		return err
	}
	return nil
}

// connectHint is the ssh command that reaches a server listening on addr
// from this machine.
func connectHint(addr net.Addr) string {
	host, port, _ := net.SplitHostPort(addr.String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost" // listening on every address: this machine's is one
	}
	if port == "22" {
		return "ssh " + host
	}
	return "ssh -p " + port + " " + host
}

func newLogger(w io.Writer, format, level string) (*log.Logger, error) {
	opts := log.Options{ReportTimestamp: true}
	switch format {
	case "text":
		opts.Formatter = log.TextFormatter
	case "json":
		opts.Formatter = log.JSONFormatter
	case "logfmt":
		opts.Formatter = log.LogfmtFormatter
	default:
		return nil, errUsage{fmt.Errorf("--log-format must be text, json or logfmt, not %q", format)}
	}
	lvl, err := log.ParseLevel(level)
	if err != nil {
		return nil, errUsage{fmt.Errorf("--log-level: %w", err)}
	}
	opts.Level = lvl
	return log.NewWithOptions(w, opts), nil
}

func view(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("view", stderr)
	demo := fs.Bool("demo", false, "booth mode: tour the résumé when idle; only ctrl+c quits")
	docPath := docFlag(fs)
	if err := parse(fs, args, getenv); err != nil {
		return err
	}
	doc, err := loadDoc(*docPath, stderr)
	if err != nil {
		return err
	}
	if !isTerminal(stdin) || !isTerminal(stdout) {
		return errors.New("view needs a terminal; try: resume export --format text")
	}
	m := ui.New(doc, ui.WithDemo(*demo), ui.WithReader(getenv("TERM") == "dumb"))
	if _, err := tea.NewProgram(m, tea.WithInput(stdin), tea.WithOutput(stdout)).Run(); err != nil {
		return fmt.Errorf("view: %w", err)
	}
	return nil
}

func export(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	format := fs.String("format", "text", "json, markdown or text")
	width := fs.Int("width", 80, "text width in `columns`")
	docPath := docFlag(fs)
	if err := parse(fs, args, getenv); err != nil {
		return err
	}
	if *width < content.MinWidth || *width > content.MaxWidth {
		return errUsage{fmt.Errorf("--width must be between %d and %d", content.MinWidth, content.MaxWidth)}
	}
	doc, err := loadDoc(*docPath, stderr)
	if err != nil {
		return err
	}
	var out []byte
	switch *format {
	case "json":
		if out, err = doc.JSON(); err != nil {
			return err
		}
	case "markdown", "md":
		out = doc.Markdown()
	case "text", "txt":
		out = []byte(doc.Text(*width, time.Now()))
	default:
		return errUsage{fmt.Errorf("--format must be json, markdown or text, not %q", *format)}
	}
	_, err = stdout.Write(out)
	return err
}

func hostkey(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("hostkey", stderr)
	keys := addKeyFlags(fs, getenv)
	host := fs.String("host", "localhost", "host `name` for the known_hosts line and SSHFP record")
	port := fs.Int("port", 23234, "port for the known_hosts line")
	sshfp := fs.Bool("sshfp", false, "print the SSHFP DNS record too")
	slide := fs.Bool("slide", false, "print a block for a conference slide: the ssh command, fingerprint, randomart and known_hosts line")
	if err := parse(fs, args, getenv); err != nil {
		return err
	}
	key, created, err := keys.load()
	if err != nil {
		return err
	}
	if created != "" {
		fmt.Fprintln(stderr, "resume: created a host key at", created)
	}
	pub := key.PublicKey()
	if *slide {
		fmt.Fprint(stdout, server.Slide(*host, *port, pub))
		return nil
	}
	fmt.Fprintln(stdout, server.Fingerprint(pub))
	fmt.Fprintln(stdout, server.KnownHostsLine(*host, *port, pub))
	if *sshfp {
		rec, err := server.SSHFP(*host, pub)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rec)
	}
	return nil
}

// parseSize reads a byte count such as 64MiB, 500MB, 1GiB or 65536.
func parseSize(s string) (int64, error) {
	num := strings.TrimRightFunc(s, unicode.IsLetter)
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "KIB": 1 << 10, "MB": 1e6, "MIB": 1 << 20, "GB": 1e9, "GIB": 1 << 30}[strings.ToUpper(s[len(num):])]
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || mult == 0 || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

// parsePrefixes reads comma-separated CIDRs; a bare address is its own.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range splitList(s) {
		p, err := netip.ParsePrefix(part)
		if err != nil {
			a, aerr := netip.ParseAddr(part)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// serveHTTP serves each handler on its address (skipping empty ones) and
// returns a function that shuts them all down.
func serveHTTP(logger *log.Logger, handlers map[string]http.Handler) (func(), error) {
	var servers []*http.Server
	var wg sync.WaitGroup
	stop := func() {
		for _, hs := range servers {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = hs.Shutdown(ctx)
			cancel()
		}
		wg.Wait()
	}
	for addr, h := range handlers {
		if addr == "" {
			continue
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			stop()
			return nil, fmt.Errorf("listen %s: %w", addr, err)
		}
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, hs)
		logger.Info("http listening", "addr", l.Addr().String())
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("http", "addr", addr, "err", err)
			}
		}()
	}
	return stop, nil
}

// pprofHandler serves net/http/pprof on its own mux, so that nothing is
// registered on http.DefaultServeMux.
func pprofHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// isTerminal reports whether f is a terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(file.Fd())
}
