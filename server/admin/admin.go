// Package admin serves the operator's HTTP endpoints (metrics, health,
// pprof) on listeners of their own, apart from the visitors' SSH port.
package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"charm.land/log/v2"
)

// Endpoint is one of the operator's HTTP endpoints: what it is called in
// messages (the flag that sets it), the address it listens on ("" for
// off), and what it serves.
type Endpoint struct {
	Name    string
	Addr    string
	Handler http.Handler
}

// Listeners serve the operator's endpoints, each on an address of its
// own. The zero value serves nothing; Logger may be nil.
type Listeners struct {
	Logger    *log.Logger
	Endpoints []Endpoint

	servers []*http.Server
	wg      sync.WaitGroup
}

// Serve listens on each endpoint's address, skipping empty ones, and
// serves until Shutdown. Two endpoints on one address are refused (one
// would be dropped in silence), and so is an address that cannot be
// listened on; either way nothing is left serving.
func (ls *Listeners) Serve() error {
	seen := map[string]string{}
	for _, e := range ls.Endpoints {
		if e.Addr == "" {
			continue
		}
		if other, dup := seen[e.Addr]; dup {
			return fmt.Errorf("%s and %s are both %s: give each an address of its own", other, e.Name, e.Addr)
		}
		seen[e.Addr] = e.Name
	}
	for _, e := range ls.Endpoints {
		if e.Addr == "" {
			continue
		}
		l, err := net.Listen("tcp", e.Addr)
		if err != nil {
			_ = ls.Shutdown(context.Background())
			return fmt.Errorf("%s: listen %s: %w", e.Name, e.Addr, err)
		}
		hs := &http.Server{Handler: e.Handler, ReadHeaderTimeout: 5 * time.Second}
		ls.servers = append(ls.servers, hs)
		ls.log().Info("http listening", "addr", l.Addr().String(), "for", e.Name)
		ls.wg.Go(func() {
			if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				ls.log().Error("http", "addr", e.Addr, "err", err)
			}
		})
	}
	return nil
}

// Shutdown stops every endpoint, waiting up to a second each for
// requests in flight, or until ctx ends, and returns once they have.
func (ls *Listeners) Shutdown(ctx context.Context) error {
	var errs []error
	for _, hs := range ls.servers {
		c, cancel := context.WithTimeout(ctx, time.Second)
		if err := hs.Shutdown(c); err != nil {
			errs = append(errs, err)
		}
		cancel()
	}
	ls.wg.Wait()
	ls.servers = nil
	return errors.Join(errs...)
}

func (ls *Listeners) log() *log.Logger {
	if ls.Logger == nil {
		return log.New(io.Discard)
	}
	return ls.Logger
}

// Pprof serves net/http/pprof on a mux of its own, so that nothing is
// registered on http.DefaultServeMux.
func Pprof() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
