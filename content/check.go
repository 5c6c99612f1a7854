package content

import (
	"fmt"
	"time"
)

// Warnings are what a document says that is probably a mistake but can
// still be shown, as "FILE:LINE: reason": a role that starts or ends after
// now (a typo in a year, or a planned end that will need changing).
func (r *Resume) Warnings(now time.Time) []string {
	var out []string
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
