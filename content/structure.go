package content

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// The Markdown reader's structure: which heading opens a section, which
// starts an entry, and where each block belongs. An entry is found by its
// shape (a title with dates under or beside it), wherever it stands and
// whatever words its title holds; a heading's words decide only what an
// undated heading is, and only when they are a section's name whole.

type parser struct {
	name  string
	src   []byte
	lines []int
	res   Resume

	// open are the indices in res.Sections of the sections being read,
	// the innermost last: a part under Experience is inside it, and
	// Experience is read again when the part ends.
	open []int
	// inEntry says that the blocks being read belong to the last entry:
	// the last role when entryKind is Work, else the last entry of sec.
	inEntry    bool
	entryKind  Kind
	entryLevel int
	// fresh is set while nothing has been read under the entry's head, so
	// that label lines ("Score: Distinction") still fill its fields.
	fresh bool
	// pending are the label lines of the entry head being read.
	pending []Text
}

// warn notes something that reads but is probably not what was meant.
func (p *parser) warn(line int, format string, a ...any) {
	p.res.notes = append(p.res.notes, Warning{Line: line, Msg: fmt.Sprintf(format, a...)})
}

// sec is the index of the section being read, or -1.
func (p *parser) sec() int {
	if len(p.open) == 0 {
		return -1
	}
	return p.open[len(p.open)-1]
}

// secLevel is the level of the section being read's heading, or 0.
func (p *parser) secLevel() int {
	if i := p.sec(); i >= 0 {
		return p.res.Sections[i].Level
	}
	return 0
}

// secKind is the kind of the section being read, Free when there is none.
func (p *parser) secKind() Kind {
	if p.sec() < 0 {
		return Free
	}
	return p.res.Sections[p.sec()].Kind
}

// entry is the entry being read, or nil.
func (p *parser) entry() *Entry {
	switch {
	case !p.inEntry:
		return nil
	case p.entryKind == Work:
		return &p.res.Roles[len(p.res.Roles)-1]
	}
	es := p.res.Sections[p.sec()].Entries
	return &es[len(es)-1]
}

// entryKindHere is the kind an entry found now has: the section's, when
// it is one of JSON Resume's besides work, else a role.
func (p *parser) entryKindHere() Kind {
	if k := p.secKind(); k != Free {
		return k
	}
	return Work
}

// cur is where a block read now belongs.
func (p *parser) cur() *[]Block {
	switch {
	case p.inEntry:
		return &p.entry().Notes
	case p.sec() >= 0:
		if s := p.res.Sections[p.sec()]; len(p.res.Roles) > s.AfterRoles {
			// Text after the section's roles stays after them: it goes
			// into a section of its own, with no heading, where it comes.
			p.res.Sections = append(p.res.Sections, Section{Level: s.Level, AfterRoles: len(p.res.Roles), Line: s.Line})
			p.open[len(p.open)-1] = len(p.res.Sections) - 1
		}
		return &p.res.Sections[p.sec()].Blocks
	}
	return &p.res.About.Blocks
}

func (p *parser) document(doc ast.Node) error {
	first := true
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, isHeading := n.(*ast.Heading)
		if !isHeading {
			last, err := p.block(n)
			if err != nil {
				return err
			}
			n = last
			continue
		}
		if first && h.Level == 1 {
			first = false
			p.res.About.Heading = p.inline(h).Plain()
			p.res.About.Level, p.res.About.Line = 1, p.line(h)
			continue
		}
		first = false
		last, err := p.heading(h)
		if err != nil {
			return err
		}
		n = last
	}
	return nil
}

