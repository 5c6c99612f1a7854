package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite golden files")

// now is the clock every test reads, so durations never drift.
var now = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

func TestEmbeddedIsTheSeed(t *testing.T) {
	seed, err := os.ReadFile("../../shared/seeds/000_11b43992df2fb267.txt")
	if err != nil {
		t.Skipf("seed not beside the checkout: %v", err)
	}
	if !bytes.Equal(seed, embeddedSrc()) {
		t.Fatal("content/resume.md differs from the seed document")
	}
	if !bytes.Equal(Default().Markdown(), embeddedSrc()) {
		t.Fatal("Markdown export is not the original bytes")
	}
}

func TestDefaultSeed(t *testing.T) {
	r := Default()
	if r.Title() != "What is Rackspace?" {
		t.Errorf("title = %q", r.Title())
	}
	about := r.About.Paragraphs()
	if len(about) != 1 || about[0].Plain() != "Based in San Antonio, Rackspace is a Internet Service Provider focusing on Managed Web Hosting and Cloud Solutions." {
		t.Errorf("about = %#v", about)
	}
	want := []struct {
		title, org string
		start, end Date
		highlights int
	}{
		{"Principal Engineer", "Infrastructure Practice Area - Compute", Date{2013, 7, 0}, Date{}, 5},
		{"Advisory Board Member", "Xen Project", Date{2014, 2, 0}, Date{}, 0},
		{"Senior Systems Engineer", "Cloud Servers and Openstack Products", Date{2012, 12, 0}, Date{2013, 7, 0}, 5},
		{"Compute Systems Engineering Manager", "Next Gen Cloud Servers Product", Date{2011, 4, 0}, Date{2012, 12, 0}, 4},
		{"Senior Systems Engineer", "Cloud Servers and Slicehost Development", Date{2008, 10, 0}, Date{2011, 4, 0}, 7},
		{"Systems Architect", "Rack Labs", Date{2008, 1, 0}, Date{2008, 10, 0}, 2},
		{"Product Engineer", "Server Hardware and Virtualization", Date{2003, 1, 0}, Date{2008, 1, 0}, 6},
		{"DCOPS Technician", "Datacenter Operations Technician", Date{2002, 7, 0}, Date{2003, 1, 0}, 3},
	}
	if len(r.Roles) != len(want) {
		t.Fatalf("%d roles, want %d", len(r.Roles), len(want))
	}
	for i, w := range want {
		got := r.Roles[i]
		if got.Title != w.title || got.Organisation != w.org || got.Start != w.start || got.End != w.end || len(got.Highlights) != w.highlights {
			t.Errorf("role %d = %q %q %v %v %d highlights; want %+v", i, got.Title, got.Organisation, got.Start, got.End, len(got.Highlights), w)
		}
	}
	if len(r.Sections) != 0 {
		t.Errorf("seed has no free sections, got %d", len(r.Sections))
	}
	// The owner's wording, typos included, is kept exactly.
	if h := r.Roles[0].Highlights[1].Text.Plain(); !strings.Contains(h, "to elminiate the need") {
		t.Errorf("highlight reworded: %q", h)
	}
	if got := r.Roles[0].Highlights[3].Text.Plain(); strings.HasSuffix(got, " ") {
		t.Errorf("trailing space kept in %q", got)
	}
}

