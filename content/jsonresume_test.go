package content

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func readJSON(t *testing.T, name string) *Resume {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseAny(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestJSONResumeIn(t *testing.T) {
	r := readJSON(t, "testdata/json/full.json")
	want := []struct{ title, org, dates string }{
		{"Staff SRE", "Northwind Payments", "1 Mar 2019 – Present"},
		{"Compiler Engineer", "Contoso Compilers", "Sep 2014 – Feb 2019"},
		{"Research Assistant", "Example University", "2012 – 2014"},
	}
	if len(r.Roles) != len(want) {
		t.Fatalf("%d roles, want %d", len(r.Roles), len(want))
	}
	for i, w := range want {
		role := r.Roles[i]
		if role.Title != w.title || role.Organisation != w.org || FormatRange(role.Start, role.End) != w.dates {
			t.Errorf("role %d: %q at %q, %s", i+1, role.Title, role.Organisation, FormatRange(role.Start, role.End))
		}
	}
	if got := r.Roles[0].Highlights[1].Text.Plain(); got != "Ran the move to three regions" {
		t.Errorf("highlight: %q", got)
	}
	if got := r.Roles[0].Notes[0].Text.Plain(); got != "Reliability for the card-present platform." {
		t.Errorf("summary: %q", got)
	}
	if r.Title() != "Ann Example" || r.Person.Label != "Staff Site Reliability Engineer" || r.Person.Email != "ann@example.com" ||
		len(r.Person.Profiles) != 2 || r.Person.Location.City != "Leeds" {
		t.Errorf("person: %+v", r.Person)
	}
	if n := len(r.About.Paragraphs()); n != 2 {
		t.Errorf("the summary gave %d paragraphs, want 2", n)
	}
	if w := r.Roles[0]; w.Location != "Leeds" || w.URL != "https://northwind.example.com" || w.Description != "Card payments for small shops" {
		t.Errorf("work's own fields: %+v", w)
	}
	var headings []string
	for _, s := range r.Sections {
		headings = append(headings, s.Heading)
	}
	if got := strings.Join(headings, ", "); got != "Experience, Volunteering, Education, Awards, Certificates, Publications, Skills, Languages, Interests, References, Projects" {
		t.Errorf("sections in the schema's order: %s", got)
	}
	// Every section is typed, each entry with its own fields and dates.
	entry := func(k Kind) Entry {
		for _, s := range r.Sections {
			if s.Kind == k && len(s.Entries) == 1 {
				return s.Entries[0]
			}
		}
		t.Fatalf("no single %s entry", k)
		return Entry{}
	}
	d := func(y, m, day int) Date { return Date{Year: y, Month: m, Day: day} }
	for _, tc := range []struct {
		got  Entry
		want Entry
	}{
		{entry(Volunteer), Entry{
			Kind: Volunteer, Title: "Mentor", Organisation: "Code Club", Start: d(2016, 1, 1),
			Notes: []Block{{Kind: Paragraph, Text: Text{{Text: "Saturday mornings."}}}}, Highlights: []Item{{Text: Text{{Text: "Taught Scratch to 40 children"}}}},
		}},
		{entry(Education), Entry{
			Kind: Education, Title: "MSc", Area: "Computer Science", Organisation: "Example University",
			Start: d(2011, 0, 0), End: d(2012, 0, 0), Score: "Distinction", Courses: []string{"Compilers", "Type systems"},
		}},
		{entry(Awards), Entry{
			Kind: Awards, Title: "On-call hero", Organisation: "Northwind", Start: d(2021, 6, 0), End: d(2021, 6, 0),
			Notes: []Block{{Kind: Paragraph, Text: Text{{Text: "Six nines in a year."}}}},
		}},
		{entry(Certificates), Entry{Kind: Certificates, Title: "CKA", Organisation: "CNCF", Start: d(2020, 1, 15), End: d(2020, 1, 15), URL: "https://example.com/cka"}},
		{entry(Publications), Entry{
			Kind: Publications, Title: "Fast register allocation", Organisation: "Example Press", Start: d(2017, 5, 0), End: d(2017, 5, 0),
			URL: "https://example.com/paper", Notes: []Block{{Kind: Paragraph, Text: Text{{Text: "A linear-scan variant."}}}},
		}},
		{entry(Interests), Entry{Kind: Interests, Title: "Climbing", Keywords: []string{"bouldering"}}},
		{entry(References), Entry{Kind: References, Title: "Bo Example", Notes: []Block{{Kind: Paragraph, Text: Text{{Text: "Ann made our pager quiet."}}}}}},
		{entry(Projects), Entry{
			Kind: Projects, Title: "tinyprof", Organisation: "Personal", Type: "application", URL: "https://example.com/tinyprof",
			Start: d(2018, 0, 0), Keywords: []string{"Go"}, Roles: []string{"Author"},
			Notes: []Block{{Kind: Paragraph, Text: Text{{Text: "A sampling profiler"}}}}, Highlights: []Item{{Text: Text{{Text: "1k stars"}}}},
		}},
	} {
		tc.got.Line = 0
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.want.Kind, tc.got, tc.want)
		}
	}
	for _, s := range r.Sections {
		if s.Kind == Languages && (len(s.Entries) != 2 || s.Entries[1].Title != "German" || s.Entries[1].Fluency != "Professional") {
			t.Errorf("languages: %+v", s.Entries)
		}
		if s.Kind == Skills && (len(s.Entries) != 2 || s.Entries[0].Level != "Expert" || strings.Join(s.Entries[0].Keywords, ",") != "Go,Rust,C") {
			t.Errorf("skills: %+v", s.Entries)
		}
	}
	text := r.Text(100, now)
	for _, s := range []string{
		"Mentor\nCode Club · 1 Jan 2016 – Present", "MSc in Computer Science\nExample University · 2011 – 2012\nScore: Distinction",
		"- Languages (Expert): Go, Rust, C", "- German (Professional)", "Ann made our pager quiet.", "Experience\n----------",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("the text export lacks %q", s)
		}
	}
}

