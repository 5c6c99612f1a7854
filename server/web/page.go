package web

import (
	"html/template"
	"strings"
	"time"

	"github.com/resume-ssh/resume/content"
)

// page is what the page's template shows: the résumé's typed model laid
// out as HTML's structure, one h1 (the owner) and the sections as h2 in
// the document's order, each entry an h3.
type page struct {
	Lang     string
	Title    string // the h1 and the <title>
	Label    string
	Contact  contact
	About    []block
	Sections []section
	SSH      string // the command that opens the browser, or "" when the host is unknown
	Hello    bool   // the note form is on
	HasCard  bool   // /contact.vcf and /qr.svg have something to give
	QRAlt    string
	JSONLD   any
	Style    template.CSS // the stylesheet, whose hash the CSP names
}

type contact struct {
	Email, Phone, URL string
	Place             string
	Location          *content.Location
	Profiles          []content.Profile
}

// Any reports whether there is a way to get in touch to list.
func (c contact) Any() bool {
	return c.Email != "" || c.Phone != "" || c.URL != "" || c.Location != nil || len(c.Profiles) > 0
}

// section is one h2: a section of the document, or the roles.
type section struct {
	ID, Heading string
	Blocks      []block
	Entries     []entry
	Compact     []string // skills, languages, interests: one line each
}

// entry is one h3: a role or an entry of a typed section.
type entry struct {
	Head, Where  string
	Start, End   date // zero Start: no dates
	Duration     string
	URL          string
	Facts        []content.Fact
	Notes        []block
	Highlights   []content.Item
	Organisation string
}

// block is a block of text with the level its headings take on the
// page: the next under the heading it is in, so that no level is
// skipped.
type block struct {
	content.Block
	H int
}

func blocksAt(bs []content.Block, h int) []block {
	out := make([]block, len(bs))
	for i, b := range bs {
		out[i] = block{b, h}
	}
	return out
}

// date is a date as <time> shows it: its text and its machine-readable
// form ("Jul 2013", "2013-07"); Present has no datetime.
type date struct{ Text, ISO string }

func dateOf(d content.Date) date {
	if d.IsZero() {
		return date{Text: "Present"}
	}
	return date{Text: d.String(), ISO: d.ISO()}
}

// newPage lays doc out for the page, with durations counted to now.
func newPage(doc *content.Resume, now time.Time, lang, ssh string) page {
	p := doc.Person
	pg := page{
		Lang: lang, Title: doc.Title(), Label: p.Label, SSH: ssh,
		Contact: contact{Email: p.Email, Phone: p.Phone, URL: p.URL, Location: p.Location, Profiles: p.Profiles},
		About:   blocksAt(doc.About.Blocks, 2),
		HasCard: doc.CardPayload() != "",
		QRAlt:   "QR code for " + doc.CardURL(),
	}
	if pg.Title == "" {
		pg.Title = "Résumé"
	}
	if l := p.Location; l != nil {
		pg.Contact.Place = strings.Join(nonEmpty(l.City, l.Region, l.CountryCode), ", ")
	}
	ids := map[string]int{}
	add := func(s section) {
		s.ID = slug(s.Heading, ids)
		pg.Sections = append(pg.Sections, s)
	}
	if doc.About.Heading != "" && doc.About.Heading != pg.Title {
		// The document's own opening heading, under the owner's name.
		add(section{Heading: doc.About.Heading, Blocks: blocksAt(doc.About.Blocks, 3)})
		pg.About = nil
	}
	next, work := 0, -1 // work: the index in pg.Sections of the roles' section
	for i, r := range doc.Roles {
		for next < len(doc.Sections) && doc.Sections[next].AfterRoles <= i {
			add(sectionOf(doc.Sections[next], now))
			if doc.Sections[next].Kind == content.Work {
				work = len(pg.Sections) - 1
			}
			next++
		}
		if work < 0 || work != len(pg.Sections)-1 {
			add(section{Heading: content.Work.Heading()})
			work = len(pg.Sections) - 1
		}
		pg.Sections[work].Entries = append(pg.Sections[work].Entries, entryOf(r, now))
	}
	for ; next < len(doc.Sections); next++ {
		add(sectionOf(doc.Sections[next], now))
	}
	return pg
}

func sectionOf(s content.Section, now time.Time) section {
	out := section{Heading: s.Heading, Blocks: blocksAt(s.Blocks, 3)}
	if out.Heading == "" {
		out.Heading = s.Kind.Heading()
	}
	if s.Compact() {
		for _, e := range s.Entries {
			out.Compact = append(out.Compact, e.Line1())
		}
		return out
	}
	for _, e := range s.Entries {
		out.Entries = append(out.Entries, entryOf(e, now))
	}
	return out
}

func entryOf(e content.Entry, now time.Time) entry {
	out := entry{
		Head: e.Head(), Where: strings.Join(nonEmpty(e.Organisation, e.Location), " · "),
		URL: e.URL, Facts: e.Facts(), Notes: blocksAt(e.Notes, 4), Highlights: e.Highlights, Organisation: e.Organisation,
	}
	if e.Dated() {
		out.Start, out.End = dateOf(e.Start), dateOf(e.End)
		if e.Kind == content.Work {
			out.Duration = e.Duration(now)
		}
	}
	return out
}

// slug is an id for a heading, unique on the page.
func slug(s string, seen map[string]int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "section"
	}
	seen[id]++
	if n := seen[id]; n > 1 {
		id += "-" + itoa(n)
	}
	return id
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
