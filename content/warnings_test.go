package content

import (
	"slices"
	"strings"
	"testing"
)

// TestWarnings: what is read with a guess is said at FILE:LINE: a role
// with no organisation, an undated heading under a work section, a bold
// line that looks like a role inside another, a section's name that also
// looks like a title, and a plain line taken for an organisation.
func TestWarnings(t *testing.T) {
	src := "---\nemail: a@example.com\n---\n# Alex Kim\n\n## Experience\n\n### Staff Engineer | 2020 – Present\n\n- x\n\n### Consultant\n\nOdd jobs.\n\n### Engineer\n**Acme** | 2016 – 2020\n\n- y\n\n**Support Lead**, Acme\n\n## Education\n#### Example College (2012 – 2016)\n\n## Training\n\n### MSc | 2010 – 2011\nUniversity of Lagos\n"
	r, err := ParseNamed("cv.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`cv.md:8: "Staff Engineer" has no organisation`,
		`cv.md:12: "Consultant" is under a work section but has no dates`,
		`cv.md:21: "Support Lead, Acme" looks like a role but has no dates`,
		`cv.md:23: "Education" is a section's name and is read as one`,
		`cv.md:29: "University of Lagos" is read as the organisation of "MSc"`,
	}
	got := r.Warnings(now)
	if len(got) != len(want) {
		t.Fatalf("warnings:\n%s", strings.Join(got, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("warning %d = %q, want %q…", i, got[i], w)
		}
	}
	if len(r.Roles) != 2 || r.Roles[1].Organisation != "Acme" || len(r.Roles[1].Notes) != 1 {
		t.Errorf("roles: %+v", r.Roles)
	}
}

// TestContactAdviceSpeaksTheFilesLanguage: the advice for a résumé with
// no way to get in touch names front-matter keys for Markdown and JSON
// keys for JSON Resume.
func TestContactAdviceSpeaksTheFilesLanguage(t *testing.T) {
	md, err := ParseNamed("cv.md", []byte("# Ann\n\n## SRE\n#### Acme (2019 - Present)\n\n- x\n"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := ParseJSON("cv.json", []byte(`{"basics": {"name": "Ann"}, "work": [{"name": "Acme", "position": "SRE", "startDate": "2019", "highlights": ["x"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if a := md.Advice(); len(a) != 1 || !strings.Contains(a[0], "(front matter: email: or url:") || strings.Contains(a[0], "basics") {
		t.Errorf("Markdown advice: %q", a)
	}
	if a := js.Advice(); len(a) != 1 || !strings.Contains(a[0], "(JSON Resume: basics.email or basics.url)") {
		t.Errorf("JSON advice: %q", a)
	}
}

// TestTheOwner: the opening heading is the name when it reads as one,
// front matter wins over it, and an opening paragraph gives the contact
// details when there is no front matter.
func TestTheOwner(t *testing.T) {
	for _, tc := range []struct {
		src, name, email, url, phone string
	}{
		{"# Ann Example\n\nann@example.com · +44 20 7946 0000 · https://ann.example.com\n", "Ann Example", "ann@example.com", "https://ann.example.com", "+44 20 7946 0000"},
		{"# What is Rackspace?\n\nA company.\n", "", "", "", ""},
		{"# Curriculum Vitae\n", "", "", "", ""},
		{"# I build reliable systems and teams.\n", "", "", "", ""},
		{"# Ludwig van Beethoven\n\n[Mail](mailto:lvb@example.com)\n", "Ludwig van Beethoven", "lvb@example.com", "", ""},
		{"# 李 小龙\n", "李 小龙", "", "", ""},
		{"**MARIA GONZÁLEZ**\n\nChicago · maria@example.com · (312) 555-0134\n", "MARIA GONZÁLEZ", "maria@example.com", "", "(312) 555-0134"},
		// Front matter wins, and its absence of an email is not filled in
		// from the text: the owner said what to show.
		{"---\nname: Ann E.\n---\n# Ann Example\n\nann@example.com\n", "Ann E.", "", "", ""},
		{"---\nname: \"\"\n---\n# Ann Example\n", "", "", "", ""},
	} {
		r, err := ParseNamed("cv.md", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		p := r.Person
		if p.Name != tc.name || p.Email != tc.email || p.URL != tc.url || p.Phone != tc.phone {
			t.Errorf("%q: %+v", tc.src, p)
		}
	}
}

// TestFormFeeds: pdftotext's page breaks are space, as CommonMark reads
// them, and do not stop a heading after them.
func TestFormFeeds(t *testing.T) {
	src := "# Ann\n\n## Experience\n\n### SRE | 2019 – Present\n**Acme**\n\f\n\f## Education\n\n### MSc | 2010 – 2011\n**Example University**\n\f"
	r, err := ParseNamed("cv.pdf.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []Kind
	for _, s := range r.Sections {
		kinds = append(kinds, s.Kind)
	}
	if len(r.Roles) != 1 || !slices.Equal(kinds, []Kind{Work, Education}) || r.Sections[1].Entries[0].Organisation != "Example University" {
		t.Errorf("roles %+v, sections %v", r.Roles, kinds)
	}
	if _, err := ParseNamed("cv.md", []byte("# Ann\x1b[2J\n")); err == nil {
		t.Error("an escape sequence was accepted")
	}
}

// TestLanguagesOnOneLine: a line of languages, with a level such as
// "(B2)" that is not a date, is read as the section's entries.
func TestLanguagesOnOneLine(t *testing.T) {
	r, err := ParseNamed("cv.md", []byte("# Sam Lee\n\n## Languages\n\nEnglish (native), French (B2)\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Sections[0]
	if len(s.Entries) != 2 || s.Entries[0].Head() != "English (native)" || s.Entries[1].Title != "French" || s.Entries[1].Fluency != "B2" || len(s.Blocks) != 0 {
		t.Errorf("languages: %+v", s)
	}
}

// TestItalicDatesUnderATitle: "*June 2019 - Present* · Bengaluru" under
// "## Software Engineer at Stripe" is the role's dates and place, not an
// organisation called "June 2019 - Present" (the file once read as no
// roles at all).
func TestItalicDatesUnderATitle(t *testing.T) {
	r, err := ParseNamed("cv.md", []byte("# Priya N\n\n## Work Experience\n\n## Software Engineer at Stripe\n*June 2019 - Present* · Bengaluru\n\n- x\n\n## Intern @ Flipkart\n_May 2018 – Jul 2018_\n\nSearch ranking.\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Roles {
		got = append(got, e.Title+"|"+e.Organisation+"|"+e.Location+"|"+e.Dates())
	}
	if want := []string{"Software Engineer|Stripe|Bengaluru|Jun 2019 – Present", "Intern|Flipkart||May 2018 – Jul 2018"}; !slices.Equal(got, want) {
		t.Errorf("roles %q, want %q", got, want)
	}
}
