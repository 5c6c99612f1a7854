package content

import (
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"
)

// The generator of résumés for the property tests: people's writing
// drawn from vocabularies, so that the parser is tried on many shapes and
// words, not a few examples.

// sectionWords are the words that name sections. Titles are drawn with
// each of them at the start, in the middle and at the end, so that a
// parser that decides by the words in a heading is caught.
var sectionWords = []string{
	"Experience", "Work", "Network", "Employment", "Career", "Education", "Training", "Skills", "Languages",
	"Language", "Interest", "Reference", "Volunteer", "Award", "Publications", "Certification", "Projects",
	"Project", "Course", "Honours", "Formation", "Ausbildung",
}

var (
	titleCores = []string{"Engineer", "Manager", "Lead", "Officer", "Coordinator", "Developer", "Analyst", "Director", "Consultant", "Architect"}
	seniority  = []string{"Senior", "Junior", "Principal", "Staff", "Chief", "Lead", "Associate"}
	orgs       = []string{
		"Acme", "Northwind Telecom", "Initech, Inc.", "Müller & Söhne GmbH", "株式会社サンプル", "Contoso Ltd.",
		"Globex Corporation", "Ωmega Labs", "Société Générale d'Exemple", "R&D Partners", "The Example Trust", "Café Łódź",
	}
	places = []string{"Bristol, UK", "Remote", "Zürich", "São Paulo, Brazil", "東京", "Leeds", "New York, NY", "Kraków"}
	names  = []string{
		"Ann Example", "Zoë Ørsted", "José Álvarez-Núñez", "Ngozi Okonkwo-Adeyemi", "李 小龙", "Ludwig van Beethoven",
		"Saoirse Ní Bhraonáin", "Mary-Jane O'Neil", "Ōta Hikari", "Dvořák Antonín",
	}
	words = []string{
		"built", "the", "billing", "platform", "for", "40", "services", "cut", "latency", "by", "half", "mentored",
		"engineers", "Kubernetes", "on-call", "rota", "über", "naïve", "schema", "migrations", "café", "design",
	}
	freeHeadings = []string{"Talks", "Patents", "Speaking", "Open Source Contributions", "Teaching", "Writing", "Press"}
)

// drawTitle is a job title with a section's word at its start, in its
// middle or at its end, or none.
func drawTitle(t *rapid.T, label string) string {
	w := rapid.SampledFrom(sectionWords).Draw(t, label+"Word")
	core := rapid.SampledFrom(titleCores).Draw(t, label+"Core")
	sen := rapid.SampledFrom(seniority).Draw(t, label+"Seniority")
	switch rapid.IntRange(0, 4).Draw(t, label+"Shape") {
	case 0:
		return w + " " + core
	case 1:
		return sen + " " + w + " " + core
	case 2:
		return "Head of " + w
	case 3:
		return sen + " " + core
	}
	return core + ", " + w
}

func drawSentence(t *rapid.T, label string) string {
	ws := rapid.SliceOfN(rapid.SampledFrom(words), 2, 8).Draw(t, label)
	rs := []rune(strings.Join(ws, " "))
	return strings.ToUpper(string(rs[:1])) + string(rs[1:])
}

// drawDate is a date at a year's, a month's or a day's precision, from
// 1990 to 2025.
func drawDate(t *rapid.T, label string) Date {
	d := Date{Year: rapid.IntRange(1990, 2025).Draw(t, label+"Year")}
	switch rapid.IntRange(0, 2).Draw(t, label+"Precision") {
	case 1:
		d.Month = rapid.IntRange(1, 12).Draw(t, label+"Month")
	case 2:
		d.Month = rapid.IntRange(1, 12).Draw(t, label+"Month")
		d.Day = rapid.IntRange(1, daysIn(d.Year, d.Month)).Draw(t, label+"Day")
	}
	return d
}

// drawRange is a start and an end no earlier, or a zero end (current).
func drawRange(t *rapid.T, label string) (Date, Date) {
	start := drawDate(t, label+"Start")
	if rapid.Bool().Draw(t, label+"Current") {
		return start, Date{}
	}
	for range 20 {
		end := drawDate(t, label+"End")
		if end.startIndex() >= start.endIndex() && end.Year <= 2025 {
			return start, end
		}
	}
	return start, Date{Year: start.Year + 1}
}