// heading reads a heading and whatever it takes after it, and returns
// the last node it took.
func (p *parser) heading(h *ast.Heading) (ast.Node, error) {
	text := p.inline(h).Plain()
	level := h.Level
	if p.inEntry && level <= p.entryLevel {
		p.inEntry = false
	}
	for len(p.open) > 0 && level <= p.secLevel() {
		p.open = p.open[:len(p.open)-1]
	}
	kind := sectionKind(text)
	head, last, dated, err := p.entryHead(h, text)
	if err != nil {
		return nil, err
	}
	if kind != Free && !p.inEntry && p.sec() < 0 {
		if dated && p.orgOnly(last) {
			p.warn(p.line(h), "%q is a section's name and is read as one, though the line under it has dates as a role's title does; write the role under a section heading", text)
		}
		p.openSection(kind, text, h)
		return h, nil
	}
	if dated {
		if kind != Free {
			p.warn(p.line(h), "%q is a section's name, read here as an entry's title because it has dates", text)
		}
		p.addEntry(head, level)
		return last, nil
	}
	switch k := p.secKind(); {
	case p.sec() >= 0 && !p.inEntry && k != Free && k != Work:
		// Under Education or Awards an entry needs no dates.
		head.Line = p.line(h)
		p.addEntry(head, level)
		return last, nil
	case p.sec() >= 0 && !p.inEntry && k == Work && p.anyRolesUnder(h):
		// "### Acme" over "**Senior Engineer** (2019 – Present)" lines: a
		// part of its own, whose roles take its name.
		p.openSection(Free, text, h)
		return h, nil
	case p.sec() >= 0 && !p.inEntry && k == Work:
		p.warn(p.line(h), "%q is under a work section but has no dates a role needs, such as \"(Mar 2019 – Present)\"; it is shown as text", text)
	}
	if !p.inEntry && (level <= 2 || (p.sec() >= 0 && len(p.res.Roles) > p.res.Sections[p.sec()].AfterRoles)) {
		// A part of its own; or a heading after a section's roles, which
		// must stay after them.
		p.openSection(Free, text, h)
		return h, nil
	}
	add(p.cur(), Block{Kind: Heading, Level: level, Text: p.inline(h)})
	p.fresh = false
	return h, nil
}

// rolesUnder counts the dated entries written under h before the next
// heading at its level: bold role lines ("**Senior Engineer** (2019 –
// Present)"), organisation lines with dates, and deeper headings with
// dates. Two or more bold lines make h an organisation's heading, not one
// role's title ("### Acme" over its roles).
func (p *parser) rolesUnder(h *ast.Heading) (lines, all int) {
	for b := h.NextSibling(); b != nil; b = b.NextSibling() {
		switch b := b.(type) {
		case *ast.Heading:
			if b.Level <= h.Level {
				return lines, all
			}
			if _, _, found := splitDates(p.inline(b).Plain()); found {
				all++
			}
		case *ast.Paragraph:
			first := p.paraLines(b)[0]
			if _, w, ok := roleLine(first, false); ok && w.dates != "" {
				lines++
				all++
			} else if w, ok := orgLine(first); ok && w.dates != "" {
				all++
			}
		}
	}
	return lines, all
}

func (p *parser) manyRolesUnder(h *ast.Heading) bool { lines, _ := p.rolesUnder(h); return lines >= 2 }

func (p *parser) anyRolesUnder(h *ast.Heading) bool { _, all := p.rolesUnder(h); return all > 0 }

// orgLike reports whether a plain line could be an organisation's name:
// short, not a sentence, no dates, not a label.
func orgLike(s string) bool {
	if len(s) == 0 || len(s) > 80 || strings.ContainsAny(s[len(s)-1:], ".!?:;") {
		return false
	}
	if _, _, found := splitDates(s); found {
		return false
	}
	_, _, label := labelLine(Text{{Text: s}})
	return !label
}

// subIsOrg reports whether sub, a dated heading under h, names h's
// organisation (the seed's "## Title" then "#### Acme ( 2019 – 2021 )"),
// rather than being a role of its own under a heading over roles ("##
// Umbrella Research" then "### Director | 2021 – Present"). It is a role
// of its own when it is one level under h with its dates set off by
// " | " as a title's are ("### Director | 2021 – Present"; the seed's
// organisation is two levels under), when an organisation's line follows
// it, or when h has more than one dated heading under it.
func (p *parser) subIsOrg(h, sub *ast.Heading) bool {
	text := p.inline(sub).Plain()
	head, dates, _ := splitDates(text)
	if before, ok := strings.CutSuffix(strings.TrimSpace(strings.TrimSuffix(text, dates)), "|"); ok && strings.TrimSpace(before) == head && sub.Level == h.Level+1 {
		return false
	}
	if para, ok := sub.NextSibling().(*ast.Paragraph); ok {
		if w, ok := orgLine(p.paraLines(para)[0]); ok && w.org != "" && w.dates == "" {
			return false
		}
	}
	for n := sub.NextSibling(); n != nil; n = n.NextSibling() {
		next, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		if next.Level <= h.Level {
			break
		}
		if _, _, found := splitDates(p.inline(next).Plain()); found && next.Level == sub.Level {
			return false
		}
	}
	return true
}

