package server

import (
	"context"
	"time"
)

// retainEvery is how often Retain looks for notes past their time.
const retainEvery = time.Hour

// Retain removes the notes older than the InboxRetention now and every
// hour after, until ctx ends. Without an inbox or a retention it returns
// at once.
func (s *Server) Retain(ctx context.Context) {
	if s.cfg.Inbox == nil || s.cfg.InboxRetention <= 0 {
		return
	}
	t := time.NewTicker(retainEvery)
	defer t.Stop()
	for {
		n, err := s.cfg.Inbox.Prune(ctx, s.cfg.Now().Add(-s.cfg.InboxRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("removing old notes", "err", err)
		case n > 0:
			s.log.Info("removed old notes", "count", n, "older than", s.cfg.InboxRetention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