func TestInlineSpans(t *testing.T) {
	r := mustParse(t, "testdata/rich.md")
	h := r.Roles[0].Highlights
	if got := h[0].Text; len(got) != 3 || got[1] != (Span{Text: "incident process", Strong: true}) {
		t.Errorf("strong span: %#v", got)
	}
	if got := h[0].Items[0].Text; got[1] != (Span{Text: "template", URL: "https://runbooks.example.com/t"}) {
		t.Errorf("link span: %#v", got)
	}
	if got := h[0].Items[1].Items[0].Text.Plain(); got != "including a game-day programme" {
		t.Errorf("nested item: %q", got)
	}
	if got := h[1].Text[1]; got != (Span{Text: "alertmanager", Code: true}) {
		t.Errorf("code span: %#v", got)
	}
	if got := h[2].Text[1]; got != (Span{Text: "every", Emph: true}) {
		t.Errorf("emphasis span: %#v", got)
	}
	if got := r.Roles[1].Highlights[1].Text[1]; got != (Span{Text: "on-call", Emph: true, Strong: true}) {
		t.Errorf("strong emphasis span: %#v", got)
	}
	about := r.About.Paragraphs()[0]
	if got := about.PlainWithURLs(); !strings.Contains(got, "casey.example.org <https://casey.example.org>") ||
		!strings.Contains(got, " https://github.example.com/casey.") || strings.ContainsAny(got, "*_[]") {
		t.Errorf("about with URLs: %q", got)
	}
	if n := r.Roles[0].Notes; len(n) != 1 || n[0].Text.Plain() != "Also acted as the team's hiring manager for one year." {
		t.Errorf("role notes: %#v", n)
	}
}

func TestSections(t *testing.T) {
	r := mustParse(t, "testdata/rich.md")
	var heads []string
	for _, s := range r.Sections {
		heads = append(heads, s.Heading)
	}
	if strings.Join(heads, "|") != "Skills|Education|Talks" {
		t.Fatalf("sections = %q", heads)
	}
	// Education is read as entries: the dated list item whole, and the
	// undated sub-heading with its text; the undated item stays text.
	edu := r.Sections[1]
	if edu.Kind != Education || len(edu.Entries) != 2 {
		t.Fatalf("education: %#v", edu)
	}
	if e := edu.Entries[0]; e.Title != "BSc" || e.Area != "Computer Science" || e.Organisation != "University of Example" || e.Dates() != "2012" {
		t.Errorf("first degree: %+v", e)
	}
	if e := edu.Entries[1]; e.Title != "Exchange year" || len(e.Notes) != 1 || !strings.HasPrefix(e.Notes[0].Text.Plain(), "A year at Université") {
		t.Errorf("second entry: %+v", e)
	}
	if len(edu.Blocks) != 1 || edu.Blocks[0].Kind != List || edu.Blocks[0].Items[0].Text.Plain() != "Certified Kubernetes Administrator" {
		t.Errorf("education text: %#v", edu.Blocks)
	}
	talks := r.Sections[2].Blocks
	if len(talks) != 3 || talks[0].Kind != Quote || talks[1].Kind != Rule || talks[2].Kind != Code || talks[2].Text.Plain() != "$ ssh casey.example.org" {
		t.Errorf("talks blocks: %#v", talks)
	}
	if r.Sections[0].AfterRoles != 2 {
		t.Errorf("skills come after %d roles", r.Sections[0].AfterRoles)
	}
}

