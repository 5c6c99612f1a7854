package content

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// The shapes of the lines an entry is written in, read from plain text or
// from a line's spans. Each reader is the inverse of what the Markdown
// export writes, so that a round trip is exact.

// where is an entry's organisation, its location and its dates, as a
// line under a title gives them.
type where struct {
	org, loc, url, dates string
}

// splitDates finds the date range at the end of s: the last parenthesised
// group when it holds a digit or a word like "present", else the longest
// tail after a separator that reads as a range. found is false when s
// ends in no date range at all; a parenthesised group that looks like a
// date but does not read as one is still found, so that the caller can
// report it.
func splitDates(s string) (head, dates string, found bool) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 && looksLikeDate(s[i:]) {
			return trimSeparators(s[:i]), s[i:], true
		}
	}
	// A date range is short: look for it only near the end, so that a long
	// line costs linear time, not quadratic.
	for i := max(0, len(s)-maxRangeLen); i < len(s); i++ {
		if i > 0 && !strings.ContainsRune(",|·:;–—-", rune(s[i-1])) && s[i-1] != ' ' {
			continue
		}
		if _, _, err := ParseRange(s[i:]); err == nil {
			return trimSeparators(s[:i]), strings.TrimSpace(s[i:]), true
		}
	}
	return s, "", false
}

// leadingDates finds a date range at the start of s, set off by ":",
// "|", a dash or a comma: "2012 – 2014: Intern, Initech".
func leadingDates(s string) (dates, rest string, found bool) {
	s = strings.TrimSpace(s)
	for i := min(len(s), maxRangeLen); i > 0; i-- {
		if !strings.ContainsRune(":|—–,", rune(s[i-1])) && !strings.HasPrefix(s[i-1:], "—") && !strings.HasPrefix(s[i-1:], "–") {
			continue
		}
		head := strings.TrimRight(s[:i], ":|—–, ")
		head = strings.TrimSuffix(strings.TrimSuffix(head, "—"), "–")
		if _, _, err := ParseRange(head); err == nil && strings.TrimSpace(trimSeparators(s[i:])) != "" {
			return head, trimSeparators(s[i:]), true
		}
	}
	return "", s, false
}

// yearLike finds a year: four digits from 1900 to 2099, alone.
var yearLike = regexp.MustCompile(`(^|[^0-9])(19|20)[0-9]{2}([^0-9]|$)`)

// maxRangeLen is longer than any date range ("22 September 2013 – 30
// September 2015" is 42 bytes) with room for emphasis and spaces.
const maxRangeLen = 64

// looksLikeDate reports whether a parenthesised group is meant as dates:
// it has a year ("(Jully 2013 - Present)") or a word for now. "(B2)" and
// "(Team 2)" are not.
func looksLikeDate(s string) bool {
	if yearLike.MatchString(s) {
		return true
	}
	l := strings.ToLower(s)
	for w := range ongoing {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func trimSeparators(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",|·:;–—-", r)
	})
}

// dateTypo finds a misspelt month in the dates at the end of s: a word
// one edit from a month's name ("Jnue 2013 – Dec 2013") whose correction
// makes the rest of s a date range. It returns the word and the month
// meant.
func dateTypo(s string) (word, month string, ok bool) {
	tail := s[max(0, len(s)-maxRangeLen):]
	words := strings.Fields(tail)
	for i, w := range words {
		if i+1 >= len(words) {
			break
		}
		// A month is followed by a year or a day: only such a word can
		// be one misspelt.
		next := strings.Trim(words[i+1], "()*_,.")
		if _, ok := year(next); !ok {
			if _, ok := day(next); !ok {
				continue
			}
		}
		bare := strings.Trim(w, "()*_,.")
		m := monthTypo(bare)
		if m == "" {
			continue
		}
		fixed := append(append([]string{}, words[:i]...), strings.Replace(w, bare, m, 1))
		fixed = append(fixed, words[i+1:]...)
		for j := i; j >= 0 && j >= i-1; j-- { // the range may start with a day
			if _, _, err := ParseRange(strings.Trim(strings.Join(fixed[j:], " "), "()")); err == nil {
				return bare, m, true
			}
		}
	}
	return "", "", false
}

// leading is the run of spans at the start of t that are strong (or,
// when the first is not, emphasised), as text, with the first link's
// URL, and the rest of the line as plain text. ok is false when t does
// not start with emphasis.
func leading(t Text) (lead, url, rest string, ok bool) {
	if len(t) == 0 || (!t[0].Strong && !t[0].Emph) {
		return "", "", "", false
	}
	strong := t[0].Strong
	i := 0
	var b strings.Builder
	for ; i < len(t) && ((strong && t[i].Strong) || (!strong && t[i].Emph && !t[i].Strong)); i++ {
		b.WriteString(t[i].Text)
		if url == "" {
			url = t[i].URL
		}
	}
	lead = strings.TrimSpace(b.String())
	// "**Org:**" or "**Org**:" are labels, not organisations.
	return strings.TrimRight(lead, " "), url, strings.TrimSpace(t[i:].Plain()), lead != ""
}