// orgOnly reports whether n is a sub-heading that names only an
// organisation and dates ("#### Acme (2019 – 2021)"), with no title of
// its own nor an organisation's line under it: the shape under a role's
// title.
func (p *parser) orgOnly(n ast.Node) bool {
	sub, ok := n.(*ast.Heading)
	if !ok {
		return false
	}
	head, _, _ := splitDates(p.inline(sub).Plain())
	if _, w := splitTitle(head); w.org != "" {
		return false
	}
	if para, ok := sub.NextSibling().(*ast.Paragraph); ok {
		if _, ok := orgLine(p.paraLines(para)[0]); ok {
			return false
		}
	}
	return true
}

func (p *parser) openSection(kind Kind, text string, h *ast.Heading) {
	p.res.Sections = append(p.res.Sections, Section{
		Heading: text, Level: h.Level, Kind: kind,
		AfterRoles: len(p.res.Roles), Line: p.line(h),
	})
	p.open, p.inEntry = append(p.open, len(p.res.Sections)-1), false
}

// addEntry starts e, of the kind the place it stands gives it.
func (p *parser) addEntry(e Entry, level int) {
	e.Kind = p.entryKindHere()
	if e.Kind == Work {
		p.res.Roles = append(p.res.Roles, e)
	} else {
		s := &p.res.Sections[p.sec()]
		s.Entries = append(s.Entries, e)
	}
	p.inEntry, p.entryKind, p.entryLevel, p.fresh = true, e.Kind, level, true
	if (e.Kind == Work || e.Kind == Volunteer) && e.Organisation == "" && e.Dated() {
		if s := p.res.Sections; p.sec() >= 0 && s[p.sec()].Kind == Free && s[p.sec()].Heading != "" && e.Kind == Work {
			// Roles under an organisation's heading: "## Acme" then "###
			// Staff SRE | 2021 – Present".
			p.entry().Organisation = s[p.sec()].Heading
			p.warn(e.Line, "%q has no organisation of its own: read as %q, the heading above it", e.Title, s[p.sec()].Heading)
			return
		}
		p.warn(e.Line, "%q has no organisation: write it under the title, such as \"**Acme** | Leeds\"", e.Title)
	}
}

// entryHead reads h, and what follows it, as an entry's head in any of
// the shapes people write one in, and returns the last node it took:
//
//   - a heading and a deeper one that ends in the dates: "## Title" then
//     "#### Organisation ( Jul 2013 – Present )";
//   - one heading with the title, the organisation and the dates: "##
//     Staff SRE — Northwind (Mar 2019 – Present)", joined by , — – | @ or
//     at, the dates in parentheses or after a separator;
//   - a heading with the title and the dates, the organisation on the
//     line under it: "### Staff SRE | Mar 2021 – Present" then
//     "**Northwind**, Leeds";
//   - a heading with the title, then the organisation, a location and
//     the dates on the line under it: "**Northwind** | Leeds | 2019 –
//     2021", or on two lines of their own.
//
// dated is false when nothing dates it; head is then the heading as an
// undated entry's title, with an organisation line if one follows.
func (p *parser) entryHead(h *ast.Heading, text string) (head Entry, last ast.Node, dated bool, err error) {
	p.pending = nil
	head, last, dated, err = p.readHead(h, text)
	p.degree(&head)
	lines := p.pending
	p.pending = nil
	for _, l := range lines {
		field, value, _ := labelLine(l)
		if err := head.setField(field, value); err != nil {
			return head, nil, false, &ParseError{File: p.name, Line: head.Line, Msg: fmt.Sprintf("%q: %v", head.Title, err)}
		}
	}
	return head, last, dated || head.Dated(), err
}

// degree splits an education entry's title into the degree and its
// subject, before any labelled line sets them.
func (p *parser) degree(e *Entry) {
	if p.entryKindHere() == Education && e.Area == "" {
		e.Title, e.Area = splitDegree(e.Title)
	}
}

