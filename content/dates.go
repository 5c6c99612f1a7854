package content

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Date is a day, a calendar month or a whole year: the precision the
// owner wrote is kept, so that "2022-01-10" is still a day when it is
// written out again.
type Date struct {
	Year  int
	Month int // 1–12, or 0 for a year-only date
	Day   int // 1–31, or 0 for a month or a year
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

// String is the short form used in exports, at the date's precision:
// "10 Jul 2013", "Jul 2013", or "2013".
func (d Date) String() string {
	switch {
	case d.IsZero():
		return "Present"
	case d.Month == 0:
		return strconv.Itoa(d.Year)
	case d.Day == 0:
		return time.Month(d.Month).String()[:3] + " " + strconv.Itoa(d.Year)
	}
	return strconv.Itoa(d.Day) + " " + time.Month(d.Month).String()[:3] + " " + strconv.Itoa(d.Year)
}

// ISO is the date as JSON Resume writes it, at its precision:
// "2013-07-10", "2013-07", or "2013".
func (d Date) ISO() string {
	switch {
	case d.Month == 0:
		return fmt.Sprintf("%04d", d.Year)
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
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

// sinceWords start a range that is still going on: "since 2019".
var sinceWords = map[string]bool{"since": true, "seit": true, "depuis": true, "desde": true}

// ongoing are the words for an end that has not come.
var ongoing = map[string]bool{
	"present": true, "current": true, "now": true, "today": true, "ongoing": true,
	"heute": true, "aktuell": true, "présent": true, "aujourd'hui": true, "actuel": true,
	"presente": true, "actualidad": true, "hoy": true,
}

// numericMonth finds a month written in digits: 2019-03, 2019-03-15 and
// 03/2019, which are read as Mar 2019 and 15 Mar 2019.
var numericMonth = regexp.MustCompile(`\b(?:(\d{4})-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?|(0?[1-9]|1[0-2])/(\d{4}))\b`)

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
		y, mo, day := g[1], g[2], g[3]
		if y == "" {
			y, mo = g[5], g[4]
		}
		n, _ := strconv.Atoi(mo)
		if day != "" {
			return day + " " + time.Month(n).String()[:3] + " " + y
		}
		return time.Month(n).String()[:3] + " " + y
	})
	toks, err := dateTokens(s)
	if err != nil {
		return Date{}, Date{}, err
	}
	since := len(toks) > 0 && sinceWords[toks[0]]
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
	// "10 Jan 2022": a day before the month.
	if d, ok := day(toks[0]); ok && len(toks) >= 3 {
		if m, ok := months[toks[1]]; ok {
			y, ok := year(toks[2])
			return Date{Year: y, Month: m, Day: d}, toks[3:], ok && d <= daysIn(y, m)
		}
	}
	if m, ok := months[toks[0]]; ok {
		if len(toks) < 2 {
			return Date{}, nil, false
		}
		// "Jan 10, 2022": a day after the month.
		if d, ok := day(toks[1]); ok && len(toks) >= 3 {
			y, ok := year(toks[2])
			return Date{Year: y, Month: m, Day: d}, toks[3:], ok && d <= daysIn(y, m)
		}
		y, ok := year(toks[1])
		return Date{Year: y, Month: m}, toks[2:], ok
	}
	y, ok := year(toks[0])
	return Date{Year: y}, toks[1:], ok
}

// day reads a day of the month, "1" to "31", with an English ordinal
// ending or not ("1st", "22nd").
func day(s string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suf)
	}
	if len(s) == 0 || len(s) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(s)
	return d, err == nil && d >= 1 && d <= 31
}

// daysIn is the number of days in month m of year y.
func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// monthTypo is the month a word was probably meant to be ("Jnue" for
// June), or "" when the word is a month already or is not near one. A
// word is near a month when one edit (two for a long word) turns it into
// a month's name.
func monthTypo(word string) string {
	w := strings.ToLower(word)
	if _, ok := months[w]; ok || ongoing[w] || sinceWords[w] || w == "until" || w == "till" || len([]rune(w)) < 3 || !isLetters(w) {
		return ""
	}
	best, bestD := "", 3
	n := len([]rune(w))
	for _, name := range monthNames {
		size := len([]rune(name))
		limit := 1
		if size >= 6 {
			limit = 2
		}
		if abs(size-n) > limit {
			continue // no fewer edits than the difference in length
		}
		if d := editDistance(w, name); d <= limit && d < bestD {
			best, bestD = time.Month(months[name]).String(), d
		}
	}
	return best
}

// monthNames are the keys of months in a fixed order, so that a typo
// near two months is always said the same way.
var monthNames = func() []string {
	names := make([]string, 0, len(months))
	for name := range months {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}()

func isLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// editDistance counts the insertions, deletions, substitutions and
// swaps of two neighbours that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	// Three rows of the table: two back, one back, this one.
	prev2, prev, cur := make([]int, len(y)+1), make([]int, len(y)+1), make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func year(s string) (int, bool) {
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= 1900 && y <= 2999
}