func TestDateForms(t *testing.T) {
	for _, tc := range []struct {
		in         string
		start, end Date
	}{
		{"( July 2013 - *Present* )", Date{2013, 7, 0}, Date{}},
		{"(Jul 2013–Now)", Date{2013, 7, 0}, Date{}},
		{"Jul. 2013 — CURRENT", Date{2013, 7, 0}, Date{}},
		{"2013 to 2015", Date{2013, 0, 0}, Date{2015, 0, 0}},
		{"2013-2015", Date{2013, 0, 0}, Date{2015, 0, 0}},
		{"sept 2001 – jan 2002", Date{2001, 9, 0}, Date{2002, 1, 0}},
		{"(2014)", Date{2014, 0, 0}, Date{2014, 0, 0}},
		{"_December 2012_ - _July 2013_", Date{2012, 12, 0}, Date{2013, 7, 0}},
		// As people write them.
		{"2019-03 – 2021-11", Date{2019, 3, 0}, Date{2021, 11, 0}},
		{"2019-03-15 - present", Date{2019, 3, 15}, Date{}},
		{"10 Jan 2022 – 3rd March 2023", Date{2022, 1, 10}, Date{2023, 3, 3}},
		{"Jan 10, 2022 - Present", Date{2022, 1, 10}, Date{}},
		{"03/2019 - 11/2021", Date{2019, 3, 0}, Date{2021, 11, 0}},
		{"Mar. 2019 – Sept 2019", Date{2019, 3, 0}, Date{2019, 9, 0}},
		{"2015 -- 2017", Date{2015, 0, 0}, Date{2017, 0, 0}},
		{"Mar 2021 --- Present", Date{2021, 3, 0}, Date{}},
		{"since 2019", Date{2019, 0, 0}, Date{}},
		{"Since March 2019", Date{2019, 3, 0}, Date{}},
		{"März 2019 – heute", Date{2019, 3, 0}, Date{}},
		{"janvier 2018 - Présent", Date{2018, 1, 0}, Date{}},
		{"Mar 2019", Date{2019, 3, 0}, Date{2019, 3, 0}},
	} {
		s, e, err := ParseRange(tc.in)
		if err != nil || s != tc.start || e != tc.end {
			t.Errorf("ParseRange(%q) = %v, %v, %v; want %v, %v", tc.in, s, e, err, tc.start, tc.end)
		}
	}
	for _, bad := range []string{"", "Jully 2013 - Present", "30 Feb 2020", "2013 -", "July - 2014", "13 - 14", "Present - 2014", "2013 2014", "2013 - 2014 - 2015", "July 2013 – ∞"} {
		if _, _, err := ParseRange(bad); err == nil {
			t.Errorf("ParseRange(%q) accepted", bad)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"", "resume.md:1: the document is empty"},
		{" \n\t\n", "resume.md:1: the document is empty"},
		{"# Me\n\nhi\n\n## Engineer\n#### Acme ( Jully 2013 - Present )\n", `resume.md:6: cannot read date "Jully" in "Acme ( Jully 2013 - Present )": did you mean July?`},
		{"# Me\n\n## Engineer\n**Acme** | Jnue 2013 – Dec 2013\n", `resume.md:4: cannot read date "Jnue" in "Acme | Jnue 2013 – Dec 2013": did you mean June?`},
		{"# Me\n\n## Experience\n\n**Support Engineer**, Initech — Jan 2012 to Dezmber 2013\n", `resume.md:5: cannot read date "Dezmber" in "Support Engineer, Initech — Jan 2012 to Dezmber 2013": did you mean December?`},
		{"# Me\n\n## Engineer\n#### Acme ( 2015 - 2013 )\n", `resume.md:4: date range "( 2015 - 2013 )" ends before it starts`},
		{"# Me\n\n## A\n#### X (Mar 2014 - Feb 2014)\n", `resume.md:4: date range "(Mar 2014 - Feb 2014)" ends before it starts`},
	} {
		_, err := Parse([]byte(tc.doc))
		var pe *ParseError
		if !errors.As(err, &pe) || err.Error() != tc.want {
			t.Errorf("Parse(%q) error = %v; want %s", tc.doc, err, tc.want)
		}
	}
	if _, err := ParseNamed("/home/me/cv.md", []byte("# Me\n## A\n### B (Smarch 2010 - now)\n")); err == nil || !strings.HasPrefix(err.Error(), "/home/me/cv.md:3: ") {
		t.Errorf("named error = %v", err)
	}
}

