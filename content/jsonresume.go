package content

import (
	"bytes"
	"cmp"
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
		if offset < 0 { // a place deeper than was recorded
			offset = pointers(src, -1)[ptr]
		}
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
	// The places of entries and sections give their lines; every value's
	// place is looked for only to report an error at it.
	places := pointers(src, 3)
	var in jsonResume
	if err := json.Unmarshal(src, &in); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			places = pointers(src, -1)
			ptr := pointerAt(places, typ.Offset)
			return nil, fail(places[ptr], ptr, fmt.Sprintf("want %s, not a JSON %s", kindName(typ.Type.String()), typ.Value))
		}
		return nil, fail(0, "", err.Error())
	}
	r := &Resume{Source: src, Name: name, fromJSON: true}
	rd := newReader()
	b := in.Basics
	r.Person = b.trimmed()
	heading := r.Person.Name
	if in.Meta.AboutHeading != nil {
		heading = oneLine(*in.Meta.AboutHeading)
	}
	r.About = Section{Heading: heading, Level: 1, Line: lineOf(lines, int(places["/basics"])), Blocks: rd.blocks(b.Summary)}
	read := func(k Kind) ([]Entry, error) {
		var out []Entry
		for i, j := range *in.entries(k) {
			ptr := "/" + k.String() + "/" + strconv.Itoa(i)
			e, err := fromJSON(rd, k, j, func(key, s string) (Date, error) {
				if strings.TrimSpace(s) == "" {
					if k == Work && key == "startDate" {
						return Date{}, fail(places[ptr], ptr+"/startDate", "missing; a role needs at least a year")
					}
					return Date{}, nil
				}
				d, ok := isoDate(s)
				if !ok {
					return Date{}, fail(-1, ptr+"/"+key, fmt.Sprintf("cannot read date %q (want YYYY, YYYY-MM or YYYY-MM-DD)", s))
				}
				return d, nil
			})
			if err != nil {
				return nil, err
			}
			if !e.End.IsZero() && e.End.endIndex() < e.Start.startIndex() {
				return nil, fail(-1, ptr+"/endDate", "ends before it starts")
			}
			e.Line = lineOf(lines, int(places[ptr]))
			out = append(out, e)
		}
		return out, nil
	}
	pending := map[Kind][]Entry{}
	for k := Work; int(k) < len(kinds); k++ {
		es, err := read(k)
		if err != nil {
			return nil, err
		}
		pending[k] = es
	}
	r.Roles = pending[Work]
	places2 := defaultLayout(&Resume{Roles: r.Roles, Sections: sectionsOf(pending)})
	if in.Meta.Layout != nil {
		places2 = *in.Meta.Layout
	}
	for i, pl := range places2 {
		k := kindNamed(pl.Kind)
		s := Section{
			Heading: oneLine(pl.Heading), Level: cmp.Or(min(max(pl.Level, 0), 6), 2), Kind: k,
			AfterRoles: min(max(pl.AfterRoles, 0), len(r.Roles)), Blocks: rd.blocks(pl.Markdown),
			Line: lineOf(lines, int(places["/"+k.String()])),
		}
		if in.Meta.Layout != nil {
			s.Line = lineOf(lines, int(places["/meta/layout/"+strconv.Itoa(i)]))
		}
		if k != Free && k != Work {
			n := min(max(pl.Entries, 0), len(pending[k]))
			s.Entries, pending[k] = pending[k][:n:n], pending[k][n:]
		}
		r.Sections = append(r.Sections, s)
	}
	// Entries the layout does not place (it was edited by hand) go under
	// a section of their own.
	for k := Volunteer; int(k) < len(kinds); k++ {
		if len(pending[k]) > 0 {
			r.Sections = append(r.Sections, Section{Heading: k.Heading(), Level: 2, Kind: k, AfterRoles: len(r.Roles), Entries: pending[k], Line: lineOf(lines, int(places["/"+k.String()]))})
		}
	}
	for _, s := range in.Meta.Sections {
		r.Sections = append(r.Sections, Section{Heading: s.Heading, Level: 2, AfterRoles: len(r.Roles), Blocks: paragraphs(strings.Join(s.Text, "\n\n"))})
	}
	return r, nil
}

