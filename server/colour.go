package server

import (
	"bytes"
	"io"

	"github.com/charmbracelet/colorprofile"

	"github.com/resume-ssh/resume/ui/cache"
)

// The browser writes colours in full, and each visitor's terminal gets
// them brought down to what it shows (most SSH clients say only
// xterm-256color). Converting a frame means parsing every byte of it, and
// most frames are ones another visitor with the same profile was sent just
// before: the first screen at a size, the step from one role to the next.
// So conversions are memoised by profile and frame, in a cache the server
// owns and shares between sessions.

// conversionBudget bounds the server's memo of conversions, in bytes of
// frames and conversions.
const conversionBudget = 2 << 20

type conversionKey struct {
	profile colorprofile.Profile
	frame   string
}

// conversions memoises what frames become in each profile; the server
// owns one and shares it between sessions.
type conversions = cache.Cache[conversionKey, string]

func newConversions() *conversions { return cache.New[conversionKey, string](conversionBudget) }

// profileWriter writes to out in profile, as colorprofile.Writer does,
// through the memo.
type profileWriter struct {
	out     io.Writer
	profile colorprofile.Profile
	memo    *conversions
}

func (w profileWriter) Write(p []byte) (int, error) {
	if w.profile == colorprofile.TrueColor {
		return w.out.Write(p) //nolint:wrapcheck // as if written directly
	}
	k := conversionKey{w.profile, string(p)}
	s, ok := w.memo.Get(k)
	if !ok {
		var buf bytes.Buffer
		cw := colorprofile.Writer{Forward: &buf, Profile: w.profile}
		if _, err := cw.Write(p); err != nil {
			return 0, err //nolint:wrapcheck // an invalid profile
		}
		s = buf.String()
		w.memo.Put(k, s, len(p)+len(s))
	}
	if _, err := io.WriteString(w.out, s); err != nil {
		return 0, err //nolint:wrapcheck // as if written directly
	}
	return len(p), nil
}
