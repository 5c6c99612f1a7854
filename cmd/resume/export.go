package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/content"
)

func newExport(e *env) *cobra.Command {
	var format, doc string
	var width int
	cmd := &cobra.Command{
		Use:     "export",
		Short:   "Write the résumé as JSON Resume, Markdown or plain text",
		Example: "  resume export --format json --resume ./resume.md > resume.json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if width < content.MinWidth || width > content.MaxWidth {
				return errUsage{fmt.Errorf("--width must be between %d and %d", content.MinWidth, content.MaxWidth)}
			}
			d, err := loadDoc(doc, e.stderr, nil)
			if err != nil {
				return err
			}
			var out []byte
			switch format {
			case "json":
				if out, err = d.JSON(); err != nil {
					return err //nolint:wrapcheck // content's own
				}
			case "markdown", "md":
				out = d.Markdown()
			case "text", "txt":
				out = []byte(d.Text(width, time.Now()))
			default:
				return errUsage{fmt.Errorf("--format must be json, markdown or text, not %q", format)}
			}
			_, err = e.stdout.Write(out)
			return err //nolint:wrapcheck // stdout's own
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&format, "format", "text", "json, markdown or text")
	fs.IntVar(&width, "width", 80, "text width in columns")
	fs.StringVar(&doc, "resume", "", "export this file (Markdown, or JSON Resume: .json) instead of the embedded résumé")
	explain(fs)
	return cmd
}
