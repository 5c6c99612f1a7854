// Package admin serves the operator's HTTP endpoints (metrics, health,
// pprof) on listeners of their own, apart from the visitors' SSH port.
package admin

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"sync"
	"time"

	"charm.land/log/v2"
)

// Serve serves each handler on its address, skipping empty addresses,
// and returns a function that shuts them all down and waits for them.
// An address that cannot be listened on is an error, and nothing is left
// serving.
func Serve(logger *log.Logger, handlers map[string]http.Handler) (stop func(), err error) {
	var servers []*http.Server
	var wg sync.WaitGroup
	stop = func() {
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
		wg.Go(func() {
			if err := hs.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("http", "addr", addr, "err", err)
			}
		})
	}
	return stop, nil
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
