package content

import (
	"fmt"
	"strings"
	"testing"
)

// fiftyRoles is a 50-role résumé in the shapes people write, with
// highlights that have emphasis and links, and every other section.
func fiftyRoles() []byte {
	var b strings.Builder
	b.WriteString("---\nname: Ann Example\nemail: ann@example.com\n---\n\n# Ann Example\n\nI keep *payment systems* up.\n\n## Experience\n\n")
	for i := range 50 {
		year := 2024 - i/2
		switch i % 3 {
		case 0:
			fmt.Fprintf(&b, "### Senior Project Manager %d | Mar %d – Dec %d\n**Northwind Telecom** | Bristol, UK\n\n", i, year-1, year)
		case 1:
			fmt.Fprintf(&b, "### Network Engineer %d\n**Initech, Inc.** | Remote | %d – %d\n\n", i, year-1, year)
		default:
			fmt.Fprintf(&b, "**Training Lead %d**, Acme — Jan %d to Nov %d\n\n", i, year-1, year)
		}
		b.WriteString("- Cut checkout p99 from **900 ms** to 180 ms with [a cache](https://example.com/cache)\n")
		b.WriteString("- Ran the move to three regions, with `terraform` and no downtime\n- Hired and coached a team of nine\n\n")
	}
	b.WriteString("## Education\n\n### MSc in Computer Science | 2011 – 2012\n**Example University**\nScore: Distinction\n\n")
	b.WriteString("## Skills\n\n- Languages: Go, Rust, C\n- Operations: Kubernetes, Terraform\n\n## Languages\n\n- English: Native\n- German: Professional\n")
	return []byte(b.String())
}

// BenchmarkParse50Roles is the budget's Markdown case: at most 5 ms.
func BenchmarkParse50Roles(b *testing.B) {
	src := fiftyRoles()
	if r, err := ParseNamed("bench.md", src); err != nil || len(r.Roles) != 50 {
		b.Fatalf("%v, %d roles", err, len(r.Roles))
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseNamed("bench.md", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseJSON50RolesWhole is the budget's JSON case: the same
// résumé as JSON Resume, highlights in Markdown, every section.
func BenchmarkParseJSON50RolesWhole(b *testing.B) {
	r, err := ParseNamed("bench.md", fiftyRoles())
	if err != nil {
		b.Fatal(err)
	}
	src, err := r.JSON()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON("bench.json", src); err != nil {
			b.Fatal(err)
		}
	}
}
