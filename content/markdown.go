package content

import (
	"strings"
)

// Markdown is the document as Markdown: exactly as it was written when it
// was Markdown, and written out from the model, in the shape the parser
// reads, when it came from JSON Resume.
func (r *Resume) Markdown() []byte {
	if !r.fromJSON {
		return r.Source
	}
	var b strings.Builder
	if r.About.Heading != "" {
		b.WriteString("# " + escapeMarkdown(r.About.Heading) + "\n\n")
	}
	if r.Person.Label != "" {
		b.WriteString("*" + escapeMarkdown(r.Person.Label) + "*\n\n")
	}
	writeBlocks(&b, r.About.Blocks)
	for _, role := range r.Roles {
		b.WriteString("## " + escapeMarkdown(role.Title) + "\n")
		b.WriteString("#### " + escapeMarkdown(role.Organisation) + " ( " + role.Start.String() + " - " + role.End.String() + " )\n\n")
		writeItems(&b, role.Highlights, 0)
		if len(role.Highlights) > 0 {
			b.WriteString("\n")
		}
		writeBlocks(&b, role.Notes)
	}
	for _, s := range r.Sections {
		b.WriteString(strings.Repeat("#", max(1, s.Level)) + " " + escapeMarkdown(s.Heading) + "\n\n")
		writeBlocks(&b, s.Blocks)
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

func writeBlocks(b *strings.Builder, blocks []Block) {
	for _, bl := range blocks {
		switch bl.Kind {
		case List:
			writeItems(b, bl.Items, 0)
		case Heading:
			b.WriteString(strings.Repeat("#", max(3, bl.Level)) + " " + inlineMarkdown(bl.Text) + "\n")
		case Code:
			b.WriteString("```\n" + bl.Text.Plain() + "\n```\n")
		case Quote:
			b.WriteString("> " + inlineMarkdown(bl.Text) + "\n")
		case Rule:
			b.WriteString("---\n")
		default:
			b.WriteString(inlineMarkdown(bl.Text) + "\n")
		}
		b.WriteString("\n")
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

// escapeMarkdown keeps text from being read as Markdown.
func escapeMarkdown(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, "#", `\#`).Replace(s)
}
