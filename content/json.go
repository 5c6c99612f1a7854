package content

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// JSON Resume (jsonresume.org, schema 1.0) as this package reads and
// writes it. Each section's entries share one struct: a kind uses the
// keys the schema gives it (see Entry), and omitempty leaves out the
// rest.
type jsonResume struct {
	Basics       jsonBasics  `json:"basics"`
	Work         []jsonEntry `json:"work"`
	Volunteer    []jsonEntry `json:"volunteer,omitempty"`
	Education    []jsonEntry `json:"education,omitempty"`
	Awards       []jsonEntry `json:"awards,omitempty"`
	Certificates []jsonEntry `json:"certificates,omitempty"`
	Publications []jsonEntry `json:"publications,omitempty"`
	Skills       []jsonEntry `json:"skills,omitempty"`
	Languages    []jsonEntry `json:"languages,omitempty"`
	Interests    []jsonEntry `json:"interests,omitempty"`
	References   []jsonEntry `json:"references,omitempty"`
	Projects     []jsonEntry `json:"projects,omitempty"`
	Meta         jsonMeta    `json:"meta"`
}

// entries is the list of kind k's entries in the document.
func (j *jsonResume) entries(k Kind) *[]jsonEntry {
	return [...]*[]jsonEntry{
		Work: &j.Work, Volunteer: &j.Volunteer, Education: &j.Education, Awards: &j.Awards,
		Certificates: &j.Certificates, Publications: &j.Publications, Skills: &j.Skills,
		Languages: &j.Languages, Interests: &j.Interests, References: &j.References, Projects: &j.Projects,
	}[k]
}

type jsonBasics struct {
	Person
	Summary string `json:"summary,omitempty"`
}

type jsonEntry struct {
	Name         string   `json:"name,omitempty"`
	Company      string   `json:"company,omitempty"` // read as name; never written
	Website      string   `json:"website,omitempty"` // read as url (schema 0.x); never written
	Organization string   `json:"organization,omitempty"`
	Institution  string   `json:"institution,omitempty"`
	Title        string   `json:"title,omitempty"`
	Language     string   `json:"language,omitempty"`
	Position     string   `json:"position,omitempty"`
	StudyType    string   `json:"studyType,omitempty"`
	Area         string   `json:"area,omitempty"`
	Awarder      string   `json:"awarder,omitempty"`
	Issuer       string   `json:"issuer,omitempty"`
	Publisher    string   `json:"publisher,omitempty"`
	Entity       string   `json:"entity,omitempty"`
	Location     string   `json:"location,omitempty"`
	Description  string   `json:"description,omitempty"`
	URL          string   `json:"url,omitempty"`
	StartDate    string   `json:"startDate,omitempty"`
	EndDate      string   `json:"endDate,omitempty"`
	Date         string   `json:"date,omitempty"`
	ReleaseDate  string   `json:"releaseDate,omitempty"`
	Score        string   `json:"score,omitempty"`
	Level        string   `json:"level,omitempty"`
	Fluency      string   `json:"fluency,omitempty"`
	Type         string   `json:"type,omitempty"`
	Summary      string   `json:"summary,omitempty"`
	Reference    string   `json:"reference,omitempty"`
	Highlights   []string `json:"highlights,omitempty"`
	Keywords     []string `json:"keywords,omitempty"`
	Courses      []string `json:"courses,omitempty"`
	Roles        []string `json:"roles,omitempty"`
}

type jsonMeta struct {
	// AboutHeading keeps the opening heading when it is not the name,
	// which has no place of its own in the schema.
	AboutHeading *string `json:"aboutHeading,omitempty"`
	// Layout is the document's sections in order, with the owner's own
	// headings and the text of the sections the schema has no field for.
	// It is left out when it is the order and headings an export gives a
	// document that has none.
	Layout *[]jsonPlace `json:"layout,omitempty"` // [] for a document with no sections
	// Sections are free sections as earlier exports wrote them: read, no
	// longer written.
	Sections []jsonSection `json:"sections,omitempty"`
}

// jsonPlace is one section: its kind, heading and level, how many roles
// come before it, how many of its kind's entries it holds, and any text
// under it that is not an entry, as Markdown.
type jsonPlace struct {
	Kind       string `json:"kind"`
	Heading    string `json:"heading"`
	Level      int    `json:"level,omitempty"`
	AfterRoles int    `json:"afterRoles"`
	Entries    int    `json:"entries,omitempty"`
	Markdown   string `json:"markdown,omitempty"`
}

type jsonSection struct {
	Heading string   `json:"heading"`
	Text    []string `json:"text"`
}

// JSON is the résumé in the JSON Resume schema: basics from the owner
// and the opening section, each kind of entry in its own section (dates
// at the precision they were written, endDate left out while current),
// text as Markdown (plain text stays as it is), and the document's own
// headings, order and free sections under meta.layout.
func (r *Resume) JSON() ([]byte, error) {
	out := jsonResume{
		Basics: jsonBasics{Person: r.Person, Summary: blocksMarkdown(r.About.Blocks)},
		Work:   make([]jsonEntry, 0, len(r.Roles)),
	}
	if r.About.Heading != r.Person.Name {
		out.Meta.AboutHeading = &r.About.Heading
	}
	for _, role := range r.Roles {
		out.Work = append(out.Work, toJSON(role))
	}
	for _, s := range r.Sections {
		if s.Kind == Free || s.Kind == Work {
			continue
		}
		list := out.entries(s.Kind)
		for _, e := range s.Entries {
			*list = append(*list, toJSON(e))
		}
	}
	if l := layout(r); !slices.Equal(l, defaultLayout(r)) {
		out.Meta.Layout = &l
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "<" in a URL stays readable; this is not HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode json resume: %w", err)
	}
	return b.Bytes(), nil
}

