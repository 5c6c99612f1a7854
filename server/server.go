// Package server serves the résumé over SSH: the browser to visitors with
// a terminal, plain text to those without, and exports as commands. It is
// the only package that knows SSH: a charm.land/wish/v2 server, whose
// sessions run the ui's Bubble Tea model under a loop of their own
// (loop.go).
package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pires/go-proxyproto"

	tea "charm.land/bubbletea/v2"
	"charm.land/log/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/ui"
)

// ErrServerClosed is returned by Serve and ListenAndServe after Shutdown
// or Close.
var ErrServerClosed = errors.New("server: closed")

// Config is how a Server behaves. The zero value of each field is a safe
// default.
type Config struct {
	// Addr is where ListenAndServe listens; "" means 127.0.0.1:23234.
	Addr string
	// HostKey signs the handshake. Nil means a new ed25519 key for this
	// process only (tests); the CLI always passes a persistent one.
	HostKey gossh.Signer
	// Version is what the version command prints; "" means "dev".
	Version string
	// HandshakeTimeout bounds the time from TCP connect to the server's
	// key-exchange reply, and again from authenticated to the session
	// opening; 0 means 20 s. It does not include a person reading the
	// host-key prompt: LoginGrace does.
	HandshakeTimeout time.Duration
	// LoginGrace bounds the time from the server's key-exchange reply to
	// authenticated, in which a first-time visitor's OpenSSH asks them
	// to check the host key; 0 means 120 s, as OpenSSH's LoginGraceTime.
	LoginGrace time.Duration
	// IdleTimeout ends a session whose visitor has sent nothing for this
	// long, however much the screen renders; 0 means 10 min.
	IdleTimeout time.Duration
	// SessionTimeout bounds a whole session; 0 means 1 h.
	SessionTimeout time.Duration
	// StepTimeout bounds one step of a visitor's browser: handling what
	// they sent and drawing the screen after it, which takes milliseconds.
	// A step that runs longer ends the session with "internal error";
	// 0 means 5 s.
	StepTimeout time.Duration
	// MaxWidth and MaxHeight clamp every window size a client asks for;
	// 0 means DefaultMaxWidth×DefaultMaxHeight.
	MaxWidth, MaxHeight int
	// Limits bound what clients can take; see Limits for the defaults.
	Limits Limits
	// ProxyProtocolFrom lists the load balancers (CIDR ranges) that must
	// send a PROXY protocol v1 or v2 header, so that limits and logs see
	// the visitor's address. A header from any other source is refused,
	// so that no client can choose its own address. Empty means off.
	ProxyProtocolFrom []string
	// Inbox keeps the notes visitors leave (ssh HOST hello); nil means
	// the server takes none.
	Inbox inbox.Store
	// SourceKey keys the hash that stands for a visitor's address in the
	// inbox, which never holds the address itself; nil means a random
	// key, so that repeats show only within one run.
	SourceKey []byte
	// InboxRetention is how long Retain keeps notes; 0 keeps them until
	// the owner deletes them.
	InboxRetention time.Duration
	// OwnerKeys are the keys that may log in as OwnerUser and read the
	// inbox (ssh owner@HOST inbox). For that user alone "none",
	// passwords and keyboard-interactive fail and only these keys pass;
	// every other user is let in as before. Empty means no owner access.
	OwnerKeys []gossh.PublicKey
	// OwnerUser is the owner's user name; "" means "owner". A separate
	// name is needed because OpenSSH tries "none" first, which every
	// other user is let in with.
	OwnerUser string
	// PublicHost and PublicPort are where visitors reach the SSH server,
	// for the web page's "ssh HOST" line; with no host the line is left
	// out, and port 0 means 22.
	PublicHost string
	PublicPort int
	// PublicURL is the web page's public address: the contact card's QR
	// code points there when the résumé gives no URL of its own.
	PublicURL string
	// Lang is the web page's language (its lang attribute); "" means en.
	Lang string
	// Now is the date: what the résumé's durations ("13 yrs 5 mos") are
	// counted to, and the clock of the per-source rates and penalties;
	// nil means time.Now. Every timeout of a connection or a session runs
	// on the monotonic clock, whatever Now says.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	def(&c.HandshakeTimeout, DefaultHandshakeTimeout)
	def(&c.LoginGrace, DefaultLoginGrace)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	def(&c.SessionTimeout, DefaultSessionTimeout)
	def(&c.StepTimeout, DefaultStepTimeout)
	if c.MaxWidth <= 0 {
		c.MaxWidth = DefaultMaxWidth
	}
	if c.MaxHeight <= 0 {
		c.MaxHeight = DefaultMaxHeight
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Limits = c.Limits.withDefaults()
	return c
}

// The defaults of Config, which a zero field means and the CLI's flags
// show.
const (
	DefaultAddr             = "127.0.0.1:23234"
	DefaultHandshakeTimeout = 20 * time.Second
	DefaultLoginGrace       = 2 * time.Minute // OpenSSH's LoginGraceTime
	DefaultIdleTimeout      = 10 * time.Minute
	DefaultSessionTimeout   = time.Hour
	DefaultStepTimeout      = 5 * time.Second
)

// proxyHeaderTimeout bounds the wait for a load balancer's PROXY header.
const proxyHeaderTimeout = 5 * time.Second

// DefaultMaxWidth and DefaultMaxHeight clamp window sizes: 256×96 is
// 24,576 cells, which keeps one session's two screen buffers under about
// 7 MB even in the worst case, while a visitor's full-screen terminal on a
// large monitor still gets a whole layout.
const (
	DefaultMaxWidth  = 256
	DefaultMaxHeight = 96
)

// Server serves one résumé over SSH. Create it with New.
type Server struct {
	cfg     Config
	docs    atomic.Pointer[document] // what new sessions are served
	log     *log.Logger
	ssh     *ssh.Server
	lim     *limiter
	metrics *metrics
	reclaim *reclaimer
	guard   *guard
	// What sessions draw and can share: screens and layout (ui), and
	// frames converted to each colour profile.
	renderer    *ui.Renderer
	conversions *conversions
	// unsupported reports, once per kind, a Bubble Tea message the loop
	// cannot carry out (contract.go).
	unsupported *unsupportedOnce
	// browser makes a visitor's model: ui.New for doc, or what a test
	// puts in its place.
	browser func(opts ...ui.Option) tea.Model
	proxy   proxyproto.ConnPolicyFunc
	nextID  atomic.Uint64
	// lobbyWait is the longest a visitor waits in the lobby (lobbyWait;
	// tests shorten it).
	lobbyWait time.Duration

	// handler is the session middleware's chain (middleware.go).
	handler handler

	mu       sync.Mutex
	sessions map[*session]struct{}
	webs     []*http.Server // the web page's servers (web.go)
	lns      []net.Listener // what Serve serves, closed with the server
	closing  bool
	wg       sync.WaitGroup // session handlers
}

// New makes a server for doc, which it only reads, logging to logger.
func New(cfg Config, doc *content.Resume, logger *log.Logger) (*Server, error) {
	cfg = cfg.withDefaults()
	if cfg.HostKey == nil {
		k, err := ephemeralKey()
		if err != nil {
			return nil, err
		}
		cfg.HostKey = k
	}
	if logger == nil {
		logger = log.New(nil)
	}
	if len(cfg.SourceKey) == 0 {
		cfg.SourceKey = make([]byte, 32)
		_, _ = rand.Read(cfg.SourceKey) // crypto/rand never fails on Linux
	}
	s := &Server{
		cfg: cfg, log: logger.WithPrefix("ssh"),
		sessions: map[*session]struct{}{}, lim: newLimiter(cfg.Limits, cfg.Now),
		reclaim: newReclaimer(), lobbyWait: lobbyWait,
	}
	s.metrics = newMetrics(s.lim)
	s.renderer, s.conversions = ui.NewRenderer(0), newConversions()
	s.unsupported = &unsupportedOnce{report: func(kind string) {
		s.log.Warn("the browser returned a command the server cannot carry out; it is ignored", "kind", kind)
	}}
	s.docs.Store(s.newDocument(doc))
	s.browser = func(opts ...ui.Option) tea.Model {
		opts = append(opts, ui.WithRenderer(s.renderer))
		return ui.New(s.doc(), opts...)
	}
	s.handler = chain(s.dispatch, s.recovery, s.accounting)
	s.guard = &guard{bound: cfg.StepTimeout, log: s.log, overran: s.metrics.overran, leaked: s.metrics.leaked}
	if len(cfg.ProxyProtocolFrom) > 0 {
		p, err := proxyproto.PolicyFromRanges(cfg.ProxyProtocolFrom, proxyproto.REQUIRE, proxyproto.REJECT)
		if err != nil {
			return nil, fmt.Errorf("proxy protocol sources: %w", err)
		}
		s.proxy = p
	}
	srv, err := wish.NewServer(
		wish.WithAddress(cfg.Addr),
		hostKey(cfg.HostKey),
		// Everyone is let in with no prompt: "none" (sshConfig), any key,
		// and a keyboard-interactive round with no questions.
		wish.WithPublicKeyAuth(func(ctx ssh.Context, key ssh.PublicKey) bool {
			if s.isOwner(ctx.User()) && !s.ownerKey(key) {
				return false
			}
			connOf(ctx).authenticated()
			return true
		}),
		wish.WithKeyboardInteractiveAuth(func(ctx ssh.Context, _ gossh.KeyboardInteractiveChallenge) bool {
			if s.isOwner(ctx.User()) {
				return false
			}
			connOf(ctx).authenticated()
			return true
		}),
		// The backstop: the session timer ends sessions politely first.
		wish.WithMaxTimeout(cfg.SessionTimeout+time.Minute),
		func(srv *ssh.Server) error {
			srv.Handler = s.serveSSH
			// No srv.HandshakeTimeout: it would bound the whole handshake,
			// a person's time at the host-key prompt included. Each
			// connection bounds its own phases (conn.go).
			srv.ConnCallback = s.admit
			srv.ServerConfigCallback = s.sshConfig
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": s.sessionChannel}
			// No port forwarding, no subsystems, no global requests.
			srv.RequestHandlers = map[string]ssh.RequestHandler{}
			srv.SubsystemHandlers = map[string]ssh.SubsystemHandler{}
			// What a failed handshake owes is decided when its connection
			// closes, from what it did (conn.owed).
			srv.ConnectionFailedCallback = func(c net.Conn, err error) {
				s.log.Debug("handshake failed", "remote", c.RemoteAddr().String(), "err", sanitize(err.Error()))
				s.metrics.handshakes.Inc()
			}
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("ssh server: %w", err)
	}
	s.ssh = srv
	return s, nil
}

// hostKey serves key. (Without one, wish.NewServer would write a new key
// to the working directory.)
func hostKey(key gossh.Signer) ssh.Option {
	return func(srv *ssh.Server) error {
		srv.AddHostKey(key)
		return nil
	}
}

// sshConfig lists only modern algorithms and lets every client in.
func (s *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	cn := connOf(ctx)
	c := &gossh.ServerConfig{NoClientAuth: true, NoClientAuthCallback: func(m gossh.ConnMetadata) (*gossh.Permissions, error) {
		if s.isOwner(m.User()) {
			// From here on the owner may only use a key, and the client
			// is told so: "Permission denied (publickey)", with no other
			// method to try.
			return nil, &gossh.PartialSuccessError{Next: gossh.ServerAuthCallbacks{
				PublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey) (*gossh.Permissions, error) {
					if !s.ownerKey(key) {
						return nil, errOwnerNeedsKey
					}
					cn.authenticated()
					return ctx.Permissions().Permissions, nil
				},
			}}
		}
		cn.authenticated()
		return nil, nil
	}}
	c.KeyExchanges = []string{"mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org"}
	c.Ciphers = []string{"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com"}
	c.MACs = []string{"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com"}
	c.ServerVersion = "SSH-2.0-resume"
	return c
}

// HostKey is the server's public host key.
func (s *Server) HostKey() gossh.PublicKey { return s.cfg.HostKey.PublicKey() }

// ListenAndServe listens on Config.Addr and serves until Shutdown or
// Close, then returns ErrServerClosed.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.Serve(l)
}