func (p *parser) readHead(h *ast.Heading, text string) (head Entry, last ast.Node, dated bool, err error) {
	head = Entry{Title: text, Line: p.line(h)}
	if err := p.checkTypo(h, text); err != nil {
		return head, nil, false, err
	}
	if sub, ok := h.NextSibling().(*ast.Heading); ok && sub.Level > h.Level {
		subText := p.inline(sub)
		if err := p.checkTypo(sub, subText.Plain()); err != nil {
			return head, nil, false, err
		}
		if org, dates, found := splitDates(subText.Plain()); found && p.subIsOrg(h, sub) {
			head.Organisation, head.Location = splitLocation(org)
			head.URL = firstURL(subText)
			return head, sub, true, p.setDates(sub, &head, dates)
		}
	}
	next := h.NextSibling()
	title, dates, found := splitDates(text)
	if !found {
		// "2012 – 2014: Intern, Initech": the dates first.
		if d, rest, ok := leadingDates(text); ok {
			title, dates, found = rest, d, true
		}
	}
	if found {
		if err := p.setDates(h, &head, dates); err != nil {
			return head, nil, false, err
		}
		// With the organisation on the line under it, the heading is all
		// title ("Engineer, Platforms | 2019 – 2021"); else the title and
		// the organisation share it.
		if para, ok := next.(*ast.Paragraph); ok {
			lines := p.paraLines(para)
			if w, ok := orgLine(lines[0]); ok && w.dates == "" && w.org != "" && (lines[0][0].Strong || lines[0][0].Emph) {
				head.Title, head.Organisation, head.Location, head.URL = title, w.org, w.loc, w.url
				p.pendingFields(lines[1:])
				return head, para, true, nil
			}
			// Without emphasis, as pdftotext leaves it: "Org | City", or a
			// short line alone, which is a guess and said to be one.
			if plain := lines[0].Plain(); len(lines[0]) == 1 && (len(lines) == 1 || p.labelsOnly(lines[1:])) && orgLike(plain) {
				head.Title = title
				head.Organisation, head.Location = splitLocation(plain)
				if !strings.Contains(plain, " | ") {
					p.warn(p.line(para), "%q is read as the organisation of %q; make it bold (**%s**) to say so", plain, title, plain)
				}
				p.pendingFields(lines[1:])
				return head, para, true, nil
			}
		}
		var w where
		head.Title, w = splitTitle(title)
		head.Organisation, head.Location = w.org, w.loc
		return head, h, true, nil
	}
	para, ok := next.(*ast.Paragraph)
	if !ok {
		return head, h, false, nil
	}
	lines := p.paraLines(para)
	if err := p.checkTypo(para, lines[0].Plain()); err != nil {
		return head, nil, false, err
	}
	if w, ok := orgLine(lines[0]); ok && !p.manyRolesUnder(h) {
		head.Organisation, head.Location, head.URL = w.org, w.loc, w.url
		if w.org == "" && w.dates != "" {
			// Only the dates under it: the heading is the title and the
			// organisation, as a one-line heading is ("SRE at Stripe").
			var t where
			head.Title, t = splitTitle(text)
			head.Organisation = t.org
			head.Location = firstNonEmpty(w.loc, t.loc)
		}
		rest := lines[1:]
		if w.dates == "" && len(rest) > 0 && head.Organisation != "" {
			// "Acme" then "Mar 2016 – Dec 2018" on a line of its own.
			if _, dates, found := splitDates(rest[0].Plain()); found && dates == rest[0].Plain() {
				w.dates, rest = dates, rest[1:]
			}
		}
		if w.dates != "" {
			if err := p.setDates(para, &head, w.dates); err != nil {
				return head, nil, false, err
			}
		}
		if w.dates == "" && (w.org == "" || (!lines[0][0].Strong && !lines[0][0].Emph)) {
			return Entry{Title: text, Line: p.line(h)}, h, false, nil
		}
		if !p.labelsOnly(rest) {
			return Entry{Title: text, Line: p.line(h)}, h, false, nil
		}
		p.pendingFields(rest)
		return head, para, w.dates != "", nil
	}
	// "Acme" then "Mar 2016 – Dec 2018", each on a line of its own.
	if len(lines) >= 2 && !lines[0][0].Strong && !lines[0][0].Emph {
		if _, dates, found := splitDates(lines[1].Plain()); found && dates == lines[1].Plain() && p.labelsOnly(lines[2:]) {
			head.Organisation, head.Location = splitLocation(lines[0].Plain())
			if err := p.setDates(para, &head, dates); err != nil {
				return head, nil, false, err
			}
			p.pendingFields(lines[2:])
			return head, para, true, nil
		}
	}
	// The title alone, then its fields: "Dates: 2019 – 2021".
	if p.labelsOnly(lines) {
		p.pendingFields(lines)
		return head, para, false, nil
	}
	return head, h, false, nil
}

