package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"charm.land/log/v2"

	"github.com/spf13/cobra"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server"
	"github.com/resume-ssh/resume/server/admin"
)

// serveOptions are serve's flags.
type serveOptions struct {
	doc, logFormat, logLevel       string
	loginMemory, exempt, proxyFrom string
	metricsAddr, pprofAddr         string
	httpAddr                       string
	database, ownerKeys, retention string
	inboxKey                       string
	hello                          bool
	keys                           keyFlags
	cfg                            server.Config
	shutdown                       time.Duration
}

// newServe is the serve command, named use: resume itself runs it too.
func newServe(e *env, use string) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   use,
		Short: "Serve the résumé over SSH (what resume alone does)",
		Example: "  resume serve --listen :22 --resume ./resume.md\n" +
			"  RESUME_LISTEN=:22 resume",
		RunE: func(cmd *cobra.Command, _ []string) error { return o.run(e) },
	}
	fs := cmd.Flags()
	c, lim := &o.cfg, &o.cfg.Limits
	fs.StringVar(&c.Addr, "listen", server.DefaultAddr, "address to listen on")
	o.keys = addKeyFlags(fs, defaultDataDir(e.getenv))
	fs.StringVar(&o.doc, "resume", "", "serve this file (Markdown, or JSON Resume: .json) instead of the embedded résumé")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text, json or logfmt")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.DurationVar(&c.HandshakeTimeout, "handshake-timeout", server.DefaultHandshakeTimeout, "time allowed from connect to the key exchange's end, and from authenticated to a session")
	fs.DurationVar(&c.LoginGrace, "login-grace", server.DefaultLoginGrace, "time a visitor may spend at the host-key prompt, from the key exchange to authenticated")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "end a session after this long without input")
	fs.DurationVar(&c.SessionTimeout, "session-timeout", server.DefaultSessionTimeout, "the longest a session may last")
	fs.DurationVar(&c.StepTimeout, "step-timeout", server.DefaultStepTimeout, "end a browser session, with \"internal error\", whose step (handling a key and drawing) runs this long")
	fs.DurationVar(&o.shutdown, "shutdown-timeout", defaultShutdownTimeout, "how long to wait for sessions to end on SIGINT or SIGTERM")
	fs.IntVar(&lim.MaxHandshakes, "max-handshakes", server.DefaultMaxHandshakes(), "connections in the key exchange at once (16 a CPU); past it connections wait their turn, a source at a time")
	fs.StringVar(&o.loginMemory, "login-memory", fmt.Sprintf("%dMiB", server.DefaultLoginMemory>>20), "size of memory for connections not yet authenticated, people at the host-key prompt (about 64 KiB each)")
	fs.IntVar(&lim.MaxSessions, "max-sessions", 0, "concurrent browser sessions; 0 works it out from the memory the server may use (cgroup memory.max, GOMEMLIMIT or MemTotal)")
	fs.IntVar(&lim.MaxPerSource, "max-per-source", 0, "concurrent sessions from one address (IPv6: one /64); 0 means a quarter of --max-sessions")
	fs.IntVar(&lim.PerSourceRate, "per-source-rate", server.DefaultPerSourceRate, "new connections a minute from one source, with as many at once")
	fs.DurationVar(&lim.Penalty, "penalty", server.DefaultPenalty, "what protocol abuse costs a source (a declined prompt costs 0.25 s, a forgotten one 10 s)")
	fs.DurationVar(&lim.PenaltyThreshold, "penalty-threshold", server.DefaultPenaltyThreshold, "what a source may owe before it is refused")
	fs.StringVar(&o.exempt, "penalty-exempt", "", "CIDRs, separated by commas, never charged a penalty, such as a venue's NAT address")
	fs.DurationVar(&lim.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "end a session whose client stops reading for this long")
	fs.StringVar(&o.proxyFrom, "proxy-protocol-from", "", "CIDRs, separated by commas, of load balancers that must send a PROXY protocol header; others may not")
	fs.StringVar(&o.ownerKeys, "owner-keys", "", "authorized_keys file of the keys that may log in as --owner-user and read the inbox (ssh owner@HOST inbox)")
	fs.StringVar(&c.OwnerUser, "owner-user", "owner", "the owner's user name: only a key in --owner-keys lets it in")
	fs.BoolVar(&o.hello, "hello", true, "let visitors leave the owner a note (h in the browser, ssh HOST hello); --hello=false opens no inbox")
	fs.StringVar(&o.retention, "inbox-retention", "0", "remove visitors' notes older than this, such as 90d or 2160h, for good; 0 keeps them until the owner deletes them")
	fs.StringVar(&o.inboxKey, "inbox-key", "", "the key of the hash that stands for visitors' addresses in the inbox, made if absent; replicas sharing an inbox share it (default DATA-DIR/"+sourceKeyFile+")")
	fs.StringVar(&o.database, "database", "", "the inbox for visitors' notes: postgres://… (replicas share it), or sqlite://PATH; default DATA-DIR/"+inboxFile)
	fs.StringVar(&o.httpAddr, "http-listen", "", "address for the résumé's web page, such as 127.0.0.1:8080 behind a TLS proxy (off when empty)")
	fs.StringVar(&c.PublicHost, "public-host", "", "the host visitors type after ssh, shown on the web page (hidden when empty)")
	fs.IntVar(&c.PublicPort, "public-port", 22, "the port visitors reach the SSH server on, shown on the web page")
	fs.StringVar(&c.PublicURL, "public-url", "", "the web page's public address, such as https://resume.example.com: the contact card's QR code points there when the résumé has no URL")
	fs.StringVar(&c.Lang, "lang", "en", "the web page's language, as its lang attribute (de, fr, en-GB)")
	fs.StringVar(&o.metricsAddr, "metrics-listen", "", "address for Prometheus /metrics and /healthz, such as 127.0.0.1:9222 (off when empty)")
	fs.StringVar(&o.pprofAddr, "pprof-listen", "", "address for net/http/pprof, such as 127.0.0.1:6060 (off when empty)")
	explain(fs)
	return cmd
}

