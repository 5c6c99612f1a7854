package server

import (
	"sync"
	"time"

	"github.com/resume-ssh/resume/content"
)

// document is one version of the résumé being served, with its JSON and
// Markdown exports, each made once (a JSON Resume's Markdown is written
// from its model). A reload swaps in a new one: sessions already open
// keep the one they started with.
type document struct {
	doc      *content.Resume
	loaded   time.Time // when it was swapped in: the web page's Last-Modified
	json     func() ([]byte, error)
	markdown func() []byte
}

// newDocument is doc as served: with the web page's address, when it is
// public, for the card to point to.
func (s *Server) newDocument(doc *content.Resume) *document {
	if s.cfg.PublicURL != "" && doc.PageURL != s.cfg.PublicURL {
		d := *doc
		d.PageURL = s.cfg.PublicURL
		doc = &d
	}
	return &document{doc: doc, loaded: time.Now(), json: sync.OnceValues(doc.JSON), markdown: sync.OnceValue(doc.Markdown)}
}

// doc is the document new sessions and commands get.
func (s *Server) doc() *content.Resume { return s.docs.Load().doc }

// SetDocument serves doc to every session and command that starts from now
// on; those already running keep theirs.
func (s *Server) SetDocument(doc *content.Resume) { s.docs.Store(s.newDocument(doc)) }
