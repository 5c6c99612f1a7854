package content

import (
	"errors"
	"fmt"
	"regexp"
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

// months are the month names read, in English, and in German, French and
// Spanish where no name means another month in another of them.
var months = map[string]int{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
	"oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
	// German
	"januar": 1, "februar": 2, "märz": 3, "mär": 3, "mai": 5, "juni": 6, "juli": 7,
	"okt": 10, "oktober": 10, "dez": 12, "dezember": 12,
	// French
	"janv": 1, "janvier": 1, "févr": 2, "février": 2, "fév": 2, "mars": 3, "avr": 4, "avril": 4,
	"juin": 6, "juil": 7, "juillet": 7, "août": 8, "septembre": 9, "octobre": 10,
	"novembre": 11, "déc": 12, "décembre": 12,
	// Spanish
	"ene": 1, "enero": 1, "febrero": 2, "marzo": 3, "abr": 4, "abril": 4, "mayo": 5,
	"junio": 6, "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
	"noviembre": 11, "dic": 12, "diciembre": 12,
}

// ongoing are the words for an end that has not come.
var ongoing = map[string]bool{
	"present": true, "current": true, "now": true, "today": true, "ongoing": true,
	"heute": true, "aktuell": true, "présent": true, "aujourd'hui": true, "actuel": true,
	"presente": true, "actualidad": true, "hoy": true,
}

// numericMonth finds a month written in digits: 2019-03 (or 2019-03-15)
// and 03/2019, which are read as Mar 2019.
var numericMonth = regexp.MustCompile(`\b(?:(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?|(0?[1-9]|1[0-2])/(\d{4}))\b`)

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
	s = numericMonth.ReplaceAllStringFunc(s, func(m string) string {
		g := numericMonth.FindStringSubmatch(m)
		y, mo := g[1], g[2]
		if y == "" {
			y, mo = g[4], g[3]
		}
		n, _ := strconv.Atoi(mo)
		return time.Month(n).String()[:3] + " " + y
	})
	toks, err := dateTokens(s)
	if err != nil {
		return Date{}, Date{}, err
	}
	since := len(toks) > 0 && (toks[0] == "since" || toks[0] == "seit" || toks[0] == "depuis" || toks[0] == "desde")
	if since {
		toks = toks[1:]
	}
	start, rest, ok := readDate(toks)
	if !ok || start.IsZero() {
		return Date{}, Date{}, errDateRange
	}
	if len(rest) == 0 {
		if since {
			return start, Date{}, nil // "since 2019": ongoing
		}
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
			if len(toks) == 0 || toks[len(toks)-1] != "-" { // "--" is one dash
				toks = append(toks, "-")
			}
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
