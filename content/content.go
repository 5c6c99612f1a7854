// Package content holds the résumé: the embedded document, its parser, the
// typed model every other package reads, and the exports (Markdown, plain
// text, JSON Resume). It knows nothing of terminals or SSH.
package content

import (
	"embed"
	"io/fs"
	"sync"
	"time"
)

// The embedded résumé: resume.md, or a resume.json put in its place
// (which wins when both are there).
//
//go:embed resume.*
var embeddedFiles embed.FS

// embeddedDoc is the embedded document's name and text.
func embeddedDoc() (string, []byte) { return pick(embeddedFiles) }

// pick is the résumé in files: resume.json when there is one, else
// resume.md.
func pick(files fs.FS) (string, []byte) {
	for _, name := range []string{"resume.json", "resume.md"} {
		if b, err := fs.ReadFile(files, name); err == nil {
			return name, b
		}
	}
	return "resume.md", nil
}

// Default is the parsed embedded document. A test guarantees that it
// parses, so Default never fails at run time.
// It is parsed once per process and shared; callers must not modify it.
func Default() *Resume { return defaultResume() }

var defaultResume = sync.OnceValue(func() *Resume {
	name, src := embeddedDoc()
	r, err := ParseAny(name, src)
	if err != nil {
		panic("content: the embedded " + name + " does not parse: " + err.Error())
	}
	return r
})

// Span is the whole career: the earliest start and the latest end (the
// zero Date when some role is current), and its length in months counted
// as Role.Months counts them.
func (r *Resume) Span(now time.Time) (start, end Date, months int) {
	if len(r.Roles) == 0 {
		return Date{}, Date{}, 0
	}
	first, last := r.Roles[0], r.Roles[0]
	current := false
	for _, role := range r.Roles {
		if role.Start.startIndex() < first.Start.startIndex() {
			first = role
		}
		if role.Current() {
			current = true
		} else if role.End.endIndex() > last.End.endIndex() {
			last = role
		}
	}
	whole := Role{Start: first.Start, End: last.End}
	if current {
		whole.End = Date{}
	}
	return whole.Start, whole.End, whole.Months(now)
}
