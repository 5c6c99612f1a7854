package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// printable is s as one line of plain text that cannot move the cursor:
// each control character (C0, DEL, C1, and the Unicode line and paragraph
// separators) becomes a space and each byte that is not UTF-8 becomes
// U+FFFD. A document's text passes through it on its way to the screen,
// so that no source (a hand-edited file, a JSON Resume) can break the
// layout or write escape sequences to a visitor's terminal. It allocates
// only when it changes something.
func printable(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	if utf8.ValidString(s) && strings.IndexFunc(s, control) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if control(r) {
			return ' '
		}
		return r // strings.Map writes invalid bytes as U+FFFD
	}, s)
}

func control(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029'
}

// linkTarget is url as an OSC 8 hyperlink may carry it: printable ASCII
// only, each other byte percent-encoded, so that the link cannot end its
// escape sequence early.
func linkTarget(url string) string {
	safe := func(c byte) bool { return c > ' ' && c < 0x7f }
	i := 0
	for i < len(url) && safe(url[i]) {
		i++
	}
	if i == len(url) {
		return url
	}
	var b strings.Builder
	b.WriteString(url[:i])
	for ; i < len(url); i++ {
		if c := url[i]; safe(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