func (p *parser) setDates(n ast.Node, e *Entry, dates string) error {
	start, end, err := ParseRange(dates)
	if err != nil {
		return p.dateError(n, dates, err)
	}
	e.Start, e.End = start, end
	return nil
}

func (p *parser) dateError(n ast.Node, dates string, err error) error {
	msg := fmt.Sprintf("cannot read date range %q", dates)
	if err != errDateRange {
		msg = fmt.Sprintf("date range %q %v", dates, err)
	}
	if word, month, ok := dateTypo(dates); ok {
		msg = fmt.Sprintf("cannot read date %q: did you mean %s?", word, month)
	}
	return &ParseError{File: p.name, Line: p.line(n), Msg: msg}
}

// checkTypo fails on a line whose dates have a misspelt month, which
// would otherwise be read as part of an organisation's name.
func (p *parser) checkTypo(n ast.Node, s string) error {
	if word, month, ok := dateTypo(s); ok {
		return &ParseError{File: p.name, Line: p.line(n), Msg: fmt.Sprintf("cannot read date %q in %q: did you mean %s?", word, strings.TrimSpace(s), month)}
	}
	return nil
}

// labelsOnly reports whether every line is "Label: value" with a label
// an entry has.
func (p *parser) labelsOnly(lines []Text) bool {
	if len(lines) == 0 {
		return true
	}
	for _, l := range lines {
		if _, _, ok := labelLine(l); !ok {
			return false
		}
	}
	return true
}

// pendingFields keeps label lines for the entry head being read, to be
// set after its title is split.
func (p *parser) pendingFields(lines []Text) { p.pending = append(p.pending, lines...) }

// fields fills e from label lines.
func (p *parser) fields(e *Entry, lines []Text) {
	for _, l := range lines {
		if field, value, ok := labelLine(l); ok {
			if err := e.setField(field, value); err != nil {
				p.warn(e.Line, "%q: %v; it is left out", e.Title, err)
			}
		}
	}
}

// block reads one block that is not a heading into wherever the document
// is now, and returns the last node it took.
func (p *parser) block(n ast.Node) (ast.Node, error) {
	switch n := n.(type) {
	case *ast.Paragraph:
		return n, p.paragraph(n)
	case *ast.List:
		p.list(n)
		return n, nil
	}
	if b, ok := p.plainBlock(n); ok {
		add(p.cur(), b)
	}
	p.fresh = false
	return n, nil
}

// plainBlock reads a block as it stands, with no entries in it.
func (p *parser) plainBlock(n ast.Node) (Block, bool) {
	switch n := n.(type) {
	case *ast.List:
		return Block{Kind: List, Items: p.items(n), Ordered: n.IsOrdered()}, true
	case *ast.Heading:
		return Block{Kind: Heading, Level: n.Level, Text: p.inline(n)}, true
	case *ast.ThematicBreak:
		return Block{Kind: Rule}, true
	case *ast.HTMLBlock:
		// A template's "<div class="contact">…</div>": its text, without
		// the tags a page would not show.
		text := oneLine(htmlTag.ReplaceAllString(p.rawLines(n), " "))
		return Block{Kind: Paragraph, Text: Text{{Text: text}}}, text != ""
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return Block{Kind: Code, Text: Text{{Text: p.rawLines(n), Code: true}}}, true
	case *ast.Blockquote:
		var parts []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			parts = append(parts, p.flatText(c))
		}
		return Block{Kind: Quote, Text: Text{{Text: strings.Join(parts, " ")}}}, true
	}
	t := p.inline(n)
	return Block{Kind: Paragraph, Text: t}, len(t) > 0
}

// rolesHere reports whether a bold line with dates starts an entry here:
// under a section of roles, degrees or projects, in a part of one, or
// after a role.
func (p *parser) rolesHere() bool {
	switch p.secKind() {
	case Work, Volunteer, Education, Projects:
		return true
	case Free:
		return (p.inEntry && p.entryKind == Work) || p.underWork()
	}
	return false
}

// underWork reports whether a section of roles encloses the one being
// read: "### Acme" inside "## Experience".
func (p *parser) underWork() bool {
	for _, i := range p.open {
		if p.res.Sections[i].Kind == Work {
			return true
		}
	}
	return false
}

