package ui

import (
	"strings"
	"testing"

	"github.com/resume-ssh/resume/content"
)

// FuzzWrapRuns: whatever the text (invalid UTF-8, control characters,
// zero-width and combining runes, very long tokens) and however narrow
// the width, wrapping ends, loses no byte of the text, and no line is
// wider than the width when one rune fits. The first seed is the text
// that hung the about page: a long token, then bytes that are not UTF-8.
func FuzzWrapRuns(f *testing.F) {
	f.Add("Ka_nQC65T/e7cENWRLDghUyMFb6J-Q/Fco_zt33NC6oeRUUDOEu/XcStBBHAvaRMU7z-P31u=&(\xe5\x5d\xa9", 12, "• ")
	f.Add("\x00\x01\x1b[31m\u200b\u0301e\u0301\ufeff"+strings.Repeat("界", 40), 3, "")
	f.Add(strings.Repeat("\xff", 100), 1, "  ")
	st := DefaultStyles(true)
	f.Fuzz(func(t *testing.T, text string, width int, first string) {
		width = 1 + abs(width)%300
		if len(first) > 8 {
			first = first[:8]
		}
		lines := wrapRuns([]run{{text: text, span: content.Span{Text: text}}}, width, first, &st)
		// Every line but the first and last takes at least one byte of the
		// text: a turn that takes none is the loop that never ended.
		if len(lines) > len(text)+2 {
			t.Fatalf("%d lines for %d bytes at width %d", len(lines), len(text), width)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1)
	}
	return n
}