// sectionsOf is pending's entries as one section a kind, for counting.
func sectionsOf(pending map[Kind][]Entry) []Section {
	var out []Section
	for k, es := range pending {
		if k != Work {
			out = append(out, Section{Kind: k, Entries: es})
		}
	}
	return out
}

// kindNamed is the Kind whose JSON Resume key is key, or Free.
func kindNamed(key string) Kind {
	for k := Work; int(k) < len(kinds); k++ {
		if kinds[k].key == key {
			return k
		}
	}
	return Free
}

// fromJSON is an entry of kind k read from its keys; date reads each of
// its dates, by key.
func fromJSON(rd reader, k Kind, j jsonEntry, date func(key, s string) (Date, error)) (Entry, error) {
	e := Entry{
		Kind: k, URL: oneLine(firstNonEmpty(j.URL, j.Website)), Location: j.Location, Area: j.Area, Score: j.Score,
		Level: j.Level, Fluency: j.Fluency, Type: j.Type, Highlights: rd.items(j.Highlights),
		Keywords: oneLines(j.Keywords), Courses: oneLines(j.Courses), Roles: oneLines(j.Roles),
	}
	if k == Work {
		j.Name = firstNonEmpty(j.Name, j.Company)
	}
	title, org, text, desc, startKey, endKey := schemaKeys(k, &j)
	e.Title, e.Organisation, e.Description = *title, *org, *desc
	for _, f := range []*string{&e.Title, &e.Organisation, &e.Location, &e.Description, &e.Area, &e.Score, &e.Level, &e.Fluency, &e.Type} {
		*f = oneLine(*f)
	}
	e.Notes = rd.blocks(*text)
	var err error
	if e.Start, err = date(startKey, *j.date(startKey)); err != nil {
		return e, err
	}
	if endKey == "" {
		endKey, e.End = "endDate", e.Start // a single date, unless an end is given too
		if strings.TrimSpace(j.EndDate) == "" {
			return e, nil
		}
	}
	e.End, err = date(endKey, *j.date(endKey))
	return e, err
}

// trimmed is p with its values on one line, as Markdown front matter
// holds them.
func (p Person) trimmed() Person {
	for _, f := range []*string{&p.Name, &p.Label, &p.Email, &p.Phone, &p.URL, &p.Image} {
		*f = oneLine(*f)
	}
	if l := p.Location; l != nil {
		c := *l
		for _, f := range []*string{&c.Address, &c.PostalCode, &c.City, &c.CountryCode, &c.Region} {
			*f = oneLine(*f)
		}
		p.Location = &c
		if c == (Location{}) {
			p.Location = nil
		}
	}
	profiles := make([]Profile, 0, len(p.Profiles))
	for _, pr := range p.Profiles {
		pr = Profile{Network: oneLine(pr.Network), Username: oneLine(pr.Username), URL: oneLine(pr.URL)}
		if pr != (Profile{}) {
			profiles = append(profiles, pr)
		}
	}
	p.Profiles = nil
	if len(profiles) > 0 {
		p.Profiles = profiles
	}
	return p
}

// oneLine is s with its white space folded to single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func oneLines(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = oneLine(s); s != "" {
			out = append(out, s)
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

// isoDate reads YYYY, YYYY-MM or YYYY-MM-DD, keeping the precision.
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
		if err != nil || len(parts[2]) != 2 || day < 1 || day > daysIn(d.Year, d.Month) {
			return Date{}, false
		}
		d.Day = day
	}
	return d, true
}

// pointers maps the JSON pointer of every value in src to its offset,
// to depth levels ("/work/3" is two), or all of them when depth is -1.
func pointers(src []byte, depth int) map[string]int64 {
	out := map[string]int64{}
	dec := json.NewDecoder(bytes.NewReader(src))
	escape := strings.NewReplacer("~", "~0", "/", "~1")
	var walk func(ptr string, level int) bool
	walk = func(ptr string, level int) bool {
		if depth >= 0 && level > depth {
			var skip json.RawMessage // deeper than asked: read past it whole
			return dec.Decode(&skip) == nil
		}
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
				if !walk(ptr+"/"+escape.Replace(fmt.Sprint(key)), level+1) {
					return false
				}
			}
		case '[':
			for i := 0; dec.More(); i++ {
				if !walk(ptr+"/"+strconv.Itoa(i), level+1) {
					return false
				}
			}
		}
		_, err = dec.Token() // the closing delimiter
		return err == nil
	}
	walk("", 0)
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
