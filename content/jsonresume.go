package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// IsJSON reports whether a document named name with src should be read as
// JSON Resume: by its extension, or by its first character.
func IsJSON(name string, src []byte) bool {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return true
	}
	return bytes.HasPrefix(bytes.TrimLeft(src, " \t\r\n\ufeff"), []byte("{"))
}

// ParseAny reads src as JSON Resume or as Markdown, as IsJSON decides.
func ParseAny(name string, src []byte) (*Resume, error) {
	if IsJSON(name, src) {
		return ParseJSON(name, src)
	}
	return ParseNamed(name, src)
}

// The JSON Resume schema (1.x) as it is read: leniently, as real files
// need. Unknown keys are ignored; work[].company counts as name.
type inResume struct {
	Basics       inBasics        `json:"basics"`
	Work         []inWork        `json:"work"`
	Volunteer    []inVolunteer   `json:"volunteer"`
	Education    []inEducation   `json:"education"`
	Awards       []inAward       `json:"awards"`
	Certificates []inCertificate `json:"certificates"`
	Publications []inPublication `json:"publications"`
	Skills       []inKeywords    `json:"skills"`
	Languages    []inLanguage    `json:"languages"`
	Interests    []inKeywords    `json:"interests"`
	References   []inReference   `json:"references"`
	Projects     []inProject     `json:"projects"`
	Meta         jsonMeta        `json:"meta"`
}

type inBasics struct {
	Name, Label, Email, Phone, URL, Summary string
	Location                                *Location
	Profiles                                []Profile
}

type inWork struct {
	Name, Company, Position, URL, Location, Description string
	StartDate, EndDate, Summary                         string
	Highlights                                          []string
}

type inVolunteer struct {
	Organization, Position, URL, StartDate, EndDate, Summary string
	Highlights                                               []string
}

type inEducation struct {
	Institution, URL, Area, StudyType, StartDate, EndDate, Score string
	Courses                                                      []string
}

type inAward struct{ Title, Date, Awarder, Summary string }

type inCertificate struct{ Name, Date, URL, Issuer string }

type inPublication struct{ Name, Publisher, ReleaseDate, URL, Summary string }

type inKeywords struct {
	Name, Level string
	Keywords    []string
}

type inLanguage struct{ Language, Fluency string }

type inReference struct{ Name, Reference string }

type inProject struct {
	Name, Description, StartDate, EndDate, URL, Entity, Type string
	Highlights, Keywords, Roles                              []string
}

// ParseJSON reads a résumé in the JSON Resume schema. Errors name the
// place as FILE:LINE:COL and the JSON pointer, for example
// resume.json:14:22: /work/2/startDate: cannot read date "2019-13".
//
// basics gives the owner and the about page (its name as the heading);
// work gives the roles, a missing endDate meaning current, highlights as
// bullets and the summary as a paragraph; the schema's other sections
// (volunteer, education, awards, certificates, publications, skills,
// languages, interests, references and projects) become sections of the
// about page, in the schema's order.
func ParseJSON(name string, src []byte) (*Resume, error) {
	lines := lineStarts(src)
	fail := func(offset int64, ptr, msg string) error {
		line, col := lineCol(src, lines, offset)
		if ptr != "" {
			msg = ptr + ": " + msg
		}
		return &ParseError{File: name, Line: line, Col: col, Msg: msg}
	}
	if at := notText(src); at >= 0 {
		return nil, &ParseError{File: name, Line: lineOf(lines, at), Msg: fmt.Sprintf("not UTF-8 text (byte %d)", at+1)}
	}
	if !json.Valid(src) {
		var syntax *json.SyntaxError
		if err := json.Unmarshal(src, new(any)); errors.As(err, &syntax) {
			// The error is at the byte before Offset.
			return nil, fail(max(0, syntax.Offset-1), "", "not JSON: "+syntax.Error())
		}
		return nil, fail(0, "", "not JSON")
	}
	if !bytes.HasPrefix(bytes.TrimSpace(src), []byte("{")) {
		return nil, fail(0, "", "not a JSON Resume: the document is not a JSON object")
	}
	places := pointers(src)
	var in inResume
	if err := json.Unmarshal(src, &in); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			ptr := pointerAt(places, typ.Offset)
			return nil, fail(places[ptr], ptr, fmt.Sprintf("want %s, not a JSON %s", kindName(typ.Type.String()), typ.Value))
		}
		return nil, fail(0, "", err.Error())
	}
	date := func(ptr, s string, required bool) (Date, error) {
		if strings.TrimSpace(s) == "" {
			if required {
				return Date{}, fail(places[strings.TrimSuffix(ptr, "/startDate")], ptr, "missing; a role needs at least a year")
			}
			return Date{}, nil
		}
		d, ok := isoDate(s)
		if !ok {
			return Date{}, fail(places[ptr], ptr, fmt.Sprintf("cannot read date %q (want YYYY, YYYY-MM or YYYY-MM-DD)", s))
		}
		return d, nil
	}
	r := &Resume{Source: src, Name: name, fromJSON: true}
	b := in.Basics
	r.Person = Person{Name: b.Name, Label: b.Label, Email: b.Email, Phone: b.Phone, URL: b.URL, Location: b.Location, Profiles: b.Profiles}
	r.About = Section{Heading: firstNonEmpty(b.Name, in.Meta.AboutHeading), Level: 1, Line: lineOf(lines, int(places["/basics"])), Blocks: paragraphs(b.Summary)}
	for i, w := range in.Work {
		ptr := "/work/" + strconv.Itoa(i)
		start, err := date(ptr+"/startDate", w.StartDate, true)
		if err != nil {
			return nil, err
		}
		end, err := date(ptr+"/endDate", w.EndDate, false)
		if err != nil {
			return nil, err
		}
		if !end.IsZero() && end.endIndex() < start.startIndex() {
			return nil, fail(places[ptr+"/endDate"], ptr+"/endDate", "ends before it starts")
		}
		role := Role{
			Title: w.Position, Organisation: firstNonEmpty(w.Name, w.Company),
			Start: start, End: end, Highlights: items(w.Highlights),
			Line: lineOf(lines, int(places[ptr])),
		}
		role.Notes = paragraphs(w.Summary)
		r.Roles = append(r.Roles, role)
	}
	for _, s := range in.sections() {
		if len(s.Blocks) > 0 {
			s.Level, s.AfterRoles = 2, len(r.Roles)
			r.Sections = append(r.Sections, s)
		}
	}
	for _, s := range in.Meta.Sections {
		r.Sections = append(r.Sections, Section{Heading: s.Heading, Level: 2, AfterRoles: len(r.Roles), Blocks: paragraphs(strings.Join(s.Text, "\n\n"))})
	}
	return r, nil
}

