package web

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/resume-ssh/resume/content"
)

func fetch(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u) //nolint:noctx // a test's loopback request
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", u, resp.Status, err)
	}
	return string(b)
}

// TestJSONLDIsTheModel parses the page's JSON-LD as a search engine does
// and checks it against the model: who, what they do now, where they
// studied, what they know, and where else they are.
func TestJSONLDIsTheModel(t *testing.T) {
	for name, doc := range testDocs(t) {
		page := fetch(t, servePage(t, doc, Config{})+"/")
		m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no JSON-LD", name)
		}
		var ld struct {
			Context    string `json:"@context"`
			Type       string `json:"@type"`
			MainEntity struct {
				Type                              string `json:"@type"`
				Name, JobTitle, Email, URL        string
				SameAs                            []string
				WorksFor, AlumniOf, HasOccupation []thing
				KnowsAbout                        []string
			}
		}
		if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
			t.Fatalf("%s: JSON-LD that is not JSON: %v\n%s", name, err, m[1])
		}
		p, who := doc.Person, ld.MainEntity
		if ld.Context != "https://schema.org" || ld.Type != "ProfilePage" || who.Type != "Person" {
			t.Errorf("%s: %s %s of a %s", name, ld.Context, ld.Type, who.Type)
		}
		if who.Name != doc.Title() || who.JobTitle != p.Label || who.Email != p.Email || who.URL != p.URL {
			t.Errorf("%s: person %+v, model %+v", name, who, p)
		}
		var profiles, current, jobs, schools, skills []string
		for _, pr := range p.Profiles {
			if pr.URL != "" {
				profiles = append(profiles, pr.URL)
			}
		}
		for _, r := range doc.Roles {
			if r.Current() && r.Dated() {
				current, jobs = appendNew(current, r.Organisation), appendNew(jobs, r.Title)
			}
		}
		for _, s := range doc.Sections {
			for _, e := range s.Entries {
				switch e.Kind {
				case content.Education:
					schools = appendNew(schools, e.Organisation)
				case content.Skills:
					skills = appendNew(append(skills[:len(skills):len(skills)], e.Title), e.Keywords...)
				}
			}
		}
		names := func(xs []thing) []string {
			var out []string
			for _, x := range xs {
				out = append(out, x.Name)
			}
			return out
		}
		for _, c := range []struct {
			what      string
			got, want []string
		}{
			{"sameAs", who.SameAs, profiles},
			{"worksFor", names(who.WorksFor), current},
			{"hasOccupation", names(who.HasOccupation), jobs},
			{"alumniOf", names(who.AlumniOf), schools},
		} {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("%s: %s %q, the model has %q", name, c.what, c.got, c.want)
			}
		}
		for _, s := range skills {
			if !slices.Contains(who.KnowsAbout, s) {
				t.Errorf("%s: knowsAbout %q lacks the skill %q", name, who.KnowsAbout, s)
			}
		}
		if name == "full.json" && (!slices.Equal(names(who.WorksFor), []string{"Northwind Payments"}) ||
			!slices.Equal(names(who.AlumniOf), []string{"Example University"}) || len(who.SameAs) == 0) {
			t.Errorf("full.json: %+v", who)
		}
	}
}

// thing is a schema.org thing that has a name.
type thing struct {
	Type string `json:"@type"`
	Name string
}

func appendNew(xs []string, ys ...string) []string {
	for _, y := range ys {
		if y != "" && !slices.Contains(xs, y) {
			xs = append(xs, y)
		}
	}
	return xs
}

// TestResumeJSONIsJSONResume: /resume.json passes the vendored JSON
// Resume schema for every document.
func TestResumeJSONIsJSONResume(t *testing.T) {
	f, err := os.Open("../../content/testdata/jsonresume/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", raw); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, doc := range testDocs(t) {
		var v any
		if err := json.Unmarshal([]byte(fetch(t, servePage(t, doc, Config{})+"/resume.json")), &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := schema.Validate(v); err != nil {
			t.Errorf("%s: /resume.json fails the schema: %v", name, err)
		}
	}
}