// orgLine reads a line under a title as its organisation, location and
// dates: "**Org**", "**Org**, City", "**Org** | City", "**Org** | City |
// Mar 2019 – Present", "*Org* · 2019 – 2021"; or, without emphasis, a
// line that ends in dates ("Org | City | 2019 – 2021", or the dates
// alone). ok is false for any other line.
func orgLine(t Text) (w where, ok bool) {
	org, url, rest, emph := leading(t)
	if !emph {
		head, dates, found := splitDates(t.Plain())
		if !found {
			return where{}, false
		}
		w.dates = dates
		w.org, w.loc = splitLocation(head)
		return w, len(w.org) <= 120
	}
	if strings.HasSuffix(org, ":") {
		return where{}, false // a label: "**Skills:** Go, Rust"
	}
	if _, _, err := ParseRange(org); err == nil {
		// "*June 2019 - Present* · Bengaluru": the dates in italics, the
		// place after them.
		w.dates, w.loc = org, trimSeparators(rest)
		return w, true
	}
	w.org, w.url = org, url
	if rest == "" {
		return w, len(org) <= 120
	}
	if !strings.ContainsRune(",|·–—-@(", []rune(rest)[0]) {
		return where{}, false // "**Org** did this": a sentence
	}
	head, dates, found := splitDates(rest)
	if found {
		w.dates = dates
	}
	w.loc = trimSeparators(head)
	return w, len(org) <= 120
}

// splitLocation splits "Org | City" into the organisation and where it
// is; a line with no "|" is all organisation ("Acme, Inc.").
func splitLocation(s string) (org, loc string) {
	s = trimSeparators(s)
	if before, after, ok := strings.Cut(s, " | "); ok {
		return strings.TrimSpace(before), trimSeparators(after)
	}
	return s, ""
}

// roleLine reads a line that is a whole entry: a bold title, then the
// organisation, an optional location and the dates: "**Support
// Engineer**, Initech — Jan 2012 to Dec 2013", "**SRE** | Northwind |
// Leeds | 2019 – Present". It needs the dates unless undated is set.
func roleLine(t Text, undated bool) (title string, w where, ok bool) {
	lead, url, rest, emph := leading(t)
	if !emph || !t[0].Strong || strings.HasSuffix(lead, ":") {
		return "", where{}, false
	}
	if rest != "" && !strings.ContainsRune(",|·–—-@(", []rune(rest)[0]) && !strings.HasPrefix(rest, "at ") {
		return "", where{}, false // "**Led** the team": a sentence
	}
	head, dates, found := splitDates(strings.TrimPrefix(trimSeparators(rest), "at "))
	if !found && !undated {
		return "", where{}, false
	}
	w.dates, w.url = dates, url
	w.org, w.loc = splitLocation(head)
	return lead, w, true
}

// splitTitle splits "Staff SRE, Northwind Payments" (or joined by — – |
// @ or at) into the title and the organisation, and the organisation
// from a location after " | ".
func splitTitle(s string) (title string, w where) {
	for _, sep := range []string{" — ", " – ", " | ", " @ ", " at ", " - "} {
		if i := strings.Index(s, sep); i > 0 {
			w.org, w.loc = splitLocation(s[i+len(sep):])
			return strings.TrimSpace(s[:i]), w
		}
	}
	if i := strings.LastIndex(s, ", "); i > 0 {
		return strings.TrimSpace(s[:i]), where{org: strings.TrimSpace(s[i+2:])}
	}
	return strings.TrimSpace(s), where{}
}

// splitDegree reads a degree's title as its type and its subject: "MSc
// in Computer Science", or "MSc Computer Science" where the first word is
// an abbreviation like BSc, PhD or M.Eng.
func splitDegree(s string) (studyType, area string) {
	if before, after, ok := strings.Cut(s, " in "); ok && before != "" && after != "" {
		return strings.TrimSpace(before), strings.TrimSpace(after)
	}
	first, rest, ok := strings.Cut(s, " ")
	if ok && abbreviation(first) {
		return first, strings.TrimSpace(rest)
	}
	return s, ""
}

// abbreviation reports whether w is written like a degree's short name:
// a capital, then letters and full stops, with both a small letter and a
// second capital or a stop (BSc, PhD, M.Eng., B.A.), or two capitals
// alone (BA, MS). An all-capital acronym of three or more (MIT, UCL) is a
// name, not a degree.
func abbreviation(w string) bool {
	rs := []rune(strings.TrimRight(w, ","))
	if len(rs) < 2 || len(rs) > 8 || !unicode.IsUpper(rs[0]) {
		return false
	}
	upper, lower, stops := 0, 0, 0
	for _, r := range rs[1:] {
		switch {
		case unicode.IsUpper(r):
			upper++
		case r == '.':
			stops++
		case unicode.IsLower(r):
			lower++
		default:
			return false
		}
	}
	return stops > 0 || (lower > 0 && upper > 0) || (len(rs) == 2 && upper == 1)
}