// check turns the flags that need more than a type into the config.
func (o *serveOptions) check() error {
	lim := &o.cfg.Limits
	if lim.MaxHandshakes < 1 || lim.MaxSessions < 0 || lim.MaxPerSource < 0 || lim.PerSourceRate < 1 {
		return errUsage{errors.New("--max-handshakes and --per-source-rate must be at least 1, --max-sessions and --max-per-source at least 0")}
	}
	var err error
	if lim.LoginMemory, err = parseSize(o.loginMemory); err != nil || lim.LoginMemory < server.WaitingConnBytes {
		return errUsage{fmt.Errorf("--login-memory: want a size of at least 64KiB, such as 64MiB, not %q", o.loginMemory)}
	}
	if lim.PenaltyExempt, err = parsePrefixes(o.exempt); err != nil {
		return errUsage{fmt.Errorf("--penalty-exempt: %w", err)}
	}
	if o.ownerKeys != "" {
		keys, err := readAuthorizedKeys(o.ownerKeys)
		if err != nil {
			return errUsage{err}
		}
		o.cfg.OwnerKeys = keys
	}
	if o.cfg.InboxRetention, err = parseAge(o.retention); err != nil {
		return errUsage{fmt.Errorf("--inbox-retention: want an age such as 90d or 2160h, not %q", o.retention)}
	}
	o.cfg.ProxyProtocolFrom = splitList(o.proxyFrom)
	if o.cfg.PublicPort < 1 || o.cfg.PublicPort > 65535 {
		return errUsage{fmt.Errorf("--public-port: want a port between 1 and 65535, not %d", o.cfg.PublicPort)}
	}
	if u := o.cfg.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return errUsage{fmt.Errorf("--public-url: want an address such as https://resume.example.com, not %q", u)}
	}
	o.cfg.Version = buildVersion()
	return nil
}

