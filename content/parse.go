package content

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// ParseError is a problem in a document, at a line an owner can find.
type ParseError struct {
	File string
	Line int
	Col  int // 0 when the message is about the whole line
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a résumé from Markdown, naming it "resume.md" in errors.
func Parse(src []byte) (*Resume, error) { return ParseNamed("resume.md", src) }

// ParseNamed reads a résumé from Markdown; errors name the file as name.
//
// The opening "#" heading and what follows it, up to the next heading of
// level 1 or 2, is the About section. A heading followed at once by a
// deeper heading that ends in a date range is a role: the first heading is
// the title, the second names the organisation and the dates, and the
// bullets under them are the highlights. Every other heading starts a free
// section. Parse never panics.
func ParseNamed(name string, src []byte) (res *Resume, err error) {
	defer func() {
		// goldmark is not expected to panic, but a document must never take
		// the process down with it.
		if r := recover(); r != nil {
			res, err = nil, &ParseError{File: name, Line: 1, Msg: fmt.Sprintf("cannot parse document: %v", r)}
		}
	}()
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, &ParseError{File: name, Line: 1, Msg: "the document is empty"}
	}
	original := src
	p := &parser{name: name, src: src, lines: lineStarts(src)}
	if at := notText(src); at >= 0 {
		msg := fmt.Sprintf("not UTF-8 text (byte %d)", at+1)
		if r, _ := utf8.DecodeRune(src[at:]); r != utf8.RuneError && r != 0 {
			msg = fmt.Sprintf("not plain text: control character %U (byte %d)", r, at+1)
		}
		return nil, &ParseError{File: name, Line: p.lineAt(at), Msg: msg}
	}
	person, card, body, err := frontMatter(name, src)
	if err != nil {
		return nil, err
	}
	p.src, p.lines = body, lineStarts(body)
	doc := goldmark.DefaultParser().Parse(text.NewReader(body))
	if err := p.document(doc); err != nil {
		return nil, err
	}
	p.res.Source, p.res.Name, p.res.Person, p.res.Card = original, name, person, card
	return &p.res, nil
}

// notText is the offset of the first byte that is not UTF-8 text (an
// invalid sequence, or a NUL as binary files have) or is a control
// character other than a tab or a line break (an escape sequence would
// reach every visitor's terminal), or -1.
func notText(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if (r == utf8.RuneError && n == 1) || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r') {
			return i
		}
		i += n
	}
	return -1
}

type parser struct {
	name  string
	src   []byte
	lines []int
	res   Resume
	// inRole says that the blocks being read belong to the last role;
	// otherwise they belong to the last free section, or to About when
	// there is none yet.
	inRole    bool
	roleLevel int // the level of the heading that started the role
	// area is the kind of the section being read: roles are looked for
	// outside sections like Education, and headings under one like
	// Experience that are not roles are warned of.
	area sectionKind
	// work is the heading of the work section being read, made a section
	// only if something in it is not a role.
	work *Section
}

// sectionKind is what a "##" heading's name says its section holds.
type sectionKind int

const (
	otherKind   sectionKind = iota // anything: roles are read as before
	workKind                       // Experience, Work, Employment, Career
	notWorkKind                    // Education, Projects, Skills, …: no roles
)

// kindOf reads a section heading's name.
func kindOf(heading string) sectionKind {
	h := strings.ToLower(strings.Trim(heading, " :*_"))
	for _, w := range []string{"experience", "work", "employment", "career", "berufserfahrung", "expérience", "experiencia", "professional history", "positions"} {
		if strings.Contains(h, w) && !strings.Contains(h, "volunteer") {
			return workKind
		}
	}
	for _, w := range []string{"education", "certif", "project", "publication", "volunteer", "award", "skill", "language", "interest", "reference", "training", "course", "ausbildung", "bildung", "formation", "honor", "honour"} {
		if strings.Contains(h, w) {
			return notWorkKind
		}
	}
	return otherKind
}

// cur is where the blocks being read now belong.
func (p *parser) cur() *[]Block {
	switch {
	case p.inRole:
		return &p.res.Roles[len(p.res.Roles)-1].Notes
	case p.work != nil:
		// Something under Experience that is not a role: the heading
		// becomes a section after all, to hold it, where it comes.
		w := *p.work
		w.AfterRoles = len(p.res.Roles)
		p.res.Sections = append(p.res.Sections, w)
		p.work = nil
	}
	if len(p.res.Sections) > 0 {
		return &p.res.Sections[len(p.res.Sections)-1].Blocks
	}
	return &p.res.About.Blocks
}