// labels are the field names a line "Label: value" under an entry may
// give, and the field each fills.
var labels = map[string]string{
	"title": "title", "position": "title", "role": "title", "name": "title", "degree": "title",
	"organisation": "org", "organization": "org", "company": "org", "employer": "org",
	"institution": "org", "school": "org", "university": "org", "issuer": "org", "awarder": "org",
	"publisher": "org", "entity": "org",
	"location": "loc", "where": "loc", "url": "url", "website": "url", "web": "url", "link": "url",
	"dates": "dates", "date": "dates", "when": "dates",
	"area": "area", "subject": "area", "field": "area", "major": "area",
	"score": "score", "grade": "score", "gpa": "score", "note": "score", "result": "score",
	"level": "level", "fluency": "fluency", "type": "type", "description": "description",
	"keywords": "keywords", "tags": "keywords", "tools": "keywords", "tech": "keywords", "stack": "keywords",
	"courses": "courses", "modules": "courses", "roles": "roles",
	"note finale": "score", "abschluss": "score", "mention": "score",
}

// labelLine reads "Label: value" (the label bold or not) as a field.
func labelLine(t Text) (field, value string, ok bool) {
	s := t.Plain()
	label, value, found := strings.Cut(s, ":")
	if !found {
		return "", "", false
	}
	field, ok = labels[strings.ToLower(strings.Trim(label, " *_"))]
	value = strings.TrimSpace(strings.TrimLeft(value, "*_ "))
	if field == "url" {
		value = firstNonEmpty(firstURL(t), value)
	}
	return field, value, ok && value != ""
}

func firstURL(t Text) string {
	for _, s := range t {
		if s.URL != "" {
			return s.URL
		}
	}
	return ""
}

// setField sets the field a label line names. A "Dates" value that does
// not read is an error.
func (e *Entry) setField(field, value string) error {
	switch field {
	case "title":
		e.Title = value
	case "org":
		e.Organisation = value
	case "loc":
		e.Location = value
	case "url":
		e.URL = value
	case "dates":
		start, end, err := ParseRange(value)
		if err != nil {
			return fmt.Errorf("cannot read dates %q", value)
		}
		e.Start, e.End = start, end
	case "area":
		e.Area = value
	case "score":
		e.Score = value
	case "level":
		e.Level = value
	case "fluency":
		e.Fluency = value
	case "type":
		e.Type = value
	case "description":
		e.Description = value
	case "keywords":
		e.Keywords = splitList(value)
	case "courses":
		e.Courses = splitList(value)
	case "roles":
		e.Roles = splitList(value)
	}
	return nil
}

// listEntry reads a list item under a section of kind k as one entry:
// "Go: expert" (a skill or a language), "Languages: Go, Rust" (a skill's
// keywords), "On-call hero, Northwind (2021)" (an award). ok is false
// when the item is not in a shape the kind is written in.
func listEntry(k Kind, t Text) (Entry, bool) {
	e := Entry{Kind: k}
	s := strings.TrimSpace(t.Plain())
	if s == "" {
		return e, false
	}
	switch k {
	case Skills, Interests:
		name, kws, _ := strings.Cut(s, ":")
		e.Title = strings.TrimSpace(name)
		if i := strings.LastIndex(e.Title, " ("); i > 0 && strings.HasSuffix(e.Title, ")") {
			e.Title, e.Level = e.Title[:i], e.Title[i+2:len(e.Title)-1]
		}
		e.Keywords = splitList(kws)
		return e, e.Title != "" && (k == Skills || e.Level == "")
	case Languages:
		for _, sep := range []string{": ", " — ", " – ", " - "} {
			if lang, fl, ok := strings.Cut(s, sep); ok {
				e.Title, e.Fluency = strings.TrimSpace(lang), strings.TrimSpace(fl)
				return e, e.Title != "" && e.Fluency != ""
			}
		}
		if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
			e.Title, e.Fluency = s[:i], s[i+2:len(s)-1]
			return e, true
		}
		e.Title = s
		return e, true
	case References:
		if name, text, ok := strings.Cut(s, ": "); ok {
			e.Title = strings.TrimSpace(name)
			e.Notes = []Block{{Kind: Paragraph, Text: Text{{Text: strings.TrimSpace(text)}}}}
			return e, e.Title != ""
		}
		e.Title = s
		return e, true
	case Awards, Certificates, Publications:
		head, dates, found := splitDates(s)
		if found {
			start, end, err := ParseRange(dates)
			if err != nil {
				return e, false
			}
			e.Start, e.End = start, end
		}
		// "Title, Issuer (2021)": a list of these names its issuer after
		// the last comma, whatever dashes the title holds.
		if i := strings.LastIndex(head, ", "); i > 0 {
			e.Title, e.Organisation = strings.TrimSpace(head[:i]), strings.TrimSpace(head[i+2:])
			return e, true
		}
		var w where
		e.Title, w = splitTitle(head)
		e.Organisation = w.org
		return e, e.Title != "" && w.loc == ""
	}
	return e, false
}
