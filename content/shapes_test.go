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
			sections: []string{"Education"},
		},
		{
			file: "md2cv.md", heading: "Bo Example",
			roles: []role{
				{"Staff SRE", "Northwind Payments", "Mar 2021 – Present"},
				{"Platform Engineer", "Contoso", "2018 – 2021"},
			},
			sections: []string{"Education"},
		},
		{
			file: "lines-under.md", heading: "Cy Example",
			roles: []role{
				{"Senior Developer", "Acme Corp", "2019 – Present"},
				{"Developer", "Initech", "Mar 2016 – Dec 2018"},
			},
			sections: []string{"Work", "Skills"},
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
