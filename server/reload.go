package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/resume-ssh/resume/content"
)

// reloadSettle is how long a file must be still before it is read again:
// an editor's save is several events (a write, a rename, a chmod).
const reloadSettle = 100 * time.Millisecond

// Watch keeps the served document in step with the file at path until ctx
// ends: it reloads it when the file changes and whenever hup delivers. A
// file that does not load never replaces a good document: the server
// keeps serving the old one and logs FILE:LINE: reason once per change.
// Sessions already open keep the document they started with. The
// directory is watched, not the file, since editors save by renaming a
// new file over the old.
func (s *Server) Watch(ctx context.Context, path string, hup <-chan os.Signal) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	defer w.Close()
	if err := w.Add(filepath.Dir(path)); err != nil {
		return fmt.Errorf("watch %s: %w", path, err)
	}
	name := filepath.Clean(path)
	var settle *time.Timer
	var settled <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			if settle != nil {
				settle.Stop()
			}
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if filepath.Clean(ev.Name) != name || ev.Op == fsnotify.Chmod {
				continue
			}
			settled = rearm(&settle, reloadSettle)
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			s.log.Warn("watching the résumé", "path", path, "err", err)
		case <-hup:
			s.reload(path, "SIGHUP")
		case <-settled:
			settled = nil
			s.reload(path, "the file changed")
		}
	}
}

// reload reads path and, if it loads, serves it from now on.
func (s *Server) reload(path, why string) {
	src, err := os.ReadFile(path)
	var doc *content.Resume
	if err == nil {
		doc, err = content.ParseAny(path, src)
	}
	if err != nil {
		var pe *content.ParseError
		msg := err.Error()
		if !errors.As(err, &pe) {
			msg = fmt.Sprintf("%s: %v", path, err)
		}
		s.metrics.reloads.WithLabelValues("error").Inc()
		s.log.Error("résumé not reloaded; still serving the last good one", "why", why, "err", msg)
		return
	}
	s.SetDocument(doc)
	s.metrics.reloads.WithLabelValues("ok").Inc()
	s.log.Info("résumé reloaded", "why", why, "path", path, "roles", len(doc.Roles), "sections", len(doc.Sections))
}