func (p *parser) paragraph(para *ast.Paragraph) error {
	lines := p.paraLines(para)
	if len(lines) == 0 {
		return nil
	}
	if e := p.entry(); e != nil && p.fresh && p.labelsOnly(lines) {
		p.fields(e, lines)
		return nil
	}
	// "**EXPERIENCE**" alone on a line, as a document converted from a
	// word processor heads its sections: a section, when it is one's name
	// whole.
	if len(lines) == 1 && len(lines[0]) == 1 && lines[0][0].Strong {
		if k := sectionKind(lines[0][0].Text); k != Free {
			p.inEntry = false
			p.res.Sections = append(p.res.Sections, Section{
				Heading: lines[0][0].Text, Level: 2, Kind: k,
				AfterRoles: len(p.res.Roles), Line: p.line(para),
			})
			p.open = []int{len(p.res.Sections) - 1}
			return nil
		}
	}
	p.fresh = false
	if p.rolesHere() {
		if err := p.checkTypo(para, lines[0].Plain()); err != nil {
			return err
		}
		if title, w, ok := roleLine(lines[0], false); ok {
			e := Entry{Title: title, Organisation: w.org, Location: w.loc, URL: w.url, Line: p.line(para)}
			if err := p.setDates(para, &e, w.dates); err != nil {
				return err
			}
			p.degree(&e)
			rest := lines[1:]
			level := p.entryLevel
			if !p.inEntry {
				level = p.secLevel() + 1
			}
			p.addEntry(e, level)
			if p.labelsOnly(rest) {
				p.fields(p.entry(), rest)
				return nil
			}
			add(p.cur(), Block{Kind: Paragraph, Text: joinLines(rest)})
			p.fresh = false
			return nil
		}
		if _, w, ok := roleLine(lines[0], true); ok && p.inEntry && p.entryKind == Work && w.org != "" {
			p.warn(p.line(para), "%q looks like a role but has no dates, so it is read as part of the role above", lines[0].Plain())
		}
	}
	if k := p.secKind(); !p.inEntry && (k == Skills || k == Languages || k == Interests) {
		var es []Entry
		for _, l := range lines {
			e, ok := listEntry(k, l)
			if !ok || !strings.Contains(l.Plain(), ":") {
				es = nil
				break
			}
			e.Line = p.line(para)
			es = append(es, e)
		}
		if es == nil && k == Languages && len(lines) == 1 {
			// "English (native), French (B2)": the languages on one line.
			for _, part := range strings.Split(lines[0].Plain(), ", ") {
				e, ok := listEntry(k, Text{{Text: part}})
				if !ok || strings.ContainsAny(part, ":—–") {
					es = nil
					break
				}
				e.Line = p.line(para)
				es = append(es, e)
			}
		}
		if es != nil {
			s := &p.res.Sections[p.sec()]
			s.Entries = append(s.Entries, es...)
			return nil
		}
	}
	add(p.cur(), Block{Kind: Paragraph, Text: p.inline(para)})
	return nil
}

// joinLines is lines as one paragraph's text.
func joinLines(lines []Text) Text {
	var t Text
	for i, l := range lines {
		if i > 0 {
			t = append(t, Span{Text: " "})
		}
		t = append(t, l...)
	}
	return merge(t)
}

// list reads a list: whole entries ("- **SRE** | Acme | 2019 – 2021",
// "- Go: expert"), where the section's kind has them, and the entry's
// highlights (or a degree's courses, a skill's keywords) otherwise.
func (p *parser) list(l *ast.List) {
	var rest []Item
	listed := false // whether an item was a whole entry
	li := l.FirstChild()
	for _, it := range p.items(l) {
		line := p.line(li)
		li = li.NextSibling()
		if e, ok := p.roleItem(it); ok {
			listed = true
			e.Line = line
			level := p.entryLevel
			if !p.inEntry {
				level = p.secLevel() + 1
			}
			p.addEntry(e, level)
			p.fresh = false
			continue
		}
		if e := p.entry(); e != nil && !listed {
			switch e.Kind {
			case Education:
				e.Courses = append(e.Courses, flatten([]Item{it}, nil)...)
			case Skills, Interests:
				e.Keywords = append(e.Keywords, flatten([]Item{it}, nil)...)
			default:
				e.Highlights = append(e.Highlights, it)
			}
			continue
		}
		if k := p.secKind(); k != Free && !p.rolesHere() {
			if e, ok := listEntry(k, it.Text); ok {
				e.Line = line
				e.Keywords = append(e.Keywords, flatten(it.Items, nil)...)
				s := &p.res.Sections[p.sec()]
				s.Entries = append(s.Entries, e)
				continue
			}
		}
		rest = append(rest, it)
	}
	if listed {
		// An entry on a list item has its highlights nested under it;
		// what follows the list is not its own.
		p.inEntry = false
	}
	if len(rest) > 0 {
		add(p.cur(), Block{Kind: List, Items: rest, Ordered: l.IsOrdered()})
	}
	p.fresh = false
}