func (o *serveOptions) run(e *env) (err error) {
	if err := o.check(); err != nil {
		return err
	}
	logger, err := newLogger(e.stderr, o.logFormat, o.logLevel)
	if err != nil {
		return err
	}
	if o.logFormat != "text" {
		// Every line in a machine's format is in that format, the reason
		// serve stopped too: it is logged here, and not said again.
		defer func() {
			if err != nil {
				logger.Error("stopped", "err", err)
				err = errLogged{err}
			}
		}()
	}
	doc, err := loadDoc(o.doc, e.stderr, logger)
	if err != nil {
		return err
	}
	key, created, err := o.keys.load(true)
	if err != nil {
		return err
	}
	if created != "" {
		logger.Info("created host key", "path", created)
	}
	o.cfg.HostKey = key
	if o.hello {
		store, err := openInbox(o.database, *o.keys.dataDir)
		if err != nil {
			return err
		}
		defer store.Close()
		o.cfg.Inbox = store
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := store.Ready(rctx); err != nil {
			logger.Warn("the inbox is not reachable: the résumé is served, notes are refused until it is", "err", err)
		}
		cancel()
		keyPath := cmp.Or(o.inboxKey, filepath.Join(*o.keys.dataDir, sourceKeyFile))
		if o.cfg.SourceKey, err = loadSourceKey(keyPath); err != nil {
			return err
		}
	}
	o.capacity(logger)
	srv, err := server.New(o.cfg, doc, logger)
	if err != nil {
		return errUsage{err}
	}
	endpoints := &admin.Listeners{Logger: logger, Endpoints: []admin.Endpoint{
		{Name: "--metrics-listen", Addr: o.metricsAddr, Handler: srv.MetricsHandler()},
		{Name: "--pprof-listen", Addr: o.pprofAddr, Handler: admin.Pprof()},
	}}
	if err := endpoints.Serve(); err != nil {
		return errUsage{err}
	}
	defer func() { _ = endpoints.Shutdown(context.Background()) }()
	l, err := net.Listen("tcp", o.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logger.Info("listening", "addr", l.Addr().String(), "fingerprint", server.Fingerprint(key.PublicKey()), "connect", connectHint(l.Addr()))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.doc != "" {
		// The file is reloaded when it changes and on SIGHUP, until the
		// server stops.
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		watched := make(chan error, 1)
		go func() { watched <- srv.Watch(ctx, o.doc, hup) }()
		defer func() {
			stop()
			if err := <-watched; err != nil {
				logger.Warn("watching the résumé", "err", err)
			}
		}()
	}
	retained := make(chan struct{})
	go func() { srv.Retain(ctx); close(retained) }()
	defer func() { stop(); <-retained }()
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(l) }()
	served := 1
	if o.httpAddr != "" {
		wl, err := net.Listen("tcp", o.httpAddr)
		if err != nil {
			_ = srv.Close()
			return errors.Join(fmt.Errorf("--http-listen: %w", err), stopped(<-errc))
		}
		logger.Info("web page", "addr", wl.Addr().String(), "url", "http://"+wl.Addr().String()+"/")
		go func() { errc <- srv.ServeWeb(wl) }()
		served++
	}
	select {
	case err := <-errc:
		served--
		if err != nil && !errors.Is(err, server.ErrServerClosed) {
			_ = srv.Close()
			for ; served > 0; served-- {
				err = errors.Join(err, stopped(<-errc))
			}
			return err
		}
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", o.shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	for ; served > 0; served-- {
		if err := <-errc; err != nil && !errors.Is(err, server.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// capacity works out --max-sessions from the memory the server may use,
// unless it was given, and logs it.
func (o *serveOptions) capacity(logger *log.Logger) {
	lim := &o.cfg.Limits
	if lim.MaxSessions > 0 {
		logger.Info("capacity", "sessions", lim.MaxSessions, "from", "--max-sessions")
		return
	}
	mem := server.MemoryLimit(os.DirFS("/"), debug.SetMemoryLimit(-1))
	var files syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &files)
	loginMemory := cmp.Or(lim.LoginMemory, server.DefaultLoginMemory)
	nofile := int64(min(files.Cur, 1<<40)) //nolint:gosec // bounded above
	lim.MaxSessions = server.Capacity(mem, loginMemory, nofile)
	bound := ""
	if lim.MaxSessions < server.Capacity(mem, loginMemory, 0) {
		bound = fmt.Sprintf("; %s open files", thousands(int(nofile)))
	}
	logger.Info(fmt.Sprintf("capacity: %s sessions (%s, %d KiB each%s)", thousands(lim.MaxSessions), mem, server.SessionBytes>>10, bound))
}

// thousands writes n with a comma between thousands: 4,200.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// stopped is a server's return once it was closed: nil for having been
// closed, else what went wrong.
func stopped(err error) error {
	if errors.Is(err, server.ErrServerClosed) {
		return nil
	}
	return err
}

// readAuthorizedKeys reads the keys of an authorized_keys file; a line
// that is not a key names its place.
func readAuthorizedKeys(path string) ([]gossh.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--owner-keys: %w", err)
	}
	var keys []gossh.PublicKey
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, _, _, _, err := gossh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: not a public key: %w", path, i+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no keys in it", path)
	}
	return keys, nil
}