// Serve serves on l until Shutdown or Close, then returns ErrServerClosed.
func (s *Server) Serve(l net.Listener) error {
	// A Serve that starts after Shutdown or Close returns at once: the
	// SSH server would otherwise take the listener on as new.
	if !s.opening(l, nil) {
		return ErrServerClosed
	}
	if s.proxy != nil {
		l = &proxyproto.Listener{Listener: l, ConnPolicy: s.proxy, ReadHeaderTimeout: proxyHeaderTimeout}
	}
	err := s.ssh.Serve(l)
	if errors.Is(err, ssh.ErrServerClosed) || s.isClosing() {
		return ErrServerClosed // or closed here first, as Shutdown does
	}
	return err
}

// Shutdown stops accepting connections, tells every visitor in the browser
// that the server is restarting, waits for sessions to end until ctx is
// done, and then closes every connection that is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.endAll()
	webDone := s.shutdownWeb(ctx)
	defer func() { <-webDone }()
	stopped := make(chan error, 1)
	go func() { stopped <- s.ssh.Shutdown(ctx) }() // closes the listeners at once
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		// As net/http: return when the context ends. The connections are
		// closed; a handler that still runs is not waited for.
		_ = s.ssh.Close()
		return ctx.Err()
	}
	// A client whose session has ended may keep its connection open.
	_ = s.ssh.Close()
	if err := <-stopped; err != nil && !errors.Is(err, ssh.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// opening keeps l (and web, the page's server, if any) for Shutdown and
// Close to stop, or, when the server is closing already, closes l and
// reports false.
func (s *Server) opening(l net.Listener, web *http.Server) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		_ = l.Close()
		return false
	}
	s.lns = append(s.lns, l)
	if web != nil {
		s.webs = append(s.webs, web)
	}
	return true
}

