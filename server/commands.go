package server

import (
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui"
)

// commandHelp is what `ssh HOST help` prints.
const commandHelp = `Commands (ssh HOST COMMAND):
  (none)                 the résumé browser, or plain text without a terminal
  json                   the résumé in the JSON Resume schema
  markdown, md           the résumé as its author wrote it
  text, txt [--width N]  plain text wrapped at N columns (default 80)
  hello                  leave the owner a note: ssh -T HOST hello
  vcard                  the owner's contact card as vCard 4.0
  card                   the contact card, with its QR code on a terminal (ssh -t)
  help                   this list
  version                the server's version
`

// plain reports whether name is a command that takes no arguments and is
// always there.
func plain(name string) bool {
	switch name {
	case "json", "markdown", "md", "help", "version", "vcard", "card":
		return true
	}
	return false
}

// ownerHelp is what `ssh OWNER@HOST help` adds: the owner's commands.
const ownerHelp = `
The owner's commands (ssh OWNER@HOST COMMAND, with a key in --owner-keys):
  inbox [--format table|csv|json|vcard]  the notes visitors left
  inbox delete N                         delete note N
`

// helpText is commandHelp, without the hello line when there is no
// inbox, and with the owner's commands for the owner when there is one.
func helpText(hello, owner bool) string {
	if hello && owner {
		return commandHelp + ownerHelp
	}
	if hello {
		return commandHelp
	}
	lines := strings.SplitAfter(commandHelp, "\n")
	return strings.Join(slices.DeleteFunc(lines, func(l string) bool {
		return strings.HasPrefix(l, "  hello ")
	}), "")
}

// caller is who runs a command: on a terminal or not, the owner or not,
// and from where.
type caller struct {
	pty, owner bool
	from       net.Addr
}

// command runs one exec command and returns its exit status. Nothing is
// ever executed: these are the only commands there are.
func (s *Server) command(args []string, in io.Reader, out, errOut io.Writer, c caller) int {
	name, args := args[0], args[1:]
	cur := s.docs.Load() // one version of the document for the whole command
	doc := cur.doc
	if c.owner && name == "inbox" {
		return s.inbox(args, out, errOut)
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(errOut, format+"\n", a...)
		return 2
	}
	hello := s.cfg.Inbox != nil // without an inbox there is no such command
	switch {
	case name == "text" || name == "txt":
	case name == "hello" && hello, plain(name):
		if len(args) > 0 {
			return usage("%s takes no arguments; try \"help\"", name)
		}
	default:
		fmt.Fprintf(errOut, "unknown command \"%s\"; try \"help\"\n", sanitize(name))
		return 1
	}
	switch name {
	case "json":
		js, err := cur.json()
		if err != nil {
			fmt.Fprintln(errOut, "internal error")
			return 1
		}
		_, _ = out.Write(js)
	case "markdown", "md":
		_, _ = out.Write(cur.markdown())
	case "text", "txt":
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		width := fs.Int("width", 80, "")
		switch err := fs.Parse(args); {
		case err != nil && strings.Contains(err.Error(), "invalid value"):
			return usage("%s: --width wants a number of columns, such as --width 100", name)
		case err != nil:
			return usage("%s: %s; usage: %s [--width N]", name, sanitize(err.Error()), name)
		case fs.NArg() > 0:
			return usage("%s: unexpected argument %q; usage: %s [--width N]", name, sanitize(fs.Arg(0)), name)
		case *width < content.MinWidth || *width > content.MaxWidth:
			return usage("%s: --width must be between %d and %d, not %d", name, content.MinWidth, content.MaxWidth, *width)
		}
		_, _ = io.WriteString(out, doc.Text(*width, s.cfg.Now()))
	case "vcard":
		v := doc.VCard()
		if v == "" {
			fmt.Fprintln(errOut, "this résumé names nobody: it has no contact card")
			return 1
		}
		_, _ = io.WriteString(out, v)
	case "card":
		return card(doc, out, errOut, c.pty)
	case "hello":
		return s.hello(in, out, errOut, c)
	case "help":
		_, _ = io.WriteString(out, helpText(hello, c.owner))
	case "version":
		_, _ = io.WriteString(out, "resume "+s.cfg.Version+"\n")
	}
	return 0
}

// card writes the contact card: its details, then on a terminal the QR
// code in half blocks, and without one (ssh -T, a pipe) the URL alone.
func card(doc *content.Resume, out, errOut io.Writer, pty bool) int {
	lines := doc.Contact()
	url := doc.CardURL()
	if url == "" {
		fmt.Fprintln(errOut, "this résumé gives no way to get in touch: it has no contact card")
		return 1
	}
	nl := "\n"
	if pty {
		nl = "\r\n" // the client's terminal is raw
		if qr, err := ui.QR(doc.CardPayload()); err == nil {
			lines = append(append(lines, ""), qr...)
		}
	}
	lines = append(lines, "", url)
	_, _ = io.WriteString(out, strings.Join(lines, nl)+nl)
	return 0
}
