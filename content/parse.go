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
	"github.com/yuin/goldmark/util"
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
	fm, body, err := frontMatter(name, src)
	if err != nil {
		return nil, err
	}
	// A form feed is pdftotext's page break: space, as CommonMark reads
	// it, and no bar to the heading after it ("\f## Education").
	body = bytes.ReplaceAll(body, []byte("\f"), []byte(" "))
	p.src, p.lines = body, lineStarts(body)
	p.res.Person, p.res.Card, p.res.notes = fm.person, fm.card, fm.warnings
	doc := goldmark.DefaultParser().Parse(text.NewReader(body))
	if err := p.document(doc); err != nil {
		return nil, err
	}
	p.fillBasics(fm)
	p.res.Source, p.res.Name = original, name
	return &p.res, nil
}

// notText is the offset of the first byte that is not UTF-8 text (an
// invalid sequence, or a NUL as binary files have) or is a control
// character other than a tab, a line break or a form feed (an escape
// sequence would reach every visitor's terminal; pdftotext writes a form
// feed between pages, and CommonMark reads it as space), or -1.
func notText(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if (r == utf8.RuneError && n == 1) || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f') {
			return i
		}
		i += n
	}
	return -1
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

// inline turns a block's inline children into spans, its lines joined
// by spaces.
func (p *parser) inline(n ast.Node) Text {
	t := p.rawInline(n)
	for i := range t {
		t[i].Text = strings.ReplaceAll(t[i].Text, "\n", " ")
	}
	return trimText(merge(t))
}

func (p *parser) rawInline(n ast.Node) Text {
	var t Text
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t = p.spans(c, Span{}, t)
	}
	return t
}

// paraLines is a paragraph's text a line at a time.
func (p *parser) paraLines(n ast.Node) []Text {
	var out []Text
	var line Text
	for _, s := range p.rawInline(n) {
		for {
			before, after, found := strings.Cut(s.Text, "\n")
			part := s
			part.Text = before
			line = append(line, part)
			if !found {
				break
			}
			out = append(out, trimText(merge(line)))
			line, s.Text = nil, after
		}
	}
	if l := trimText(merge(line)); len(l) > 0 {
		out = append(out, l)
	}
	return out
}

func (p *parser) spans(n ast.Node, style Span, t Text) Text {
	switch n := n.(type) {
	case *ast.Text:
		s := style
		v := n.Value(p.src)
		if !style.Code && !n.IsRaw() {
			// As goldmark's own renderer reads text: "\&" is "&", and
			// "&amp;" and "&#233;" are the characters they name.
			v = util.ResolveNumericReferences(util.ResolveEntityNames(util.UnescapePunctuations(v)))
		}
		s.Text = string(v)
		if n.SoftLineBreak() || n.HardLineBreak() {
			s.Text += "\n" // a line's end: paraLines splits here, inline joins
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
		// A tag is markup, not text ("<span>", "</a>"): a page would not
		// show it, and neither does a terminal. A line break is a space.
		var raw strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(p.src))
		}
		if tag := strings.ToLower(strings.Trim(raw.String(), "</> ")); tag == "br" || tag == "br/" {
			s := style
			s.Text = " "
			return append(t, s)
		}
		return t
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