// TestJSONResumeLenient: real files' shapes: company for name, missing
// end dates, extra keys, empty arrays, and full dates.
func TestJSONResumeLenient(t *testing.T) {
	r := readJSON(t, "testdata/json/old-shapes.json")
	if len(r.Roles) != 2 || r.Roles[0].Organisation != "Old Key Ltd" || !r.Roles[0].Current() ||
		r.Roles[1].Organisation != "Older Key Ltd" || FormatRange(r.Roles[1].Start, r.Roles[1].End) != "15 Jun 2018 – 1 Sep 2018" {
		t.Errorf("roles: %+v", r.Roles)
	}
	if len(r.Sections) != 1 || r.Sections[0].Kind != Work {
		t.Errorf("empty arrays made sections: %+v", r.Sections)
	}
}

// TestJSONResumeRoundTrip: the JSON export of an imported file keeps what
// the model knows of it (basics, the summary, every role), is valid
// JSON Resume, and so is its Markdown, which parses back to the same
// roles.
func TestJSONResumeRoundTrip(t *testing.T) {
	schema := compileSchema(t)
	for _, name := range []string{"testdata/json/full.json", "testdata/json/old-shapes.json"} {
		r := readJSON(t, name)
		js, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		validate(t, schema, js)
		back, err := ParseJSON("export.json", js)
		if err != nil {
			t.Fatalf("%s: the export does not read back: %v", name, err)
		}
		for i := range back.Roles { // where a role stands in its file
			back.Roles[i].Line = r.Roles[i].Line
		}
		if !reflect.DeepEqual(back.Person, r.Person) || !reflect.DeepEqual(back.Roles, r.Roles) || !reflect.DeepEqual(back.About.Blocks, r.About.Blocks) {
			t.Errorf("%s: the round trip changed the person, roles or summary:\n%+v\n%+v", name, back.Roles, r.Roles)
		}
		var orig, out map[string]any
		src, _ := os.ReadFile(name)
		_ = json.Unmarshal(src, &orig)
		_ = json.Unmarshal(js, &out)
		for _, k := range []string{"name", "label", "email", "phone", "url", "profiles"} {
			if ob := orig["basics"].(map[string]any)[k]; ob != nil && !reflect.DeepEqual(ob, out["basics"].(map[string]any)[k]) {
				t.Errorf("%s: basics.%s changed: %v → %v", name, k, ob, out["basics"].(map[string]any)[k])
			}
		}
		md, err := ParseNamed("export.md", r.Markdown())
		if err != nil {
			t.Fatalf("%s: the Markdown export does not parse: %v\n%s", name, err, r.Markdown())
		}
		if len(md.Roles) != len(r.Roles) {
			t.Fatalf("%s: the Markdown export has %d roles, want %d:\n%s", name, len(md.Roles), len(r.Roles), r.Markdown())
		}
		for i := range r.Roles {
			a, b := md.Roles[i], r.Roles[i]
			if a.Title != b.Title || a.Organisation != b.Organisation || a.Start != b.Start || a.End != b.End || len(a.Highlights) != len(b.Highlights) {
				t.Errorf("%s: role %d through Markdown: %+v, want %+v", name, i+1, a, b)
			}
		}
	}
}

