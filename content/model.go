package content

import (
	"strings"
	"time"
)

// Resume is a parsed résumé document. It is immutable once parsed and safe
// to share between goroutines.
type Resume struct {
	// About is the opening section: the document's first heading (kept as
	// written) and the blocks under it.
	About Section
	// Roles are the positions held, in document order.
	Roles []Role
	// Sections are the parts of the document that are not roles (for
	// example Skills or Education), in document order.
	Sections []Section
	// Source is the document exactly as it was given.
	Source []byte
	// Name is the file it was read from, as messages name it.
	Name string
	// Person is who the résumé is of, as JSON Resume's basics or
	// Markdown front matter give it.
	Person Person
	// Card is what the contact card's QR code holds: "url" (the default,
	// when it is "") or "vcard".
	Card string
	// PageURL is where the résumé's web page is public, when the server
	// says so (--public-url): the card points there when the owner gives
	// no URL of their own. It is not the document's: no export has it.
	PageURL string

	fromJSON bool      // Source is JSON Resume, not Markdown
	notes    []Warning // what the parser read but doubts
}

// Warning is something read that is probably not what was meant, at the
// line it concerns (0 for the whole document).
type Warning struct {
	Line int
	Msg  string
}

// Person is the résumé's owner.
type Person struct {
	Name     string    `json:"name,omitempty"`
	Label    string    `json:"label,omitempty"` // a headline: "Staff SRE"
	Email    string    `json:"email,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	URL      string    `json:"url,omitempty"`
	Image    string    `json:"image,omitempty"`
	Location *Location `json:"location,omitempty"`
	Profiles []Profile `json:"profiles,omitempty"`
}

// Location is where the owner is, as JSON Resume writes it.
type Location struct {
	Address     string `json:"address,omitempty"`
	PostalCode  string `json:"postalCode,omitempty"`
	City        string `json:"city,omitempty"`
	CountryCode string `json:"countryCode,omitempty"`
	Region      string `json:"region,omitempty"`
}

// Profile is an account elsewhere: a network, a user name and its URL.
type Profile struct {
	Network  string `json:"network,omitempty"`
	Username string `json:"username,omitempty"`
	URL      string `json:"url,omitempty"`
}

// Title is the owner's name, else the document's opening heading, or ""
// when it has neither.
func (r *Resume) Title() string {
	if r.Person.Name != "" {
		return r.Person.Name
	}
	return r.About.Heading
}

// Role is one position held: a work entry. It is an Entry, so that the
// roles and the entries of every other section are read, written and
// shown alike.
type Role = Entry

// Current reports whether the role has no end date.
func (r Role) Current() bool { return r.End.IsZero() }

// Months is the role's length in whole calendar months, counted
// inclusively as LinkedIn does: July 2013 to July 2013 is one month, and
// July 2013 to present in November 2026 is 161 months. A year-only start
// counts from January; a year-only end counts to December.
func (r Role) Months(now time.Time) int {
	end := r.End
	if end.IsZero() {
		end = Date{Year: now.Year(), Month: int(now.Month())}
	}
	return end.endIndex() - r.Start.startIndex() + 1
}

// Duration is Months written for people, such as "11 yrs 4 mos", or "not
// started yet" for a role that starts after now.
func (r Role) Duration(now time.Time) string {
	if r.Start.startIndex() > monthIndex(now) {
		return "not started yet"
	}
	return FormatMonths(r.Months(now))
}

func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

// Section is a heading and what is under it, in order.
type Section struct {
	Heading string
	// Level is the heading's level, 1 to 6 (0 when there is no heading).
	Level int
	// Kind is what the section holds: Free for the owner's own sections,
	// Work for the heading over the roles (which are in Resume.Roles), or
	// one of JSON Resume's other sections, whose entries are in Entries.
	Kind Kind
	// Blocks are a free section's blocks, or the text written under a
	// typed section's heading that is not one of its entries.
	Blocks []Block
	// Entries are a typed section's entries, in order; each has the
	// section's Kind.
	Entries []Entry
	// AfterRoles is how many roles come before this section in the
	// document, so that an export can keep the document's order.
	AfterRoles int
	// Line is the 1-based line of the heading in the source.
	Line int
}

// Paragraphs is the section's paragraph text, in order.
func (s Section) Paragraphs() []Text {
	var out []Text
	for _, b := range s.Blocks {
		if b.Kind == Paragraph {
			out = append(out, b.Text)
		}
	}
	return out
}

// BlockKind says what a Block is.
type BlockKind int

// The kinds of Block.
const (
	Paragraph BlockKind = iota
	List
	Heading
	Code
	Quote
	Rule
)

// Block is one block of a free section: a paragraph, a list, a
// sub-heading, a code block, a quotation or a rule.
type Block struct {
	Kind BlockKind
	// Text is the paragraph's, heading's, quotation's or code block's text.
	Text Text
	// Level is a heading's level.
	Level int
	// Items are a list's items; Ordered says whether it is numbered.
	Items   []Item
	Ordered bool
}

// Item is a list item (a highlight, for a role) with any nested items.
type Item struct {
	Text  Text
	Items []Item
}

// Text is a run of inline spans.
type Text []Span

// Span is a piece of inline text with its emphasis. A link keeps its URL.
type Span struct {
	Text   string
	Emph   bool
	Strong bool
	Code   bool
	URL    string
}

// Plain is the text without markup; links show only their text.
func (t Text) Plain() string {
	if len(t) == 1 {
		return t[0].Text
	}
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// PlainWithURLs is the text without markup, each link followed by its URL
// in angle brackets unless the link's text already is the URL.
func (t Text) PlainWithURLs() string {
	var b strings.Builder
	for i, s := range t {
		b.WriteString(s.Text)
		if s.URL == "" || s.URL == s.Text || (i+1 < len(t) && t[i+1].URL == s.URL) {
			continue
		}
		b.WriteString(" <" + s.URL + ">")
	}
	return b.String()
}
