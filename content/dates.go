package content

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Date is a calendar month, or a whole year when Month is 0.
type Date struct {
	Year  int
	Month int // 1–12, or 0 for a year-only date
}

// IsZero reports whether d is the zero Date (no date, as for an end that
// is still to come).
func (d Date) IsZero() bool { return d.Year == 0 }

// startIndex and endIndex number months from year 0, reading a year-only
// date as its first month when it starts a range and its last when it ends
// one.
func (d Date) startIndex() int {
	if d.Month == 0 {
		return d.Year * 12
	}
	return d.Year*12 + d.Month - 1
}

func (d Date) endIndex() int {
	if d.Month == 0 {
		return d.Year*12 + 11
	}
	return d.Year*12 + d.Month - 1
}

// String is the short form used in exports: "Jul 2013", or "2013".
func (d Date) String() string {
	if d.IsZero() {
		return "Present"
	}
	if d.Month == 0 {
		return strconv.Itoa(d.Year)
	}
	return time.Month(d.Month).String()[:3] + " " + strconv.Itoa(d.Year)
}

// ISO is the date as JSON Resume writes it: "2013-07", or "2013".
func (d Date) ISO() string {
	if d.Month == 0 {
		return fmt.Sprintf("%04d", d.Year)
	}
	return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
}

// FormatMonths writes a count of months as "13 yrs 5 mos", "1 yr", "3 mos".
func FormatMonths(n int) string {
	if n < 1 {
		return "less than a month"
	}
	y, m := n/12, n%12
	var parts []string
	if y > 0 {
		parts = append(parts, plural(y, "yr"))
	}
	if m > 0 {
		parts = append(parts, plural(m, "mo"))
	}
	return strings.Join(parts, " ")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// FormatRange writes a role's dates as "Jul 2013 – Present", or a single
// date once: "Mar 2019".
func FormatRange(start, end Date) string {
	if start == end {
		return start.String()
	}
	return start.String() + " – " + end.String()
}

var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}

var ongoing = map[string]bool{"present": true, "current": true, "now": true, "today": true}

var errDateRange = errors.New("not a date range")

// ParseRange reads a date range such as "( July 2013 - Present )",
// "Jul 2013 – Now", "2013 to 2015" or a single date. Parentheses, spaces
// and emphasis markers around it do not matter; the end is the zero Date
// when the range is ongoing.
func ParseRange(s string) (start, end Date, err error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = s[1 : len(s)-1]
	}
	toks, err := dateTokens(s)
	if err != nil {
		return Date{}, Date{}, err
	}
	start, rest, ok := readDate(toks)
	if !ok || start.IsZero() {
		return Date{}, Date{}, errDateRange
	}
	if len(rest) == 0 {
		return start, start, nil // a single date: a range of one month or year
	}
	if rest[0] != "-" {
		return Date{}, Date{}, errDateRange
	}
	end, rest, ok = readDate(rest[1:])
	if !ok || len(rest) != 0 {
		return Date{}, Date{}, errDateRange
	}
	if !end.IsZero() && end.endIndex() < start.startIndex() {
		return Date{}, Date{}, errors.New("ends before it starts")
	}
	return start, end, nil
}

// dateTokens splits s into lower-case words, numbers and "-" for any dash
// or the word "to". Emphasis markers, commas and full stops are dropped.
func dateTokens(s string) ([]string, error) {
	var toks []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r) || strings.ContainsRune("*_,.", r):
			i++
		case strings.ContainsRune("-–—‒―−~", r):
			toks = append(toks, "-")
			i++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j])) {
				j++
			}
			w := strings.ToLower(string(rs[i:j]))
			if w == "to" || w == "until" || w == "till" {
				w = "-"
			}
			toks = append(toks, w)
			i = j
		default:
			return nil, errDateRange
		}
	}
	return toks, nil
}

// readDate reads "Month Year", "Year" or an ongoing word from the front of
// toks. An ongoing word gives the zero Date.
func readDate(toks []string) (Date, []string, bool) {
	if len(toks) == 0 {
		return Date{}, nil, false
	}
	if ongoing[toks[0]] {
		return Date{}, toks[1:], true
	}
	if m, ok := months[toks[0]]; ok {
		if len(toks) < 2 {
			return Date{}, nil, false
		}
		y, ok := year(toks[1])
		return Date{Year: y, Month: m}, toks[2:], ok
	}
	y, ok := year(toks[0])
	return Date{Year: y}, toks[1:], ok
}

func year(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1900 && y <= 2999
}