// writeDate is d in one of the forms people write that keeps its
// precision.
func writeDate(t *rapid.T, d Date, label string) string {
	if d.IsZero() {
		return rapid.SampledFrom([]string{"Present", "present", "Now", "Current", "heute"}).Draw(t, label)
	}
	m := time.Month(d.Month).String()
	y := strconv.Itoa(d.Year)
	switch {
	case d.Month == 0:
		return y
	case d.Day == 0:
		return rapid.SampledFrom([]string{m + " " + y, m[:3] + " " + y, d.ISO(), strconv.Itoa(d.Month) + "/" + y}).Draw(t, label)
	}
	day := strconv.Itoa(d.Day)
	return rapid.SampledFrom([]string{day + " " + m + " " + y, m[:3] + " " + day + ", " + y, d.ISO()}).Draw(t, label)
}

// writeRange is a range in a form people write: "Mar 2019 – Present",
// "2019 to 2021", or a single date once.
func writeRange(t *rapid.T, start, end Date, label string) string {
	if start == end {
		return writeDate(t, start, label+"Only")
	}
	sep := rapid.SampledFrom([]string{" – ", " - ", " — ", " to ", "–", " -- "}).Draw(t, label+"Sep")
	return writeDate(t, start, label+"Start") + sep + writeDate(t, end, label+"End")
}

// drawRole is a role: a title from the vocabulary, an organisation with
// or without a location, dates of any precision, and highlights.
func drawRole(t *rapid.T, i int) Entry {
	label := "role" + strconv.Itoa(i)
	e := Entry{Kind: Work, Title: drawTitle(t, label), Organisation: rapid.SampledFrom(orgs).Draw(t, label+"Org")}
	if rapid.Bool().Draw(t, label+"HasPlace") {
		e.Location = rapid.SampledFrom(places).Draw(t, label+"Place")
	}
	e.Start, e.End = drawRange(t, label)
	for j := range rapid.IntRange(0, 3).Draw(t, label+"Highlights") {
		e.Highlights = append(e.Highlights, Item{Text: Text{{Text: drawSentence(t, label+"H"+strconv.Itoa(j))}}})
	}
	return e
}

// drawEntry is an entry of kind k with the fields its kind has, each
// present or absent.
func drawEntry(t *rapid.T, k Kind, label string) Entry {
	e := Entry{Kind: k}
	maybe := func(name string, from []string) string {
		if rapid.Bool().Draw(t, label+name+"?") {
			return rapid.SampledFrom(from).Draw(t, label+name)
		}
		return ""
	}
	list := func(name string, from []string) []string {
		var out []string
		for j := range rapid.IntRange(0, 3).Draw(t, label+name+"N") {
			out = append(out, rapid.SampledFrom(from).Draw(t, label+name+strconv.Itoa(j)))
		}
		return out
	}
	para := func(name string) []Block {
		if rapid.Bool().Draw(t, label+name+"?") {
			return []Block{{Kind: Paragraph, Text: Text{{Text: drawSentence(t, label+name)}}}}
		}
		return nil
	}
	dated := func(single bool) {
		if !rapid.Bool().Draw(t, label+"Dated") {
			return
		}
		if single {
			e.Start = drawDate(t, label+"Date")
			e.End = e.Start
			return
		}
		e.Start, e.End = drawRange(t, label)
	}
	switch k {
	case Volunteer:
		e.Title, e.Organisation = drawTitle(t, label), rapid.SampledFrom(orgs).Draw(t, label+"Org")
		e.Start, e.End = drawRange(t, label)
		e.Notes = para("Summary")
	case Education:
		e.Title = maybe("StudyType", []string{"MSc", "BSc", "PhD", "Bachelor of Arts", "Diplom-Informatiker", "Licence"})
		e.Area = maybe("Area", []string{"Computer Science", "Physics", "Music in Society", "Informatik", "Économie"})
		e.Organisation = rapid.SampledFrom([]string{"University of Bristol", "ETH Zürich", "Université Paris-Saclay", "MIT", "東京大学"}).Draw(t, label+"Inst")
		e.Score = maybe("Score", []string{"Distinction", "3.9/4.0", "First", "summa cum laude", "1,3"})
		e.Courses = list("Courses", []string{"Compilers", "Type systems", "Distributed systems", "Algèbre"})
		dated(false)
	case Awards, Certificates, Publications:
		e.Title = rapid.SampledFrom([]string{"On-call hero", "CKA", "Fast register allocation", "Best Paper", "Prix de l'innovation"}).Draw(t, label+"Title")
		e.Organisation = maybe("Org", orgs)
		dated(true)
		if k != Awards {
			e.URL = maybe("URL", []string{"https://example.com/x", "https://example.org/a?b=c"})
		}
		if k != Certificates {
			e.Notes = para("Summary")
		}
	case Skills, Interests:
		e.Title = rapid.SampledFrom([]string{"Go", "Operations", "Climbing", "Languages", "Data", "Frontend"}).Draw(t, label+"Name")
		if k == Skills {
			e.Level = maybe("Level", []string{"Expert", "Intermediate", "Fluent"})
		}
		e.Keywords = list("Keywords", []string{"Go", "Rust", "C++", "Kubernetes", "bouldering", "SQL"})
	case Languages:
		e.Title = rapid.SampledFrom([]string{"English", "Deutsch", "Français", "日本語", "Español"}).Draw(t, label+"Lang")
		e.Fluency = maybe("Fluency", []string{"Native", "Professional", "C1", "Grundkenntnisse"})
	case References:
		e.Title = rapid.SampledFrom(names).Draw(t, label+"Name")
		e.Notes = para("Reference")
	case Projects:
		e.Title = rapid.SampledFrom([]string{"tinyprof", "resume", "Ωmega", "pager-quiet"}).Draw(t, label+"Name")
		e.Organisation = maybe("Entity", []string{"Personal", "Acme"})
		e.Type = maybe("Type", []string{"application", "library"})
		e.URL = maybe("URL", []string{"https://example.com/p"})
		e.Roles = list("Roles", []string{"Author", "Maintainer"})
		e.Keywords = list("Keywords", []string{"Go", "SQLite"})
		e.Notes = para("Description")
		dated(false)
		for j := range rapid.IntRange(0, 2).Draw(t, label+"H") {
			e.Highlights = append(e.Highlights, Item{Text: Text{{Text: drawSentence(t, label+"H"+strconv.Itoa(j))}}})
		}
	}
	// What Markdown can give any entry, though the schema has no key
	// for it in every kind: a paragraph under it, a description, a place.
	if len(e.Notes) == 0 {
		e.Notes = para("Notes")
	}
	if k != Projects || len(e.Notes) == 0 {
		e.Description = maybe("Description", []string{"Card payments for small shops", "A charity"})
	}
	if k != Languages && k != Skills && k != Interests && k != References {
		e.Location = maybe("Place", places)
	}
	return e
}

