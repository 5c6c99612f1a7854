package server

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/pires/go-proxyproto"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/server/web"
	"github.com/resume-ssh/resume/ui/note"
)

// ServeWeb serves the résumé's web page on l (--http-listen) until
// Shutdown or Close, then returns ErrServerClosed. The page follows the
// document as sessions do, takes notes into the same inbox with the same
// checks, and spends the same per-source rate as SSH connections.
func (s *Server) ServeWeb(l net.Listener) error {
	trusted, err := prefixes(s.cfg.ProxyProtocolFrom)
	if err != nil {
		return err
	}
	cfg := web.Config{
		Document: func() (*content.Resume, time.Time) {
			d := s.docs.Load()
			return d.doc, d.loaded
		},
		Now: s.cfg.Now, Lang: s.cfg.Lang, SSH: s.sshCommand(), Trusted: trusted,
		Allow: func(from netip.Addr) bool {
			key := sourceKey(addrOf(from))
			if why := s.lim.request(key); why != "" {
				s.metrics.refused.WithLabelValues(why).Inc()
				return false
			}
			return true
		},
		Observe: func(route string, status int) {
			s.metrics.web.WithLabelValues(route, strconv.Itoa(status)).Inc()
		},
		Secret: s.webSecret(),
	}
	if s.cfg.Inbox != nil {
		cfg.Save = func(n note.Note, from netip.Addr) (int64, error) {
			return s.save(s.from(inbox.Note{Name: n.Name, Email: n.Email, Message: n.Message, Contact: n.Contact}, addrOf(from)))
		}
	}
	srv := web.New(cfg).Server()
	if !s.opening(l, srv) {
		return ErrServerClosed
	}
	if s.proxy != nil {
		// A proxy in front of the page may send a PROXY header (HAProxy)
		// or X-Forwarded-For (Caddy); anyone else may send neither.
		p, err := proxyproto.PolicyFromRanges(s.cfg.ProxyProtocolFrom, proxyproto.USE, proxyproto.REJECT)
		if err != nil {
			return fmt.Errorf("proxy protocol sources: %w", err)
		}
		l = &proxyproto.Listener{Listener: l, ConnPolicy: p, ReadHeaderTimeout: proxyHeaderTimeout}
	}
	if err := srv.Serve(l); !errors.Is(err, http.ErrServerClosed) && !s.isClosing() {
		return fmt.Errorf("web: %w", err)
	}
	return ErrServerClosed
}

// sshCommand is what the page tells a visitor to type, or "" when the
// public host is unknown.
func (s *Server) sshCommand() string {
	switch h := s.cfg.PublicHost; {
	case h == "":
		return ""
	case s.cfg.PublicPort == 0 || s.cfg.PublicPort == 22:
		return "ssh " + h
	default:
		return "ssh -p " + strconv.Itoa(s.cfg.PublicPort) + " " + h
	}
}

// webSecret keys the note form's tokens: derived from the source key, so
// that replicas sharing one issue tokens each other accept.
func (s *Server) webSecret() []byte {
	m := hmac.New(sha256.New, s.cfg.SourceKey)
	m.Write([]byte("resume web form token"))
	return m.Sum(nil)
}

func (s *Server) webServers() []*http.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Server(nil), s.webs...)
}

// shutdownWeb stops the web servers as the SSH server stops: no new
// requests, those running finished until ctx ends. The channel closes
// when they are done.
func (s *Server) shutdownWeb(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for _, w := range s.webServers() {
		wg.Go(func() {
			if err := w.Shutdown(ctx); err != nil {
				_ = w.Close()
			}
		})
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

// addrOf is a as the address of a TCP peer, for sourceKey and the inbox.
func addrOf(a netip.Addr) net.Addr { return net.TCPAddrFromAddrPort(netip.AddrPortFrom(a, 0)) }

// prefixes reads CIDRs such as --proxy-protocol-from's.
func prefixes(cidrs []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return nil, fmt.Errorf("proxy protocol sources: %w", err)
		}
		out = append(out, p)
	}
	return out, nil
}
