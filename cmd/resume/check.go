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
	var strict bool
	cmd := &cobra.Command{
		Use:   "check [FILE]",
		Short: "Say what visitors will get from a résumé file, and what looks wrong in it",
		Long: "Check reads a résumé as the server would and prints what it read: each role (title ·\n" +
			"organisation · location · dates · highlights) and each entry of every other section, with\n" +
			"each warning under the line it concerns. It exits 1 when the file cannot be read, and 0\n" +
			"with warnings unless --strict is given.",
		Example: "  resume check cv.md\n  resume check --strict resume.json",
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
			fmt.Fprint(e.stdout, r.Report(now))
			if n := len(r.Warnings(now)) + len(r.Advice()); strict && n > 0 {
				return fmt.Errorf("%s: %s with --strict", doc, plural(n, "warning"))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&doc, "resume", "", "the file to check (Markdown, or JSON Resume: .json)")
	cmd.Flags().BoolVar(&strict, "strict", false, "fail (exit 1) on warnings too, for an owner's CI")
	explain(cmd.Flags())
	return cmd
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
