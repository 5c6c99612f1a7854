package content

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// TestMarkdownShapes reads résumés written in the shapes people use, each
// a file of its own, and checks the exact roles, organisations and dates,
// what is not a role, and what is warned of.
func TestMarkdownShapes(t *testing.T) {
	type role struct{ title, org, dates string }
	for _, tc := range []struct {
		file     string
		heading  string
		roles    []role
		sections []string
		warnings []string
	}{
		{
			file: "one-line.md", heading: "Ann Example",
			roles: []role{
				{"Staff SRE", "Northwind Payments", "Mar 2019 – Present"},
				{"Lead Engineer", "Example Pay", "Jan 2016 – Feb 2019"},
				{"Engineer", "Contoso", "2014 – 2016"},
				{"Intern", "Initech", "Jun 2013"},
			},
			sections: []string{"Experience", "Education"},
		},
		{
			file: "md2cv.md", heading: "Bo Example",
			roles: []role{
				{"Staff SRE", "Northwind Payments", "Mar 2021 – Present"},
				{"Platform Engineer", "Contoso", "2018 – 2021"},
			},
			sections: []string{"Experience", "Education"},
		},
		{
			file: "lines-under.md", heading: "Cy Example",
			roles: []role{
				{"Senior Developer", "Acme Corp", "2019 – Present"},
				{"Developer", "Initech", "Mar 2016 – Dec 2018"},
			},
			sections: []string{"Work", "Consultant", "Skills"},
			warnings: []string{`lines-under.md:16: "Consultant" is under a work section but has no dates a role needs`},
		},
		{
			file: "name-first.md", heading: "Dee Example",
			roles: []role{
				{"Staff SRE", "Northwind", "2020 – Present"},
				{"Engineer", "Contoso", "Mar 2015 – Jan 2020"},
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src, err := os.ReadFile("testdata/shapes/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseNamed(tc.file, src)
			if err != nil {
				t.Fatal(err)
			}
			if r.Title() != tc.heading {
				t.Errorf("heading %q, want %q", r.Title(), tc.heading)
			}
			var got []role
			for _, x := range r.Roles {
				got = append(got, role{x.Title, x.Organisation, FormatRange(x.Start, x.End)})
			}
			if !slices.Equal(got, tc.roles) {
				t.Errorf("roles:\n got %q\nwant %q", got, tc.roles)
			}
			var sections []string
			for _, s := range r.Sections {
				sections = append(sections, s.Heading)
			}
			if !slices.Equal(sections, tc.sections) {
				t.Errorf("sections %q, want %q", sections, tc.sections)
			}
			w := r.Warnings(now)
			if len(w) != len(tc.warnings) {
				t.Errorf("warnings %q, want %q", w, tc.warnings)
			}
			for i := range min(len(w), len(tc.warnings)) {
				if !strings.HasPrefix(w[i], tc.warnings[i]) {
					t.Errorf("warning %q, want %q", w[i], tc.warnings[i])
				}
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	src := "---\nname: Ann Example\nlabel: \"Staff SRE\"   # the headline\nemail: ann@example.com\nurl: https://ann.example.com\nlocation: Leeds, UK\ncard: vcard\nprofiles:\n  - network: GitHub\n    username: annexample\n    url: https://github.com/annexample\n  - network: Mastodon\n    url: https://example.social/@ann\n---\n\n# About me\n\nI like boring systems.\n\n## SRE\n#### Northwind (2019 - Present)\n\n- x\n"
	r, err := ParseNamed("cv.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := r.Person
	if p.Name != "Ann Example" || p.Label != "Staff SRE" || p.Email != "ann@example.com" || p.URL != "https://ann.example.com" ||
		p.Location.City != "Leeds, UK" || r.Card != "vcard" || len(p.Profiles) != 2 || p.Profiles[1].URL != "https://example.social/@ann" {
		t.Errorf("person %+v, card %q", p, r.Card)
	}
	if r.Title() != "Ann Example" || r.About.Heading != "About me" || len(r.Roles) != 1 || r.Roles[0].Line != 20 {
		t.Errorf("title %q, about %q, roles %+v", r.Title(), r.About.Heading, r.Roles)
	}
	if string(r.Markdown()) != src {
		t.Error("the Markdown export is not the document as written")
	}
	for _, tc := range []struct{ src, want string }{
		{"---\nname: A\nemial: a@b\n---\n# A\n", "cv.md:3: front matter: unknown key \"emial\""},
		{"---\nname: A\n", "cv.md:1: front matter starts with --- but no --- line ends it"},
		{"---\ncard: qr\n---\n", "cv.md:2: front matter: card is url or vcard, not \"qr\""},
		{"---\nname A\n---\n", "cv.md:2: front matter: want \"key: value\", not \"name A\""},
		{"---\nprofiles:\n  - site: x\n---\n", "cv.md:3: front matter: unknown profile key \"site\""},
	} {
		if _, err := ParseNamed("cv.md", []byte(tc.src)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %s", tc.src, err, tc.want)
		}
	}
}
