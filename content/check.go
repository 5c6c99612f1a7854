package content

import (
	"fmt"
	"time"
)

// Warnings are what a document says that is probably a mistake but can
// still be shown, as "FILE:LINE: reason"; every command prints them: a role
// that starts or ends after now (a typo in a year, or a planned end that
// will need changing), and a document with no roles.
func (r *Resume) Warnings(now time.Time) []string {
	out := append([]string{}, r.notes...)
	if len(r.Roles) == 0 {
		out = append(out, fmt.Sprintf("%s: no roles: a role is a heading, then a deeper heading that ends in its dates, such as \"#### Acme (2019 - Present)\"", r.Name))
	}
	for _, role := range r.Roles {
		switch {
		case role.Start.startIndex() > monthIndex(now):
			out = append(out, fmt.Sprintf("%s:%d: %q starts in the future (%s)", r.Name, role.Line, role.Title, role.Start))
		case !role.End.IsZero() && role.End.startIndex() > monthIndex(now):
			out = append(out, fmt.Sprintf("%s:%d: %q ends in the future (%s); a current role ends with Present", r.Name, role.Line, role.Title, role.End))
		}
	}
	return out
}

// Advice is what resume check says besides the warnings: what a visitor
// would miss. A role with no highlights, two roles with the same title
// and dates, and no way to get in touch.
func (r *Resume) Advice() []string {
	var out []string
	seen := map[string]int{}
	for _, role := range r.Roles {
		if len(role.Highlights) == 0 && len(role.Notes) == 0 {
			out = append(out, fmt.Sprintf("%s:%d: %q has no highlights", r.Name, role.Line, role.Title))
		}
		k := role.Title + "\x00" + FormatRange(role.Start, role.End)
		if first, dup := seen[k]; dup {
			out = append(out, fmt.Sprintf("%s:%d: %q has the same title and dates as line %d", r.Name, role.Line, role.Title, first))
		} else {
			seen[k] = role.Line
		}
	}
	if p := r.Person; p.Email == "" && p.URL == "" && p.Phone == "" && len(p.Profiles) == 0 {
		out = append(out, fmt.Sprintf("%s: no contact details: a visitor cannot reach you (JSON Resume: basics.email or basics.url)", r.Name))
	}
	return out
}

// Summary is what a visitor gets, in one line: "cv.md: 6 roles
// (2014–now), 3 sections".
func (r *Resume) Summary(now time.Time) string {
	s := r.Name + ": " + plural(len(r.Roles), "role")
	if start, end, months := r.Span(now); months > 0 {
		last := "now"
		if !end.IsZero() {
			last = fmt.Sprint(end.Year)
		}
		s += fmt.Sprintf(" (%d–%s)", start.Year, last)
	}
	return s + ", " + plural(len(r.Sections), "section")
}