func (s *Server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

func (s *Server) endAll() {
	s.mu.Lock()
	s.closing = true
	for _, l := range s.lns {
		_ = l.Close()
	}
	for sess := range s.sessions {
		sess.end(reasonShutdown)
	}
	s.mu.Unlock()
}

// Close closes the listeners and every connection at once.
func (s *Server) Close() error {
	s.endAll()
	for _, w := range s.webServers() {
		_ = w.Close()
	}
	err := s.ssh.Close()
	s.wg.Wait()
	if errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// track registers a session so that Shutdown can reach it; false means
// the server is closing and the session must not start.
func (s *Server) track(sess *session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.sessions[sess] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) untrack(sess *session) {
	s.mu.Lock()
	delete(s.sessions, sess)
	s.mu.Unlock()
	s.wg.Done()
}

// admit runs for every new TCP connection before any cryptography: it
// checks the per-source rate, penalties and the handshake caps, and
// closes the connection at once when one says no. Otherwise the
// connection becomes a conn, which bounds and accounts for itself.
func (s *Server) admit(ctx ssh.Context, c net.Conn) net.Conn {
	key := sourceKey(c.RemoteAddr())
	why, queued := s.lim.admit(key)
	if queued != nil {
		why = s.waitForHandshake(queued)
	}
	if why != "" {
		s.log.Debug("connection refused", "remote", c.RemoteAddr().String(), "reason", why)
		s.metrics.refused.WithLabelValues(why).Inc()
		return nil
	}
	cn := newConn(s, c, key)
	ctx.SetValue(connKey{}, cn)
	return cn
}

// kexQueueWait is the longest a connection waits for a handshake slot.
const kexQueueWait = 5 * time.Second

// waitForHandshake waits for t's handshake slot; "" once it holds one.
func (s *Server) waitForHandshake(t *ticket) string {
	start := time.Now()
	timer := time.NewTimer(kexQueueWait)
	defer timer.Stop()
	select {
	case <-t.ready:
	case <-timer.C:
		if !s.lim.unqueue(t) {
			s.metrics.kexWait.Observe(time.Since(start).Seconds())
			return refusedHandshakes
		}
	}
	s.metrics.kexWait.Observe(time.Since(start).Seconds())
	return ""
}

// charge adds d to what the source key owes, for why.
func (s *Server) charge(key netip.Prefix, remote net.Addr, d time.Duration, why string) {
	s.log.Debug("penalty", "remote", remote.String(), "reason", why, "penalty", d.String())
	s.metrics.penalties.WithLabelValues(why).Inc()
	s.lim.penalise(key, d)
}
