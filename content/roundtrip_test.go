package content

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// shape writes a role in one of the Markdown shapes the README documents.
type shape struct {
	name string
	// section is the heading over the roles ("" for none, as the seed
	// has); role writes one role.
	section string
	role    func(t *rapid.T, e Entry, label string) string
}

func esc(s string) string { return escapeMarkdown(s) }

// orgPart is "Org" or "Org | Location".
func orgPart(e Entry) string {
	if e.Location == "" {
		return esc(e.Organisation)
	}
	return esc(e.Organisation) + " | " + esc(e.Location)
}

func highlights(e Entry) string {
	var b strings.Builder
	for _, h := range e.Highlights {
		b.WriteString("- " + esc(h.Text.Plain()) + "\n")
	}
	return b.String()
}

var roleShapes = []shape{
	{"seed: ## Title, #### Org ( dates )", "", func(t *rapid.T, e Entry, l string) string {
		return "## " + esc(e.Title) + "\n#### " + orgPart(e) + " ( " + writeRange(t, e.Start, e.End, l) + " )\n\n" + highlights(e)
	}},
	{"### Title | dates, then **Org**", "Experience", func(t *rapid.T, e Entry, l string) string {
		org := "**" + esc(e.Organisation) + "**"
		if e.Location != "" {
			org += rapid.SampledFrom([]string{", ", " | "}).Draw(t, l+"LocSep") + esc(e.Location)
		}
		return "### " + esc(e.Title) + " | " + writeRange(t, e.Start, e.End, l) + "\n" + org + "\n\n" + highlights(e)
	}},
	{"### Title, then **Org** | City | dates", "Work history", func(t *rapid.T, e Entry, l string) string {
		line := "**" + esc(e.Organisation) + "**"
		if e.Location != "" {
			line += " | " + esc(e.Location)
		}
		return "### " + esc(e.Title) + "\n" + line + " | " + writeRange(t, e.Start, e.End, l) + "\n\n" + highlights(e)
	}},
	{"## Title — Org (dates)", "", func(t *rapid.T, e Entry, l string) string {
		return "## " + esc(e.Title) + " — " + orgPart(e) + " (" + writeRange(t, e.Start, e.End, l) + ")\n\n" + highlights(e)
	}},
	{"a bold role line in a list of roles", "Professional Experience", func(t *rapid.T, e Entry, l string) string {
		if rapid.Bool().Draw(t, l+"AsItem") {
			var b strings.Builder
			b.WriteString("- **" + esc(e.Title) + "** | " + orgPart(e) + " | " + writeRange(t, e.Start, e.End, l) + "\n")
			for _, h := range e.Highlights {
				b.WriteString("  - " + esc(h.Text.Plain()) + "\n")
			}
			return b.String() + "\n"
		}
		return "**" + esc(e.Title) + "**, " + orgPart(e) + " — " + writeRange(t, e.Start, e.End, l) + "\n\n" + highlights(e)
	}},
}

// TestRolesInEveryShape: generated roles, written in every documented
// shape with titles that hold section words anywhere, organisations with
// and without a place, and dates in every form and precision, are each
// read whole: the same title, organisation, place, dates and highlights.
func TestRolesInEveryShape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sh := rapid.SampledFrom(roleShapes).Draw(t, "shape")
		name := rapid.SampledFrom(names).Draw(t, "name")
		var roles []Entry
		for i := range rapid.IntRange(1, 5).Draw(t, "roles") {
			roles = append(roles, drawRole(t, i))
		}
		var b strings.Builder
		b.WriteString("# " + name + "\n\nann@example.com\n\n")
		if sh.section != "" {
			b.WriteString("## " + sh.section + "\n\n")
		}
		for i, e := range roles {
			b.WriteString(sh.role(t, e, fmt.Sprint("r", i)) + "\n")
		}
		if rapid.Bool().Draw(t, "education") {
			b.WriteString("## Education\n\n### MSc in Physics\n**ETH Zürich** | 2010 – 2012\n")
		}
		src := b.String()
		r, err := ParseNamed("gen.md", []byte(src))
		if err != nil {
			t.Fatalf("%s: %v\n%s", sh.name, err, src)
		}
		if len(r.Roles) != len(roles) {
			t.Fatalf("%s: read %d roles of %d:\n%s", sh.name, len(r.Roles), len(roles), src)
		}
		for i, want := range roles {
			got := r.Roles[i]
			if got.Title != want.Title || got.Organisation != want.Organisation || got.Location != want.Location ||
				got.Start != want.Start || got.End != want.End || !sameItems(got.Highlights, want.Highlights) {
				t.Fatalf("%s: role %d read as\n %q · %q · %q · %s – %s · %d highlights\nwant\n %q · %q · %q · %s – %s · %d highlights\n%s",
					sh.name, i+1, got.Title, got.Organisation, got.Location, got.Start, got.End, len(got.Highlights),
					want.Title, want.Organisation, want.Location, want.Start, want.End, len(want.Highlights), src)
			}
		}
		if r.Person.Name != name || r.Person.Email != "ann@example.com" {
			t.Fatalf("owner %+v, want %q with an email:\n%s", r.Person, name, src)
		}
		for _, w := range r.Warnings(now) {
			if !strings.Contains(w, "in the future") {
				t.Fatalf("%s: warned %q:\n%s", sh.name, w, src)
			}
		}
	})
}