// sections are the schema's sections after work, in its order, as about
// page sections: an entry a sub-heading, its text and its bullets.
func (in inResume) sections() []Section {
	// The dates go on a line of their own, not in the heading: a heading
	// that ends in dates is a role's, in Markdown.
	entry := func(title, dates string, text string, bullets []string) []Block {
		bs := []Block{{Kind: Heading, Level: 3, Text: Text{{Text: title}}}}
		if dates != "" {
			bs = append(bs, Block{Kind: Paragraph, Text: Text{{Text: dates, Emph: true}}})
		}
		bs = append(bs, paragraphs(text)...)
		if len(bullets) > 0 {
			bs = append(bs, Block{Kind: List, Items: items(bullets)})
		}
		return bs
	}
	span := func(a, b string) string {
		da, okA := isoDate(a)
		db, okB := isoDate(b)
		switch {
		case okA && okB:
			return FormatRange(da, db)
		case okA:
			return FormatRange(da, Date{})
		}
		return ""
	}
	var out []Section
	add := func(heading string, blocks []Block) { out = append(out, Section{Heading: heading, Blocks: blocks}) }
	var bs []Block
	for _, v := range in.Volunteer {
		bs = append(bs, entry(joinNonEmpty(", ", v.Position, v.Organization), span(v.StartDate, v.EndDate), v.Summary, v.Highlights)...)
	}
	add("Volunteering", bs)
	bs = nil
	for _, e := range in.Education {
		bs = append(bs, entry(joinNonEmpty(", ", joinNonEmpty(" in ", e.StudyType, e.Area), e.Institution), span(e.StartDate, e.EndDate), labelled("Score", e.Score), e.Courses)...)
	}
	add("Education", bs)
	bs = nil
	for _, a := range in.Awards {
		bs = append(bs, entry(joinNonEmpty(", ", a.Title, a.Awarder), span(a.Date, a.Date), a.Summary, nil)...)
	}
	add("Awards", bs)
	bs = nil
	for _, c := range in.Certificates {
		bs = append(bs, entry(joinNonEmpty(", ", c.Name, c.Issuer), span(c.Date, c.Date), c.URL, nil)...)
	}
	add("Certificates", bs)
	bs = nil
	for _, p := range in.Publications {
		bs = append(bs, entry(joinNonEmpty(", ", p.Name, p.Publisher), span(p.ReleaseDate, p.ReleaseDate), joinNonEmpty("\n\n", p.Summary, p.URL), nil)...)
	}
	add("Publications", bs)
	add("Skills", keywordList(in.Skills))
	var langs []string
	for _, l := range in.Languages {
		langs = append(langs, joinNonEmpty(": ", l.Language, l.Fluency))
	}
	add("Languages", list(langs))
	add("Interests", keywordList(in.Interests))
	bs = nil
	for _, ref := range in.References {
		bs = append(bs, entry(ref.Name, "", ref.Reference, nil)...)
	}
	add("References", bs)
	bs = nil
	for _, p := range in.Projects {
		bullets := append(append([]string{}, p.Highlights...), labelled("Roles", strings.Join(p.Roles, ", ")), labelled("Keywords", strings.Join(p.Keywords, ", ")))
		bs = append(bs, entry(joinNonEmpty(", ", p.Name, p.Entity), span(p.StartDate, p.EndDate), joinNonEmpty("\n\n", p.Description, p.URL), nonEmpty(bullets))...)
	}
	add("Projects", bs)
	return out
}