func TestNotARoleIsASection(t *testing.T) {
	r, err := Parse([]byte("# Me\n\n## Education\n### MIT (Cambridge, MA)\n\nBSc.\n\n## Dev\n#### Acme, 2010 - 2012\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sections) != 1 || r.Sections[0].Heading != "Education" || len(r.Sections[0].Entries) != 1 {
		t.Fatalf("sections = %#v", r.Sections)
	}
	if e := r.Sections[0].Entries[0]; e.Title != "MIT (Cambridge, MA)" || e.Area != "" || len(e.Notes) != 1 || e.Notes[0].Text.Plain() != "BSc." {
		t.Errorf("the degree = %+v", e)
	}
	if len(r.Roles) != 1 || r.Roles[0].Organisation != "Acme" || r.Roles[0].End != (Date{Year: 2012}) {
		t.Errorf("roles = %#v", r.Roles)
	}
}

func TestDurations(t *testing.T) {
	// Months are counted inclusively, as LinkedIn counts them.
	for _, tc := range []struct {
		start, end Date
		want       string
	}{
		{Date{2013, 7, 0}, Date{}, "13 yrs 5 mos"},
		{Date{2013, 7, 0}, Date{2013, 7, 0}, "1 mo"},
		{Date{2012, 12, 0}, Date{2013, 7, 0}, "8 mos"},
		{Date{2003, 1, 0}, Date{2008, 1, 0}, "5 yrs 1 mo"},
		{Date{2011, 4, 0}, Date{2012, 3, 0}, "1 yr"},
		{Date{2013, 0, 0}, Date{2015, 0, 0}, "3 yrs"},
		{Date{2026, 11, 0}, Date{}, "1 mo"},
		{Date{2030, 0, 0}, Date{}, "not started yet"},
	} {
		r := Role{Start: tc.start, End: tc.end}
		if got := r.Duration(now); got != tc.want {
			t.Errorf("%v–%v = %q; want %q", tc.start, tc.end, got, tc.want)
		}
	}
	start, end, months := Default().Span(now)
	if start != (Date{2002, 7, 0}) || !end.IsZero() || FormatMonths(months) != "24 yrs 5 mos" {
		t.Errorf("span = %v–%v, %s", start, end, FormatMonths(months))
	}
	if got := Default().Roles[0].DatesLine(now); got != "Jul 2013 – Present · 13 yrs 5 mos" {
		t.Errorf("dates line = %q", got)
	}
}

// TestSingleDatesAndTheFuture: a single date reads once, and a role
// that starts or ends after today is shown but warned of, by its line.
func TestSingleDatesAndTheFuture(t *testing.T) {
	doc, err := ParseNamed("cv.md", []byte("# Me\n\n## A\n#### X (Mar 2019)\n\n## B\n#### Y (2019)\n\n## C\n#### Z (2030 - Present)\n\n## D\n#### W (2020 - Dec 2027)\n"))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"Mar 2019 · 1 mo", "2019 · 1 yr", "2030 – Present · not started yet", "2020 – Dec 2027 · 8 yrs"} {
		if got := doc.Roles[i].DatesLine(now); got != want {
			t.Errorf("role %d: %q, want %q", i+1, got, want)
		}
	}
	want := []string{
		`cv.md:9: "C" starts in the future (2030)`,
		`cv.md:12: "D" ends in the future (Dec 2027); a current role ends with Present`,
	}
	if got := doc.Warnings(now); !slices.Equal(got, want) {
		t.Errorf("warnings:\n%q\nwant\n%q", got, want)
	}
	if w := Default().Warnings(now); len(w) != 0 {
		t.Errorf("the seed has warnings: %q", w)
	}
}

var docs = []string{"resume.md", "testdata/unicode.md", "testdata/many.md", "testdata/rich.md"}

func TestGoldenExports(t *testing.T) {
	schema := compileSchema(t)
	for _, name := range docs {
		r := mustParse(t, name)
		base := strings.TrimSuffix(filepath.Base(name), ".md")
		text := r.Text(0, now)
		golden(t, "testdata/golden/"+base+".txt", text)
		checkWidth(t, text, 80)
		for _, w := range []int{MinWidth, 33, 120} {
			checkWidth(t, r.Text(w, now), w)
		}
		js, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "testdata/golden/"+base+".json", string(js))
		validate(t, schema, js)
	}
}

func TestLargeDocument(t *testing.T) {
	r := mustParse(t, "testdata/many.md")
	if len(r.Roles) != 44 || !r.Roles[0].Current() || r.Roles[43].Title != "Principal Engineer 44" {
		t.Errorf("many.md: %d roles", len(r.Roles))
	}
}

