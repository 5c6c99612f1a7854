package content

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	gparser "github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Markdown is the document as Markdown: exactly as it was written when it
// was Markdown, and written out from the model, in shapes the parser
// reads back to the same model, when it came from JSON Resume.
func (r *Resume) Markdown() []byte {
	if !r.fromJSON {
		return r.Source
	}
	var b strings.Builder
	rd := newReader() // one parser for the whole export
	writeFrontMatter(&b, r.Person, r.Card)
	if r.About.Heading != "" {
		b.WriteString("# " + escapeMarkdown(r.About.Heading) + "\n\n")
	}
	writeBlocks(&b, r.About.Blocks)
	next, level := 0, 1 // the roles so far; the level of the section they are under
	for _, s := range r.Sections {
		for ; next < s.AfterRoles && next < len(r.Roles); next++ {
			writeEntry(&b, rd, r.Roles[next], level+1)
		}
		if s.Heading != "" {
			b.WriteString(strings.Repeat("#", min(6, max(2, s.Level))) + " " + escapeMarkdown(s.Heading) + "\n\n")
		}
		writeBlocksUnder(&b, s.Blocks, s.Level)
		writeEntries(&b, rd, s)
		if s.Heading != "" {
			level = max(2, s.Level) // the roles after it are under it
		}
	}
	for ; next < len(r.Roles); next++ {
		writeEntry(&b, rd, r.Roles[next], level+1)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// writeEntries writes a typed section's entries: as a list, one line an
// entry, for the kinds written that way when every entry reads back
// whole from its line, else each under a heading of its own.
func writeEntries(b *strings.Builder, rd reader, s Section) {
	if len(s.Entries) == 0 {
		return
	}
	var lines []string
	for _, e := range s.Entries {
		line, ok := entryLine(e)
		if !ok {
			lines = nil
			break
		}
		lines = append(lines, "- "+line+"\n")
	}
	if lines != nil {
		b.WriteString(strings.Join(lines, "") + "\n")
		return
	}
	for _, e := range s.Entries {
		writeEntry(b, rd, e, max(2, s.Level)+1)
	}
}

// entryLine is e as a list item, for skills, languages and interests,
// when listEntry reads it back as e.
func entryLine(e Entry) (string, bool) {
	var s string
	switch e.Kind {
	case Skills, Interests:
		s = e.Title
		if e.Level != "" {
			s += " (" + e.Level + ")"
		}
		if len(e.Keywords) > 0 {
			s += ": " + joinList(e.Keywords)
		}
	case Languages:
		s = joinNonEmpty(": ", e.Title, e.Fluency)
	default:
		return "", false
	}
	got, ok := listEntry(e.Kind, Text{{Text: s}})
	got.Line = e.Line
	if !ok || !entriesEqual(got, e) || escapeMarkdown(s) != s {
		return "", false
	}
	return s, true
}

// entriesEqual compares the fields a list line can hold.
func entriesEqual(a, b Entry) bool {
	return a.Title == b.Title && a.Level == b.Level && a.Fluency == b.Fluency &&
		strings.Join(a.Keywords, "\x00") == strings.Join(b.Keywords, "\x00") &&
		a.Organisation == "" && b.Organisation == "" && b.Location == "" && b.URL == "" && !b.Dated() &&
		len(b.Notes) == 0 && len(b.Highlights) == 0 && len(b.Courses) == 0 && len(b.Roles) == 0 &&
		b.Area == "" && b.Score == "" && b.Type == "" && b.Description == ""
}

// writeEntry writes one entry in the shape the parser reads as a head:
//
//	### Title
//	**Organisation** | Location | Mar 2019 – Present
//	Score: Distinction
//
// with its notes and highlights under it. A field that would not read
// back from that shape (a title that ends in a date, an organisation with
// a "|" in it) is written on a labelled line of its own instead.
func writeEntry(b *strings.Builder, rd reader, e Entry, level int) {
	var labelled []Fact
	title := e.Title
	if e.Kind == Education {
		title = joinNonEmpty(" in ", e.Title, e.Area)
		if st, area := splitDegree(title); st != e.Title || area != e.Area {
			title = e.Title
			if e.Area != "" {
				labelled = append(labelled, Fact{"Area", e.Area})
			}
			if st, _ := splitDegree(e.Title); st != e.Title {
				title = ""
				labelled = append(labelled, Fact{"Degree", e.Title})
			}
		}
	}
	if _, _, found := splitDates(title); found || dateTypoIn(title) || strings.ContainsAny(title, "\n") {
		labelled = append(labelled, Fact{"Title", title})
		title = ""
	}
	if e.Kind == Education && title == "" && len(labelled) == 0 && e.Title != "" {
		labelled = append(labelled, Fact{"Degree", e.Title})
	}
	b.WriteString(strings.Repeat("#", min(6, level)))
	if title != "" {
		b.WriteString(" " + escapeMarkdown(title))
	}
	b.WriteString("\n")
	var org []string
	if e.Organisation != "" {
		org = append(org, "**"+escapeMarkdown(e.Organisation)+"**")
	}
	if e.Location != "" && e.Organisation != "" {
		org = append(org, escapeMarkdown(e.Location))
	} else if e.Location != "" {
		labelled = append(labelled, Fact{"Location", e.Location})
	}
	if e.Dated() {
		org = append(org, FormatRange(e.Start, e.End))
	}
	line := strings.Join(org, " | ")
	if w, ok := orgLine(rd.inline(line)); line != "" && (!ok || w.org != e.Organisation || w.loc != e.Location || (w.dates != "") != e.Dated()) {
		line = ""
		labelled = append(labelled, Fact{"Organisation", e.Organisation}, Fact{"Location", e.Location})
		if e.Dated() {
			labelled = append(labelled, Fact{"Dates", FormatRange(e.Start, e.End)})
		}
	}
	if line == "" && e.Dated() && !hasLabel(labelled, "Dates") {
		labelled = append(labelled, Fact{"Dates", FormatRange(e.Start, e.End)})
	}
	if line != "" {
		b.WriteString(line + "\n")
	}
	if e.URL != "" {
		labelled = append(labelled, Fact{"URL", e.URL})
	}
	if e.Kind == Languages && e.Fluency != "" {
		labelled = append(labelled, Fact{"Fluency", e.Fluency})
	}
	labelled = append(labelled, e.Facts()...)
	for _, f := range labelled {
		if f.Value != "" {
			b.WriteString(f.Label + ": " + escapeMarkdown(f.Value) + "\n")
		}
	}
	b.WriteString("\n")
	writeBlocksUnder(b, e.Notes, level)
	if len(e.Highlights) > 0 {
		writeItems(b, e.Highlights, 0)
		b.WriteString("\n")
	}
}

func hasLabel(fs []Fact, label string) bool {
	for _, f := range fs {
		if f.Label == label {
			return true
		}
	}
	return false
}

// dateTypoIn reports whether s would be refused for a misspelt month.
func dateTypoIn(s string) bool { _, _, ok := dateTypo(s); return ok }

// writeFrontMatter writes the owner's details as the front matter the
// parser reads: every key the model keeps, so that a round trip is exact.
func writeFrontMatter(b *strings.Builder, p Person, card string) {
	b.WriteString("---\n")
	kv := func(indent, k, v string) {
		if v != "" {
			b.WriteString(indent + k + ": " + yamlQuote(v) + "\n")
		}
	}
	b.WriteString("name: " + yamlQuote(p.Name) + "\n")
	kv("", "label", p.Label)
	kv("", "email", p.Email)
	kv("", "phone", p.Phone)
	kv("", "url", p.URL)
	kv("", "image", p.Image)
	if l := p.Location; l != nil {
		b.WriteString("location:\n")
		kv("  ", "address", l.Address)
		kv("  ", "postalCode", l.PostalCode)
		kv("  ", "city", l.City)
		kv("  ", "region", l.Region)
		kv("  ", "countryCode", l.CountryCode)
	}
	kv("", "card", card)
	if len(p.Profiles) > 0 {
		b.WriteString("profiles:\n")
		for _, pr := range p.Profiles {
			b.WriteString("  -")
			first := true
			for _, f := range [][2]string{{"network", pr.Network}, {"username", pr.Username}, {"url", pr.URL}} {
				if f[1] == "" {
					continue
				}
				if !first {
					b.WriteString("   ")
				}
				b.WriteString(" " + f[0] + ": " + yamlQuote(f[1]) + "\n")
				first = false
			}
		}
	}
	b.WriteString("---\n\n")
}

// yamlQuote quotes a value whenever it is not plainly itself: "" for an
// empty one, and double quotes (or single, for one with a double quote)
// around one with a comment, a colon or quotes of its own.
func yamlQuote(v string) string {
	if v != "" && !strings.ContainsAny(v, "#:\"'") && strings.TrimSpace(v) == v {
		return v
	}
	if strings.Contains(v, `"`) {
		return "'" + v + "'"
	}
	return `"` + v + `"`
}

func writeBlocks(b *strings.Builder, blocks []Block) { writeBlocksUnder(b, blocks, 2) }

// writeBlocksUnder writes blocks under a heading of level parent, their
// headings deeper than it, so that none of them ends what holds them.
func writeBlocksUnder(b *strings.Builder, blocks []Block, parent int) {
	for _, bl := range blocks {
		switch bl.Kind {
		case List:
			writeList(b, bl.Items, bl.Ordered)
		case Heading:
			b.WriteString(strings.Repeat("#", min(6, max(parent+1, bl.Level))) + " " + inlineMarkdown(bl.Text) + "\n")
		case Code:
			b.WriteString("```\n" + bl.Text.Plain() + "\n```\n")
		case Quote:
			b.WriteString("> " + inlineMarkdown(bl.Text) + "\n")
		case Rule:
			b.WriteString("* * *\n")
		default:
			b.WriteString(inlineMarkdown(bl.Text) + "\n")
		}
		b.WriteString("\n")
	}
}

func writeList(b *strings.Builder, items []Item, ordered bool) {
	if !ordered {
		writeItems(b, items, 0)
		return
	}
	for i, it := range items {
		mark := strconv.Itoa(i+1) + ". "
		b.WriteString(mark + inlineMarkdown(it.Text) + "\n")
		for _, sub := range it.Items {
			b.WriteString(strings.Repeat(" ", len(mark)) + "- " + inlineMarkdown(sub.Text) + "\n")
			writeItems(b, sub.Items, len(mark)/2+1)
		}
	}
}

func writeItems(b *strings.Builder, items []Item, depth int) {
	for _, it := range items {
		b.WriteString(strings.Repeat("  ", depth) + "- " + inlineMarkdown(it.Text) + "\n")
		writeItems(b, it.Items, depth+1)
	}
}

// inlineMarkdown writes spans with their emphasis and links.
func inlineMarkdown(t Text) string {
	var b strings.Builder
	for _, s := range t {
		text := escapeMarkdown(s.Text)
		switch {
		case s.Code:
			text = "`" + s.Text + "`"
		case s.Strong && s.Emph:
			text = "***" + text + "***"
		case s.Strong:
			text = "**" + text + "**"
		case s.Emph:
			text = "*" + text + "*"
		}
		if s.URL != "" {
			text = "[" + text + "](" + s.URL + ")"
		}
		b.WriteString(text)
	}
	return b.String()
}

// textMarkdown is t as one line of Markdown for a JSON text field: plain
// text as it is when it would read back the same, else escaped.
func textMarkdown(t Text) string {
	if len(t) == 1 && t[0] == (Span{Text: t[0].Text}) && !strings.ContainsAny(t[0].Text, markdownMarks) && !blockStart(t[0].Text) {
		return t[0].Text
	}
	return inlineMarkdown(t)
}

// markdownMarks are the characters that can make plain text read as
// Markdown inline.
const markdownMarks = "\\*_`[]<&#"

// blockStart reports whether a line would start a block other than a
// paragraph: "- x", "1. x", "> x", "~~~", "===", or be indented as code.
func blockStart(s string) bool { return listMark(s) >= 0 || punctStart(s) }

// punctStart reports whether s starts with the punctuation of a block:
// a quote, a rule, a fence, a setext underline or a bullet.
func punctStart(s string) bool {
	t := strings.TrimLeft(s, " ")
	switch {
	case t == "":
		return false
	case len(s)-len(t) >= 4, t[0] == '>', strings.HasPrefix(t, "~~~"), strings.Trim(t, "=") == "":
		return true
	case strings.ContainsRune("-+*", rune(t[0])):
		return len(t) == 1 || t[1] == ' ' || t[1] == '\t' || strings.Trim(t, string(t[0])+" ") == ""
	}
	return false
}

// listMark is the offset of the "." or ")" of an ordered list's number
// that starts s ("1. x"), or -1.
func listMark(s string) int {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i > 9 || i >= len(s) || (s[i] != '.' && s[i] != ')') {
		return -1
	}
	if i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\t' {
		return -1
	}
	return i
}

// escapeMarkdown keeps text from being read as Markdown.
func escapeMarkdown(s string) string {
	s = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, "#", `\#`, "&", `\&`).Replace(s)
	if i := listMark(s); i >= 0 {
		return s[:i] + `\` + s[i:]
	}
	if punctStart(s) {
		t := strings.TrimLeft(s, " ")
		return `\` + t
	}
	return s
}

// reader reads the Markdown in JSON text fields, with one goldmark
// parser for a whole document: a parser costs more to build than a line
// costs to read.
type reader struct{ md gparser.Parser }

func newReader() reader { return reader{md: goldmark.DefaultParser()} }

// inline reads one line of Markdown as spans; plain text with no marks
// is read without the parser.
func (rd reader) inline(s string) Text {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if !strings.ContainsAny(s, markdownMarks) && !blockStart(s) {
		return Text{{Text: s}}
	}
	p := &parser{src: []byte(s)}
	doc := rd.md.Parse(text.NewReader(p.src))
	if para, ok := doc.FirstChild().(*ast.Paragraph); ok && para.NextSibling() == nil {
		return p.inline(para)
	}
	return Text{{Text: s}}
}

// items reads JSON highlights, each a line of Markdown.
func (rd reader) items(lines []string) []Item {
	var out []Item
	for _, l := range lines {
		if t := rd.inline(oneLine(l)); len(t) > 0 {
			out = append(out, Item{Text: t})
		}
	}
	return out
}

// blocks reads a JSON text field as Markdown blocks.
func (rd reader) blocks(md string) []Block {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	if strings.TrimSpace(md) == "" {
		return nil
	}
	if !strings.ContainsAny(md, markdownMarks+"\n") && !blockStart(md) {
		return []Block{{Kind: Paragraph, Text: Text{{Text: oneLine(md)}}}}
	}
	p := &parser{src: []byte(md)}
	doc := rd.md.Parse(text.NewReader(p.src))
	var out []Block
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if b, ok := p.plainBlock(n); ok {
			out = append(out, b)
		}
	}
	return out
}