// warn notes something that reads but is probably not what was meant.
func (p *parser) warn(line int, format string, a ...any) {
	p.res.notes = append(p.res.notes, fmt.Sprintf("%s:%d: ", p.name, line)+fmt.Sprintf(format, a...))
}

func (p *parser) document(doc ast.Node) error {
	first := true
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, isHeading := n.(*ast.Heading)
		if !isHeading {
			p.block(n)
			continue
		}
		text := p.inline(h).Plain()
		opening := first && h.Level == 1 && len(p.res.Roles) == 0
		first = false
		if h.Level <= 2 && !opening {
			switch kind := kindOf(text); kind {
			case workKind:
				// The roles that follow are shown as roles; the heading
				// itself only if something else is under it.
				p.area, p.inRole = kind, false
				p.work = &Section{Heading: text, Level: h.Level, AfterRoles: len(p.res.Roles), Line: p.line(h)}
				continue
			case notWorkKind:
				p.area = kind
				p.section(h, text)
				continue
			default:
				p.area = otherKind // a part of its own: roles may follow
			}
		}
		// A "#" heading is the name or a part's title, never a role's.
		if p.area != notWorkKind && h.Level > 1 {
			last, ok, err := p.tryRoles(h, n)
			if err != nil {
				return err
			}
			if ok {
				if len(p.res.Roles) == 1 && p.res.About.Heading == "" && len(p.res.Sections) == 0 && p.line(h) == p.firstHeadingLine(doc) {
					p.warn(p.line(h), "the first heading %q was read as a role; start with \"# Your name\"", text)
				}
				n = last
				continue
			}
			if p.area == workKind {
				p.warn(p.line(h), "%q is under a work section but has no dates a role needs, such as \"(Mar 2019 – Present)\"; it is shown as text", text)
			}
			if p.inRole && h.Level <= p.roleLevel {
				p.inRole = false // a heading like the role's ends it
			}
		}
		switch {
		case opening:
			p.res.About.Heading = text
			p.res.About.Level = h.Level
			p.res.About.Line = p.line(h)
		case h.Level <= 2:
			p.area = otherKind
			p.section(h, text)
		default:
			p.block(n)
		}
	}
	return nil
}

// section starts a free section at h.
func (p *parser) section(h *ast.Heading, text string) {
	p.work = nil
	p.res.Sections = append(p.res.Sections, Section{
		Heading: text, Level: h.Level,
		AfterRoles: len(p.res.Roles), Line: p.line(h),
	})
	p.inRole = false
}

// firstHeadingLine is the line of the document's first heading.
func (p *parser) firstHeadingLine(doc ast.Node) int {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			return p.line(h)
		}
	}
	return 0
}

// tryRoles reads h, and what follows it, as a role in any of the shapes
// people write one in, and returns the last node it took:
//
//   - a heading and a deeper one that ends in the dates: "## Title" then
//     "#### Organisation (Jul 2013 – Present)";
//   - one heading with the title, the organisation and the dates: "##
//     Staff SRE, Northwind (Mar 2019 – Present)", joined by , — – | @ or
//     at, the dates in parentheses or after a separator;
//   - a heading with the title and the dates, the organisation on the
//     line under it, bold or italic: "### Staff SRE | Mar 2021 -- Present"
//     then "**Northwind**";
//   - a heading with the title, then the organisation and the dates on a
//     line or two of their own.
func (p *parser) tryRoles(h *ast.Heading, n ast.Node) (ast.Node, bool, error) {
	if sub, ok := n.NextSibling().(*ast.Heading); ok && sub.Level > h.Level {
		ok, err := p.tryRole(h, sub)
		if err != nil || ok {
			return sub, ok, err
		}
	}
	text := p.inline(h).Plain()
	if head, dates, found := splitDates(text); found {
		start, end, err := ParseRange(dates)
		if err != nil {
			return nil, false, p.dateError(h, dates, err)
		}
		title, org := splitTitle(head)
		last := ast.Node(h)
		if org == "" {
			if o, ok := orgLine(p, n.NextSibling()); ok {
				org, last = o, n.NextSibling()
			}
		}
		p.addRole(Role{Title: title, Organisation: org, Start: start, End: end, Line: p.line(h)}, h.Level)
		return last, true, nil
	}
	if para, ok := n.NextSibling().(*ast.Paragraph); ok {
		if org, start, end, ok := p.orgAndDates(para); ok {
			p.addRole(Role{Title: text, Organisation: org, Start: start, End: end, Line: p.line(h)}, h.Level)
			return para, true, nil
		}
	}
	return nil, false, nil
}

func (p *parser) addRole(r Role, level int) {
	p.res.Roles = append(p.res.Roles, r)
	p.inRole, p.roleLevel = true, level
}

