package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/content"
)

func newCheck(e *env) *cobra.Command {
	var doc string
	cmd := &cobra.Command{
		Use:     "check [FILE]",
		Short:   "Say what visitors will get from a résumé file, and what looks wrong in it",
		Example: "  resume check cv.md\n  resume check resume.json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return noArgs(cmd, args[1:])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				doc = args[0]
			}
			if doc == "" {
				return errUsage{errors.New("check needs a file: resume check cv.md")}
			}
			src, err := os.ReadFile(doc)
			if err != nil {
				return fmt.Errorf("read résumé: %w", err)
			}
			r, err := content.ParseAny(doc, src)
			if err != nil {
				return err //nolint:wrapcheck // FILE:LINE: reason, as serve says it; exit 1
			}
			now := time.Now()
			fmt.Fprintln(e.stdout, r.Summary(now))
			if p := r.Person; p.Name != "" {
				fmt.Fprintln(e.stdout, "  owner:", joinSkipEmpty(" — ", p.Name, p.Label))
			}
			for i, role := range r.Roles {
				fmt.Fprintf(e.stdout, "  %d. %s\n", i+1, joinSkipEmpty(" — ", role.Title, role.Organisation)+" · "+role.DatesLine(now))
			}
			for _, s := range r.Sections {
				fmt.Fprintln(e.stdout, "  section:", s.Heading)
			}
			for _, w := range append(r.Warnings(now), r.Advice()...) {
				fmt.Fprintln(e.stdout, "warning:", w)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&doc, "resume", "", "the file to check (Markdown, or JSON Resume: .json)")
	explain(cmd.Flags())
	return cmd
}

func joinSkipEmpty(sep string, parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += sep
		}
		out += p
	}
	return out
}
