package server

import (
	"sync"

	"github.com/resume-ssh/resume/content"
)

// document is one version of the résumé being served, with its JSON
// export, made once. A reload swaps in a new one: sessions already open
// keep the one they started with.
type document struct {
	doc  *content.Resume
	json func() ([]byte, error)
}

func newDocument(doc *content.Resume) *document {
	return &document{doc: doc, json: sync.OnceValues(doc.JSON)}
}

// doc is the document new sessions and commands get.
func (s *Server) doc() *content.Resume { return s.docs.Load().doc }

// SetDocument serves doc to every session and command that starts from now
// on; those already running keep theirs.
func (s *Server) SetDocument(doc *content.Resume) { s.docs.Store(newDocument(doc)) }
