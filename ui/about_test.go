package ui

import (
	"strings"
	"testing"
)

// TestAboutShowsEveryKind: the about page shows each of JSON Resume's
// sections with its structure: an entry's head, where and when on lines
// of their own, its fields labelled, and skills and languages as a list.
func TestAboutShowsEveryKind(t *testing.T) {
	doc := mustParse(t, "../content/testdata/json/full.json")
	m := drive(New(doc, WithClock(clock)), 100, 300, "a")
	var lines []string
	for _, l := range strings.Split(screenOf(m), "\n") {
		lines = append(lines, strings.TrimSpace(l))
	}
	screen := strings.Join(lines, "\n")
	for _, want := range []string{
		"Volunteering\n\nMentor\nCode Club\n1 Jan 2016 – Present\n\nSaturday mornings.\n• Taught Scratch to 40 children",
		"Education\n\nMSc in Computer Science\nExample University\n2011 – 2012\nScore: Distinction\nCourses: Compilers, Type systems",
		"Awards\n\nOn-call hero\nNorthwind\nJun 2021",
		"Certificates\n\nCKA\nCNCF\n15 Jan 2020\nhttps://example.com/cka",
		"Skills\n\n• Languages (Expert): Go, Rust, C\n• Operations: Kubernetes, Terraform",
		"Languages\n\n• English (Native)\n• German (Professional)",
		"References\n\nBo Example\n\nAnn made our pager quiet.",
		"Projects\n\ntinyprof\nPersonal\n2018 – Present\nType: application\nRoles: Author\nKeywords: Go",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("the about page lacks\n%s\n\nin\n%s", want, screen)
		}
	}
	// The roles have a view of their own: the heading over them is not
	// repeated here with nothing under it.
	if strings.Contains(screen, "\nExperience\n") {
		t.Errorf("the about page shows the heading over the roles:\n%s", screen)
	}
}