func TestUnicode(t *testing.T) {
	r := mustParse(t, "testdata/unicode.md")
	if len(r.Roles) != 3 || r.Roles[1].Organisation != "شركة الرمال Sand Systems" || r.Roles[0].Organisation != "東京データ株式会社 Tokyo Data K.K." {
		t.Fatalf("roles: %#v", r.Roles)
	}
	if !r.Roles[0].Current() || r.Roles[2].Start != (Date{Year: 2014}) || r.Roles[2].Title != "Intern 👩‍💻" {
		t.Errorf("dates: %#v", r.Roles)
	}
	if got := Width("中村ゾーイ"); got != 10 {
		t.Errorf("Width(CJK) = %d", got)
	}
	if got := Width("é"); got != 1 {
		t.Errorf("Width(combining) = %d", got)
	}
}

func TestWrapCutsLongWords(t *testing.T) {
	lines := Wrap("a "+strings.Repeat("x", 50)+" b", 20, "- ", "  ")
	want := []string{"- a", "  " + strings.Repeat("x", 18), "  " + strings.Repeat("x", 18), "  " + strings.Repeat("x", 14) + " b"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("Wrap = %q", lines)
	}
	if got := Wrap("漢字漢字漢字", 5, "", ""); strings.Join(got, "|") != "漢字|漢字|漢字" {
		t.Errorf("Wrap wide = %q", got)
	}
}

func mustParse(t testing.TB, name string) *Resume {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseNamed(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./content -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the export; run go test ./content -update and review the diff", path)
	}
}

func checkWidth(t testing.TB, text string, width int) {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if Width(l) > width {
			t.Errorf("line %d is %d cells wide, over %d: %q", i+1, Width(l), width, l)
		}
		if strings.HasSuffix(l, " ") || strings.Contains(l, "\x1b") {
			t.Errorf("line %d has a trailing space or escape: %q", i+1, l)
		}
	}
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/jsonresume/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate fails t when js is not valid JSON Resume; t is a test or a
// rapid property.
func validate(t interface {
	Helper()
	Fatalf(string, ...any)
	Errorf(string, ...any)
}, s *jsonschema.Schema, js []byte,
) {
	t.Helper()
	var v any
	if err := json.Unmarshal(js, &v); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("export fails the JSON Resume schema: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range docs {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, 80)
	}
	f.Add([]byte("# A\n## B\n#### C (2010 - now)\n* [x](y) *z* `w`\n"), 20)
	schema := compileSchema(f)
	f.Fuzz(func(t *testing.T, src []byte, width int) {
		r, err := Parse(src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		js, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		validate(t, schema, js)
		// Widths below MinWidth are raised to it, and unbreakable words are
		// cut at the width, so no line is ever wider than asked.
		width = MinWidth + nonNegative(width)%200
		checkWidthOnly(t, r.Text(width, now), width)
	})
}

// checkWidthOnly is checkWidth for arbitrary input, where a line may hold
// spaces the document wrote inside a code block.
func checkWidthOnly(t *testing.T, text string, width int) {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if Width(l) > width {
			t.Fatalf("line %d is %d cells wide, over %d: %q", i+1, Width(l), width, l)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(embeddedSrc()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkText(b *testing.B) {
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Text(80, now)
	}
}

func BenchmarkJSON(b *testing.B) {
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	r := Default()
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Markdown()
	}
}

func TestLongHeadingIsLinear(t *testing.T) {
	// Every ", " is a place a date range could start; a quadratic search
	// over 200,000 of them would not finish.
	doc := "# Me\n## Role\n#### " + strings.Repeat("a, ", 200_000) + "2010 - 2012\n"
	r, err := Parse([]byte(doc))
	if err != nil || len(r.Roles) != 1 || r.Roles[0].Start != (Date{Year: 2010}) {
		t.Fatalf("long heading: %v", err)
	}
}

func embeddedSrc() []byte { _, b := embeddedDoc(); return b }

// nonNegative is n, or -(n+1) when n is negative, so that the smallest
// int too has one.
func nonNegative(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
