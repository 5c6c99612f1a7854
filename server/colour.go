package server

import (
	"bytes"
	"io"
	"sync"

	"github.com/charmbracelet/colorprofile"
)

// The browser writes colours in full, and each visitor's terminal gets
// them brought down to what it shows (most SSH clients say only
// xterm-256color). Converting a frame means parsing every byte of it, and
// most frames are ones another visitor with the same profile was sent just
// before: the first screen at a size, the step from one role to the next.
// So conversions are memoised, process-wide, by profile and frame.

// conversionBudget bounds the memo, in bytes of frames and conversions.
// When it is full the memo starts again.
const conversionBudget = 2 << 20

type conversionKey struct {
	profile colorprofile.Profile
	frame   string
}

var conversions = struct {
	sync.Mutex
	m     map[conversionKey]string
	bytes int
}{m: map[conversionKey]string{}}

// profileWriter writes to out in profile, as colorprofile.Writer does.
type profileWriter struct {
	out     io.Writer
	profile colorprofile.Profile
}

func (w profileWriter) Write(p []byte) (int, error) {
	if w.profile == colorprofile.TrueColor {
		return w.out.Write(p) //nolint:wrapcheck // as if written directly
	}
	conversions.Lock()
	s, ok := conversions.m[conversionKey{w.profile, string(p)}]
	conversions.Unlock()
	if !ok {
		var buf bytes.Buffer
		cw := colorprofile.Writer{Forward: &buf, Profile: w.profile}
		if _, err := cw.Write(p); err != nil {
			return 0, err //nolint:wrapcheck // an invalid profile
		}
		s = buf.String()
		conversions.Lock()
		if conversions.bytes+len(p)+len(s) > conversionBudget {
			clear(conversions.m)
			conversions.bytes = 0
		}
		if _, ok := conversions.m[conversionKey{w.profile, string(p)}]; !ok {
			conversions.m[conversionKey{w.profile, string(p)}] = s
			conversions.bytes += len(p) + len(s)
		}
		conversions.Unlock()
	}
	if _, err := io.WriteString(w.out, s); err != nil {
		return 0, err //nolint:wrapcheck // as if written directly
	}
	return len(p), nil
}
