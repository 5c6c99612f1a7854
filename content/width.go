package content

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Width is the number of terminal cells s takes: combining marks and
// zero-width characters take none, East Asian wide characters and emoji
// take two, everything else one.
func Width(s string) int {
	n := 0
	for _, r := range s {
		n += RuneWidth(r)
	}
	return n
}

// RuneWidth is the number of terminal cells r takes.
func RuneWidth(r rune) int {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return 0
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) || (r >= 0xfe00 && r <= 0xfe0f):
		return 0
	case isWide(r):
		return 2
	}
	return 1
}

var wide = [][2]rune{
	{0x1100, 0x115f},
	{0x231a, 0x231b},
	{0x2329, 0x232a},
	{0x23e9, 0x23ec},
	{0x23f0, 0x23f0},
	{0x23f3, 0x23f3},
	{0x25fd, 0x25fe},
	{0x2614, 0x2615},
	{0x2648, 0x2653},
	{0x267f, 0x267f},
	{0x2693, 0x2693},
	{0x26a1, 0x26a1},
	{0x26aa, 0x26ab},
	{0x26bd, 0x26be},
	{0x26c4, 0x26c5},
	{0x26ce, 0x26ce},
	{0x26d4, 0x26d4},
	{0x26ea, 0x26ea},
	{0x26f2, 0x26f3},
	{0x26f5, 0x26f5},
	{0x26fa, 0x26fa},
	{0x26fd, 0x26fd},
	{0x2705, 0x2705},
	{0x270a, 0x270b},
	{0x2728, 0x2728},
	{0x274c, 0x274c},
	{0x274e, 0x274e},
	{0x2753, 0x2755},
	{0x2757, 0x2757},
	{0x2795, 0x2797},
	{0x27b0, 0x27b0},
	{0x27bf, 0x27bf},
	{0x2b1b, 0x2b1c},
	{0x2b50, 0x2b50},
	{0x2b55, 0x2b55},
	{0x2e80, 0x303e},
	{0x3041, 0x33ff},
	{0x3400, 0x4dbf},
	{0x4e00, 0x9fff},
	{0xa000, 0xa4cf},
	{0xa960, 0xa97f},
	{0xac00, 0xd7a3},
	{0xf900, 0xfaff},
	{0xfe10, 0xfe19},
	{0xfe30, 0xfe6f},
	{0xff00, 0xff60},
	{0xffe0, 0xffe6},
	{0x16fe0, 0x18d08},
	{0x1b000, 0x1b2ff},
	{0x1f004, 0x1f004},
	{0x1f0cf, 0x1f0cf},
	{0x1f18e, 0x1f18e},
	{0x1f191, 0x1f19a},
	{0x1f200, 0x1f251},
	{0x1f300, 0x1f64f},
	{0x1f680, 0x1f6ff},
	{0x1f7e0, 0x1f7eb},
	{0x1f90c, 0x1f9ff},
	{0x1fa70, 0x1faff},
	{0x20000, 0x3fffd},
}

func isWide(r rune) bool {
	lo, hi := 0, len(wide)
	for lo < hi {
		m := (lo + hi) / 2
		switch {
		case r < wide[m][0]:
			hi = m
		case r > wide[m][1]:
			lo = m + 1
		default:
			return true
		}
	}
	return false
}

// Wrap breaks s into lines of at most width cells on spaces. The first
// line starts with first and the others with rest (a hanging indent); a
// word too long for a line is cut at the width, since a terminal would cut
// it anyway. Runs of spaces fold to one and no line ends in a space.
func Wrap(s string, width int, first, rest string) []string {
	var lines []string
	var b strings.Builder
	prefix := first
	b.WriteString(prefix)
	used, empty := Width(prefix), true
	flush := func() {
		lines = append(lines, strings.TrimRight(b.String(), " "))
		b.Reset()
		prefix = rest
		b.WriteString(prefix)
		used, empty = Width(prefix), true
	}
	for _, w := range strings.Fields(s) {
		ww := Width(w)
		if !empty && used+1+ww > width {
			flush()
		}
		if !empty {
			b.WriteByte(' ')
			used++
		}
		for used+ww > width {
			// Too long for any line: cut at the width, keeping whole runes.
			head, tail := cut(w, width-used)
			if head == "" && empty {
				head, tail = w[:utf8RuneLen(w)], w[utf8RuneLen(w):]
			}
			b.WriteString(head)
			flush()
			w, ww = tail, Width(tail)
		}
		b.WriteString(w)
		used += ww
		empty = false
	}
	if !empty || len(lines) == 0 {
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	return lines
}

// cut splits s after at most n cells.
func cut(s string, n int) (head, tail string) {
	used := 0
	for i, r := range s {
		w := RuneWidth(r)
		if used+w > n {
			return s[:i], s[i:]
		}
		used += w
	}
	return s, ""
}

func utf8RuneLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}