// drawResume is a whole résumé model: the owner, a summary, roles, and
// any of JSON Resume's other sections, in the schema's order under their
// usual headings.
func drawResume(t *rapid.T) *Resume {
	r := &Resume{Name: "gen.json", fromJSON: true}
	r.Person.Name = rapid.SampledFrom(names).Draw(t, "name")
	if rapid.Bool().Draw(t, "hasLabel") {
		r.Person.Label = drawTitle(t, "label")
	}
	if rapid.Bool().Draw(t, "hasEmail") {
		r.Person.Email = "ann@example.com"
	}
	if rapid.Bool().Draw(t, "hasURL") {
		r.Person.URL = "https://ann.example.com"
	}
	if rapid.Bool().Draw(t, "hasLocation") {
		r.Person.Location = &Location{City: rapid.SampledFrom(places).Draw(t, "city"), CountryCode: rapid.SampledFrom([]string{"", "GB", "DE"}).Draw(t, "cc")}
	}
	if rapid.Bool().Draw(t, "hasProfile") {
		r.Person.Profiles = []Profile{{Network: "GitHub", Username: "annexample", URL: "https://github.com/annexample"}}
	}
	r.About = Section{Heading: r.Person.Name, Level: 1}
	if rapid.Bool().Draw(t, "hasSummary") {
		r.About.Blocks = []Block{{Kind: Paragraph, Text: Text{{Text: drawSentence(t, "summary")}}}}
	}
	for i := range rapid.IntRange(1, 5).Draw(t, "roles") {
		r.Roles = append(r.Roles, drawRole(t, i))
	}
	r.Sections = append(r.Sections, Section{Heading: Work.Heading(), Level: 2, Kind: Work})
	for k := Volunteer; int(k) < len(kinds); k++ {
		n := rapid.IntRange(0, 2).Draw(t, k.String())
		if n == 0 {
			continue
		}
		s := Section{Heading: k.Heading(), Level: 2, Kind: k, AfterRoles: len(r.Roles)}
		for i := range n {
			s.Entries = append(s.Entries, drawEntry(t, k, k.String()+strconv.Itoa(i)))
		}
		r.Sections = append(r.Sections, s)
	}
	if rapid.Bool().Draw(t, "hasFree") {
		r.Sections = append(r.Sections, Section{
			Heading: rapid.SampledFrom(freeHeadings).Draw(t, "freeHeading"), Level: 2, AfterRoles: len(r.Roles),
			Blocks: []Block{
				{Kind: Paragraph, Text: Text{{Text: drawSentence(t, "freePara")}}},
				{Kind: List, Items: []Item{{Text: Text{{Text: drawSentence(t, "freeItem")}}}}},
			},
		})
	}
	return r
}