// roleItem reads a list item as a whole entry of a section of roles,
// degrees or projects: a bold title with its organisation and dates, its
// nested items its highlights. Where no entry is open, a degree or a
// project needs no dates, nor a bold title when it has dates ("BSc
// Physics, University of Example (2012)").
func (p *parser) roleItem(it Item) (Entry, bool) {
	if !p.rolesHere() {
		return Entry{}, false
	}
	k := p.entryKindHere()
	loose := !p.inEntry && k != Work
	title, w, ok := roleLine(it.Text, loose)
	if !ok && loose {
		if head, dates, found := splitDates(it.Text.Plain()); found && head != "" {
			title, w = splitTitle(head)
			w.dates, ok = dates, true
		}
	}
	if !ok {
		return Entry{}, false
	}
	e := Entry{Title: title, Organisation: w.org, Location: w.loc, URL: w.url, Highlights: it.Items}
	p.degree(&e)
	if w.dates != "" {
		start, end, err := ParseRange(w.dates)
		if err != nil {
			return Entry{}, false
		}
		e.Start, e.End = start, end
	}
	return e, true
}

// The owner's details as an opening paragraph writes them.
var (
	emailPattern = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`)
	urlPattern   = regexp.MustCompile(`https?://[^\s<>()|·,]+[^\s<>()|·,.]`)
	htmlTag      = regexp.MustCompile(`<!--[\s\S]*?-->|</?[a-zA-Z][^>]*>`)
	phonePattern = regexp.MustCompile(`(?:\+|\()?\d[\d ().-]{5,}\d`)
)

// fillBasics gives the owner the opening heading as their name, when it
// reads as one and the front matter names nobody, and, when there is no
// front matter, the email, web address and phone number written in the
// opening paragraph.
func (p *parser) fillBasics(fm frontMatterInfo) {
	p.nameLine()
	person := &p.res.Person
	if !fm.named && readsAsName(p.res.About.Heading) {
		person.Name = p.res.About.Heading
	}
	if fm.present {
		return
	}
	for _, b := range p.res.About.Blocks {
		t := b.Text
		for _, it := range b.Items {
			t = append(append(t, Span{Text: " · "}), it.Text...)
		}
		for _, s := range t {
			switch {
			case strings.HasPrefix(s.URL, "mailto:") && person.Email == "":
				person.Email = strings.TrimPrefix(s.URL, "mailto:")
			case strings.HasPrefix(s.URL, "tel:") && person.Phone == "":
				person.Phone = strings.TrimPrefix(s.URL, "tel:")
			case strings.HasPrefix(s.URL, "http") && person.URL == "":
				person.URL = s.URL
			}
		}
		plain := t.Plain()
		if person.Email == "" {
			person.Email = emailPattern.FindString(plain)
		}
		if person.URL == "" {
			person.URL = urlPattern.FindString(plain)
		}
		if person.Phone == "" {
			for _, m := range phonePattern.FindAllString(plain, -1) {
				if digits(m) >= 7 && !isDateLike(m) {
					person.Phone = strings.TrimSpace(m)
					break
				}
			}
		}
	}
}

// nameLine takes a bold line that opens a document with no heading
// ("**MARIA GONZÁLEZ**", as a word processor's export writes a name) as
// its heading, when it reads as a name.
func (p *parser) nameLine() {
	a := &p.res.About
	if a.Heading != "" || len(a.Blocks) == 0 || a.Blocks[0].Kind != Paragraph {
		return
	}
	if t := a.Blocks[0].Text; len(t) == 1 && t[0].Strong && readsAsName(t[0].Text) {
		a.Heading, a.Level, a.Blocks = t[0].Text, 1, a.Blocks[1:]
	}
}

func digits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}

// isDateLike reports whether a run of digits is a date range
// ("2019 - 2021"), not a phone number.
func isDateLike(s string) bool {
	_, _, err := ParseRange(s)
	return err == nil
}