// keywordList is "name: keyword, keyword" per entry, as the Markdown
// Skills section writes it and the JSON export reads it back.
func keywordList(ks []inKeywords) []Block {
	var lines []string
	for _, k := range ks {
		lines = append(lines, joinNonEmpty(": ", k.Name, strings.Join(k.Keywords, ", ")))
	}
	return list(lines)
}

func list(lines []string) []Block {
	lines = nonEmpty(lines)
	if len(lines) == 0 {
		return nil
	}
	return []Block{{Kind: List, Items: items(lines)}}
}

func items(lines []string) []Item {
	var out []Item
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, Item{Text: Text{{Text: l}}})
		}
	}
	return out
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []Block {
	var out []Block
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, Block{Kind: Paragraph, Text: Text{{Text: strings.Join(strings.Fields(p), " ")}}})
		}
	}
	return out
}

func labelled(label, value string) string {
	if value == "" {
		return ""
	}
	return label + ": " + value
}

func joinNonEmpty(sep string, parts ...string) string { return strings.Join(nonEmpty(parts), sep) }

func nonEmpty(parts []string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// isoDate reads YYYY, YYYY-MM or YYYY-MM-DD (the day is dropped: the
// model counts months).
func isoDate(s string) (Date, bool) {
	parts := strings.Split(strings.TrimSpace(s), "-")
	if len(parts) > 3 {
		return Date{}, false
	}
	y, ok := year(parts[0])
	if !ok {
		return Date{}, false
	}
	d := Date{Year: y}
	if len(parts) >= 2 {
		m, err := strconv.Atoi(parts[1])
		if err != nil || len(parts[1]) != 2 || m < 1 || m > 12 {
			return Date{}, false
		}
		d.Month = m
	}
	if len(parts) == 3 {
		day, err := strconv.Atoi(parts[2])
		if err != nil || len(parts[2]) != 2 || day < 1 || day > 31 {
			return Date{}, false
		}
	}
	return d, true
}

// pointers maps the JSON pointer of every value in src to its offset.
func pointers(src []byte) map[string]int64 {
	out := map[string]int64{}
	dec := json.NewDecoder(bytes.NewReader(src))
	var walk func(ptr string) bool
	walk = func(ptr string) bool {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		out[ptr] = start + int64(len(leadingSpace(src[start:])))
		d, ok := tok.(json.Delim)
		if !ok {
			return true
		}
		switch d {
		case '{':
			for dec.More() {
				key, err := dec.Token()
				if err != nil {
					return false
				}
				k := strings.NewReplacer("~", "~0", "/", "~1").Replace(fmt.Sprint(key))
				if !walk(ptr + "/" + k) {
					return false
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if !walk(ptr + "/" + strconv.Itoa(i)) {
					return false
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err == nil
	}
	walk("")
	return out
}

// pointerAt is the pointer of the innermost value that starts at or
// before offset: where a type error was found.
func pointerAt(places map[string]int64, offset int64) string {
	best, at := "", int64(-1)
	for ptr, off := range places {
		if off <= offset && (off > at || (off == at && len(ptr) > len(best))) {
			best, at = ptr, off
		}
	}
	return best
}

func leadingSpace(b []byte) []byte {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t' || b[n] == '\n' || b[n] == '\r' || b[n] == ',' || b[n] == ':') {
		n++
	}
	return b[:n]
}

// lineCol is the 1-based line and column (in runes) of offset.
func lineCol(src []byte, lines []int, offset int64) (int, int) {
	line := lineOf(lines, int(offset))
	start := lines[line-1]
	return line, len([]rune(string(src[start:min(int(offset), len(src))]))) + 1
}

// lineOf is the 1-based line of offset, given each line's start.
func lineOf(lines []int, offset int) int {
	return sort.Search(len(lines), func(i int) bool { return lines[i] > offset })
}

func kindName(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "string":
		return "a string"
	case strings.Contains(goType, "."):
		return "an object"
	}
	return goType
}