func TestJSONResumeErrors(t *testing.T) {
	src, err := os.ReadFile("testdata/json/bad-date.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, src, want string
	}{
		{"bad-date.json", string(src), `bad-date.json:5:49: /work/1/startDate: cannot read date "2019-13" (want YYYY, YYYY-MM or YYYY-MM-DD)`},
		{"cv.json", "{\"work\": [{\"position\": \"X\", \"startDate\": \"2019\", \"highlights\": \"one\"}]}", `cv.json:1:64: /work/0/highlights: want a list, not a JSON string`},
		{"cv.json", "{\"work\": [{\"position\": \"X\"}]}", `cv.json:1:11: /work/0/startDate: missing; a role needs at least a year`},
		{"cv.json", "{\"work\": [{\"position\": \"X\", \"startDate\": \"2019\", \"endDate\": \"2018\"}]}", `cv.json:1:61: /work/0/endDate: ends before it starts`},
		{"cv.json", "{\"basics\": {\"name\": \"A\",}}", `cv.json:1:25: not JSON: invalid character '}' looking for beginning of object key string`},
		{"cv.json", "# A Markdown file\n", `cv.json:1:1: not JSON: invalid character '#' looking for beginning of value`},
		{"cv.json", "[1, 2]", `cv.json:1:1: not a JSON Resume: the document is not a JSON object`},
	} {
		_, err := ParseAny(tc.name, []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.src, err, tc.want)
		}
	}
}

func BenchmarkParseJSON50Roles(b *testing.B) {
	var w []string
	for i := range 50 {
		w = append(w, `{"name": "Org `+string(rune('A'+i%26))+`", "position": "Engineer", "startDate": "201`+string(rune('0'+i%10))+`-01", "endDate": "2021-12", "summary": "Did things.", "highlights": ["One", "Two", "Three"]}`)
	}
	src := []byte(`{"basics": {"name": "A", "summary": "B"}, "work": [` + strings.Join(w, ",") + `]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON("bench.json", src); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNoRolesIsAWarning(t *testing.T) {
	r, err := ParseNamed("cv.md", []byte("# Me\n\nJust a paragraph.\n"))
	if err != nil {
		t.Fatal(err)
	}
	w := r.Warnings(now)
	if len(w) != 1 || !strings.HasPrefix(w[0], "cv.md: no roles") {
		t.Errorf("warnings: %q", w)
	}
	if got := r.Summary(now); got != "cv.md: 0 roles, 0 sections" {
		t.Errorf("summary: %q", got)
	}
}

// TestEmbeddedJSON: a resume.json put beside (or in place of) the
// embedded resume.md is the one built in.
func TestEmbeddedJSON(t *testing.T) {
	src, err := os.ReadFile("testdata/json/full.json")
	if err != nil {
		t.Fatal(err)
	}
	name, b := pick(fstest.MapFS{"resume.md": {Data: []byte("# Seed\n")}, "resume.json": {Data: src}})
	r, err := ParseAny(name, b)
	if err != nil || name != "resume.json" || r.Title() != "Ann Example" || len(r.Roles) != 3 {
		t.Errorf("picked %s: %v", name, err)
	}
	if name, _ := pick(fstest.MapFS{"resume.md": {Data: []byte("# Seed\n")}}); name != "resume.md" {
		t.Errorf("picked %s without a resume.json", name)
	}
}
