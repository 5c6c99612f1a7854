package server

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/resume-ssh/resume/content"
)

// commandHelp is what `ssh HOST help` prints.
const commandHelp = `Commands (ssh HOST COMMAND):
  (none)                 the résumé browser, or plain text without a terminal
  json                   the résumé in the JSON Resume schema
  markdown, md           the résumé as its author wrote it
  text, txt [--width N]  plain text wrapped at N columns (default 80)
  help                   this list
  version                the server's version
`

// command runs one exec command and returns its exit status. Nothing is
// ever executed: these are the only commands there are.
func (s *Server) command(args []string, out, errOut io.Writer) int {
	name, args := args[0], args[1:]
	usage := func(format string, a ...any) int {
		fmt.Fprintf(errOut, format+"\n", a...)
		return 2
	}
	switch name {
	case "json", "markdown", "md", "help", "version":
		if len(args) > 0 {
			return usage("%s takes no arguments; try \"help\"", name)
		}
	case "text", "txt":
	default:
		fmt.Fprintf(errOut, "unknown command \"%s\"; try \"help\"\n", sanitize(name))
		return 1
	}
	switch name {
	case "json":
		js, err := s.json()
		if err != nil {
			fmt.Fprintln(errOut, "internal error")
			return 1
		}
		_, _ = out.Write(js)
	case "markdown", "md":
		_, _ = out.Write(s.doc.Markdown())
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
		_, _ = io.WriteString(out, s.doc.Text(*width, s.cfg.Now()))
	case "help":
		_, _ = io.WriteString(out, commandHelp)
	case "version":
		_, _ = io.WriteString(out, "resume "+s.cfg.Version+"\n")
	}
	return 0
}
