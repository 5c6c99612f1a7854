package server

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxLogField is how much of any client-supplied text reaches the log.
const maxLogField = 128

// sanitize makes client-supplied text safe to log or show: control bytes,
// bidi controls and invalid UTF-8 are escaped, and the result is cut to
// about maxLogField bytes.
func sanitize(s string) string {
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= maxLogField {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError && len(s[i:]) > 0 && !utf8.ValidString(s[i:min(len(s), i+4)]):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			if r < 0x100 {
				fmt.Fprintf(&b, `\x%02x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