// layout is r's sections as meta.layout writes them.
func layout(r *Resume) []jsonPlace {
	out := make([]jsonPlace, 0, len(r.Sections))
	for _, s := range r.Sections {
		out = append(out, jsonPlace{
			Kind: s.Kind.String(), Heading: s.Heading, Level: s.Level, AfterRoles: s.AfterRoles,
			Entries: len(s.Entries), Markdown: blocksMarkdown(s.Blocks),
		})
	}
	return out
}

// defaultLayout is the layout a document with no meta.layout is given:
// Experience over the roles, then each kind that has entries, in the
// schema's order, under its usual heading.
func defaultLayout(r *Resume) []jsonPlace {
	var out []jsonPlace
	if len(r.Roles) > 0 {
		out = append(out, jsonPlace{Kind: Work.String(), Heading: Work.Heading(), Level: 2})
	}
	count := map[Kind]int{}
	for _, s := range r.Sections {
		count[s.Kind] += len(s.Entries)
	}
	for k := Volunteer; int(k) < len(kinds); k++ {
		if count[k] > 0 {
			out = append(out, jsonPlace{Kind: k.String(), Heading: k.Heading(), Level: 2, AfterRoles: len(r.Roles), Entries: count[k]})
		}
	}
	return out
}

// schemaKeys is where an entry of kind k keeps its title, organisation,
// text and description among j's keys, and the keys of its dates (end
// "" where the schema gives the kind one date). The other fields have the
// same key in every kind; a field the schema does not give a kind (an
// education's notes, a skill's dates) is written under the key it has
// elsewhere, as the schema allows, so that nothing read is dropped.
func schemaKeys(k Kind, j *jsonEntry) (title, org, text, desc *string, start, end string) {
	title, org, text, desc, start, end = &j.Name, &j.Organization, &j.Summary, &j.Description, "startDate", "endDate"
	switch k {
	case Work:
		title, org = &j.Position, &j.Name
	case Volunteer:
		title = &j.Position
	case Education:
		title, org = &j.StudyType, &j.Institution
	case Awards:
		title, org, start, end = &j.Title, &j.Awarder, "date", ""
	case Certificates:
		org, start, end = &j.Issuer, "date", ""
	case Publications:
		org, start, end = &j.Publisher, "releaseDate", ""
	case Languages:
		title = &j.Language
	case References:
		text = &j.Reference
	case Projects:
		org, text, desc = &j.Entity, &j.Description, &j.Summary
	}
	return title, org, text, desc, start, end
}

// date is the field of j a date key names.
func (j *jsonEntry) date(key string) *string {
	switch key {
	case "date":
		return &j.Date
	case "releaseDate":
		return &j.ReleaseDate
	case "endDate":
		return &j.EndDate
	}
	return &j.StartDate
}

// toJSON is e in the keys its kind has in the schema.
func toJSON(e Entry) jsonEntry {
	j := jsonEntry{
		URL: e.URL, Location: e.Location, Area: e.Area, Score: e.Score, Level: e.Level, Fluency: e.Fluency, Type: e.Type,
		Highlights: itemsMarkdown(e.Highlights), Keywords: e.Keywords, Courses: e.Courses, Roles: e.Roles,
	}
	title, org, text, desc, start, end := schemaKeys(e.Kind, &j)
	*title, *org, *text, *desc = e.Title, e.Organisation, blocksMarkdown(e.Notes), e.Description
	*j.date(start) = e.Start.iso()
	if end != "" || e.End != e.Start {
		*j.date("endDate") = e.End.iso() // a range where the schema has one date: its end too
	}
	return j
}

// iso is the date as JSON writes it, or "" for the zero Date.
func (d Date) iso() string {
	if d.IsZero() {
		return ""
	}
	return d.ISO()
}

// itemsMarkdown is each item as a line of Markdown, nested items after
// their parent: JSON Resume's highlights are a flat list.
func itemsMarkdown(items []Item) []string {
	var out []string
	var walk func([]Item)
	walk = func(items []Item) {
		for _, it := range items {
			out = append(out, textMarkdown(it.Text))
			walk(it.Items)
		}
	}
	walk(items)
	return out
}

// flatten appends each item and then its nested items, depth first, as
// plain text.
func flatten(items []Item, out []string) []string {
	for _, it := range items {
		out = append(out, it.Text.PlainWithURLs())
		out = flatten(it.Items, out)
	}
	return out
}

// blocksMarkdown is blocks written as Markdown, as JSON text fields hold
// them, or "" for none.
func blocksMarkdown(bs []Block) string {
	var b strings.Builder
	writeBlocks(&b, bs)
	return strings.TrimRight(b.String(), "\n")
}