func (p *parser) dateError(n ast.Node, dates string, err error) error {
	msg := fmt.Sprintf("cannot read date range %q", dates)
	if err != errDateRange {
		msg = fmt.Sprintf("date range %q %v", dates, err)
	}
	return &ParseError{File: p.name, Line: p.line(n), Msg: msg}
}

// splitTitle splits "Staff SRE, Northwind Payments" (or joined by — – |
// @ or at) into the title and the organisation.
func splitTitle(s string) (title, org string) {
	for _, sep := range []string{" — ", " – ", " | ", " @ ", " at ", " - "} {
		if i := strings.Index(s, sep); i > 0 {
			return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+len(sep):])
		}
	}
	if i := strings.LastIndex(s, ", "); i > 0 {
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:])
	}
	return strings.TrimSpace(s), ""
}

// orgLine reads n as an organisation's line: a paragraph that is one
// short line, all bold or all italic.
func orgLine(p *parser, n ast.Node) (string, bool) {
	para, ok := n.(*ast.Paragraph)
	if !ok || para.Lines().Len() != 1 {
		return "", false
	}
	t := p.inline(para)
	for _, s := range t {
		if !s.Strong && !s.Emph {
			return "", false
		}
	}
	org := strings.TrimSpace(t.Plain())
	return org, org != "" && len(org) <= 80
}

// orgAndDates reads a paragraph of one or two short lines under a title
// as the organisation and the dates: "**Acme** · 2019 – Present", or
// "Acme" then "Mar 2016 – Dec 2018".
func (p *parser) orgAndDates(para *ast.Paragraph) (org string, start, end Date, ok bool) {
	lines := para.Lines()
	if lines.Len() > 2 {
		return "", Date{}, Date{}, false
	}
	var texts []string
	for i := range lines.Len() {
		seg := lines.At(i)
		texts = append(texts, strings.TrimSpace(strings.Trim(string(seg.Value(p.src)), " *_")))
	}
	for i, t := range texts {
		if s, e, err := ParseRange(t); err == nil {
			rest := append(append([]string{}, texts[:i]...), texts[i+1:]...)
			org = strings.Trim(strings.Join(rest, " "), " *_")
			return org, s, e, len(org) <= 80
		}
	}
	if len(texts) == 1 {
		if head, dates, found := splitDates(texts[0]); found {
			if s, e, err := ParseRange(dates); err == nil {
				return strings.Trim(head, " *_"), s, e, len(head) <= 80
			}
		}
	}
	return "", Date{}, Date{}, false
}

// tryRole reads title and sub as a role when sub ends in a date range.
func (p *parser) tryRole(title, sub *ast.Heading) (bool, error) {
	org, dates, found := splitDates(p.inline(sub).Plain())
	if !found {
		return false, nil
	}
	start, end, err := ParseRange(dates)
	if err != nil {
		return false, p.dateError(sub, dates, err)
	}
	p.addRole(Role{
		Title: p.inline(title).Plain(), Organisation: org,
		Start: start, End: end, Line: p.line(title),
	}, title.Level)
	return true, nil
}

// splitDates finds the date range at the end of a role's sub-heading: the
// last parenthesised group when it holds a digit or a word like "present",
// else the longest tail after a separator that reads as a range. found is
// false when the heading has no date range at all; a parenthesised group
// that looks like a date but does not read as one is still found, so that
// the caller can report it.
func splitDates(s string) (org, dates string, found bool) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i >= 0 && looksLikeDate(s[i:]) {
			return trimSeparators(s[:i]), s[i:], true
		}
	}
	// A date range is short: look for it only near the end, so that a long
	// heading costs linear time, not quadratic.
	for i := max(0, len(s)-maxRangeLen); i < len(s); i++ {
		if i > 0 && !strings.ContainsRune(",|·:;–—-", rune(s[i-1])) && s[i-1] != ' ' {
			continue
		}
		if _, _, err := ParseRange(s[i:]); err == nil {
			return trimSeparators(s[:i]), strings.TrimSpace(s[i:]), true
		}
	}
	return "", "", false
}

// maxRangeLen is longer than any date range ("September 2013 – September
// 2015" is 32 bytes) with room for emphasis and spaces.
const maxRangeLen = 64

func looksLikeDate(s string) bool {
	if strings.IndexFunc(s, unicode.IsDigit) >= 0 {
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
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",|·:;–—-", r)
	})
}