func sameItems(a, b []Item) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Text.Plain() != b[i].Text.Plain() {
			return false
		}
	}
	return true
}

// TestJSONRoundTrip: a generated résumé with every JSON Resume section,
// written as JSON Resume, then exported to Markdown and read back, gives
// the same JSON: every section and field, dates at their precision. The
// JSON is valid JSON Resume throughout.
func TestJSONRoundTrip(t *testing.T) {
	schema := compileSchema(t)
	rapid.Check(t, func(t *rapid.T) {
		gen := drawResume(t)
		js, err := gen.JSON()
		if err != nil {
			t.Fatal(err)
		}
		validate(t, schema, js)
		in, err := ParseJSON("gen.json", js)
		if err != nil {
			t.Fatalf("%v\n%s", err, js)
		}
		md := in.Markdown()
		back, err := ParseNamed("gen.md", md)
		if err != nil {
			t.Fatalf("the export does not read: %v\n%s", err, md)
		}
		again, err := back.JSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, js) {
			t.Fatalf("JSON → Markdown → JSON changed it:\n%s\nMarkdown:\n%s\nJSON in:\n%s\nJSON out:\n%s", firstDiff(string(js), string(again)), md, js, again)
		}
		if !sameModel(in, back) {
			t.Fatalf("the model read from the Markdown export differs:\n%s", firstDiff(dump(in), dump(back)))
		}
	})
}

// TestMarkdownRoundTrip: a résumé read from Markdown, written as JSON,
// read, written as Markdown and read again is the same model.
func TestMarkdownRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sh := rapid.SampledFrom(roleShapes).Draw(t, "shape")
		gen := drawResume(t)
		var b strings.Builder
		b.WriteString("# " + gen.Person.Name + "\n\n")
		if sh.section != "" {
			b.WriteString("## " + sh.section + "\n\n")
		}
		for i, e := range gen.Roles {
			b.WriteString(sh.role(t, e, fmt.Sprint("r", i)) + "\n")
		}
		// The other sections as the export writes them.
		gen.Roles, gen.About = nil, Section{}
		gen.Person = Person{}
		gen.Sections = gen.Sections[1:]
		rest := string(gen.Markdown())
		b.WriteString(rest[strings.Index(rest, "\n---\n")+5:])
		src := b.String()
		first, err := ParseNamed("gen.md", []byte(src))
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		js, err := first.JSON()
		if err != nil {
			t.Fatal(err)
		}
		viaJSON, err := ParseJSON("gen.json", js)
		if err != nil {
			t.Fatalf("%v\n%s", err, js)
		}
		md := viaJSON.Markdown()
		last, err := ParseNamed("gen2.md", md)
		if err != nil {
			t.Fatalf("%v\n%s", err, md)
		}
		if !sameModel(first, last) {
			t.Fatalf("Markdown → JSON → Markdown changed the model:\n%s\nfirst Markdown:\n%s\nlast Markdown:\n%s", firstDiff(dump(first), dump(last)), src, md)
		}
	})
}

// sameModel compares what two résumés hold, not where it was read from:
// lines, names and sources aside.
func sameModel(a, b *Resume) bool { return dump(a) == dump(b) }

// dump writes a résumé's model with its lines zeroed, for comparing.
func dump(r *Resume) string {
	c := *r
	c.Source, c.Name, c.fromJSON, c.notes = nil, "", false, nil
	c.About.Line = 0
	zero := func(es []Entry) []Entry {
		out := append([]Entry{}, es...)
		for i := range out {
			out[i].Line = 0
		}
		return out
	}
	c.Roles = zero(c.Roles)
	c.Sections = append([]Section{}, c.Sections...)
	for i := range c.Sections {
		c.Sections[i].Line = 0
		c.Sections[i].Entries = zero(c.Sections[i].Entries)
	}
	var b strings.Builder
	loc := c.Person.Location
	c.Person.Location = nil
	fmt.Fprintf(&b, "person %+v location %+v\n", c.Person, loc)
	fmt.Fprintf(&b, "about %+v\n", c.About)
	for _, e := range c.Roles {
		fmt.Fprintf(&b, "role %+v\n", e)
	}
	for _, s := range c.Sections {
		fmt.Fprintf(&b, "section %q level %d kind %s after %d blocks %+v\n", s.Heading, s.Level, s.Kind, s.AfterRoles, s.Blocks)
		for _, e := range s.Entries {
			fmt.Fprintf(&b, "  entry %+v\n", e)
		}
	}
	b.WriteString("card " + c.Card + "\n")
	return b.String()
}

// firstDiff is the first line where a and b differ, with the lines
// around it.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return "(no difference)"
}