// block reads one block into wherever the document is now.
func (p *parser) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.List:
		items := p.items(n)
		if p.inRole {
			r := &p.res.Roles[len(p.res.Roles)-1]
			r.Highlights = append(r.Highlights, items...)
			return
		}
		add(p.cur(), Block{Kind: List, Items: items, Ordered: n.IsOrdered()})
	case *ast.Heading:
		add(p.cur(), Block{Kind: Heading, Level: n.Level, Text: p.inline(n)})
	case *ast.ThematicBreak:
		add(p.cur(), Block{Kind: Rule})
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		add(p.cur(), Block{Kind: Code, Text: Text{{Text: p.rawLines(n), Code: true}}})
	case *ast.Blockquote:
		var parts []string
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			parts = append(parts, p.flatText(c))
		}
		add(p.cur(), Block{Kind: Quote, Text: Text{{Text: strings.Join(parts, " ")}}})
	default:
		if t := p.inline(n); len(t) > 0 {
			add(p.cur(), Block{Kind: Paragraph, Text: t})
		}
	}
}

func (p *parser) items(l *ast.List) []Item {
	var items []Item
	for li := l.FirstChild(); li != nil; li = li.NextSibling() {
		var it Item
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			if sub, ok := c.(*ast.List); ok {
				it.Items = append(it.Items, p.items(sub)...)
				continue
			}
			t := p.inline(c)
			if _, code := c.(*ast.FencedCodeBlock); code || c.Kind() == ast.KindCodeBlock {
				t = Text{{Text: p.rawLines(c), Code: true}}
			}
			if len(it.Text) > 0 && len(t) > 0 {
				it.Text = append(it.Text, Span{Text: " "})
			}
			it.Text = append(it.Text, t...)
		}
		it.Text = merge(it.Text)
		items = append(items, it)
	}
	return items
}

// flatText is the plain text of any block and its children.
func (p *parser) flatText(n ast.Node) string {
	if n.Type() == ast.TypeBlock && n.FirstChild() == nil {
		return p.rawLines(n)
	}
	if _, ok := n.FirstChild().(interface{ Inline() }); ok {
		return p.inline(n).Plain()
	}
	var parts []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		parts = append(parts, p.flatText(c))
	}
	return strings.Join(parts, " ")
}

func (p *parser) rawLines(n ast.Node) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(p.src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// inline turns a block's inline children into spans.
func (p *parser) inline(n ast.Node) Text {
	var t Text
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t = p.spans(c, Span{}, t)
	}
	return trimText(merge(t))
}

func (p *parser) spans(n ast.Node, style Span, t Text) Text {
	switch n := n.(type) {
	case *ast.Text:
		s := style
		s.Text = string(n.Value(p.src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			s.Text += " "
		}
		return append(t, s)
	case *ast.String:
		s := style
		s.Text = string(n.Value)
		return append(t, s)
	case *ast.CodeSpan:
		style.Code = true
	case *ast.Emphasis:
		if n.Level >= 2 {
			style.Strong = true
		} else {
			style.Emph = true
		}
	case *ast.Link:
		style.URL = string(n.Destination)
	case *ast.Image:
		style.URL = string(n.Destination)
	case *ast.AutoLink:
		s := style
		s.Text = string(n.Label(p.src))
		s.URL = string(n.URL(p.src))
		return append(t, s)
	case *ast.RawHTML:
		s := style
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			s.Text += string(seg.Value(p.src))
		}
		return append(t, s)
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t = p.spans(c, style, t)
	}
	return t
}

// merge joins neighbouring spans of the same style.
func merge(t Text) Text {
	out := t[:0]
	for _, s := range t {
		if s.Text == "" {
			continue
		}
		if k := len(out) - 1; k >= 0 && sameStyle(out[k], s) {
			out[k].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

func sameStyle(a, b Span) bool {
	return a.Emph == b.Emph && a.Strong == b.Strong && a.Code == b.Code && a.URL == b.URL
}

func trimText(t Text) Text {
	if len(t) == 0 {
		return nil
	}
	t[0].Text = strings.TrimLeftFunc(t[0].Text, unicode.IsSpace)
	t[len(t)-1].Text = strings.TrimRightFunc(t[len(t)-1].Text, unicode.IsSpace)
	return merge(t)
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// line is the 1-based source line where block n starts.
func (p *parser) line(n ast.Node) int {
	pos := n.Pos()
	if pos < 0 && n.Lines().Len() > 0 {
		pos = n.Lines().At(0).Start
	}
	if pos < 0 {
		return 1
	}
	return p.lineAt(pos)
}

// lineAt is the 1-based line of byte offset pos.
func (p *parser) lineAt(pos int) int { return lineOf(p.lines, pos) }

func add(blocks *[]Block, b Block) { *blocks = append(*blocks, b) }
