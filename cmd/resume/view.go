package main

import (
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/resume-ssh/resume/ui"
)

func newView(e *env) *cobra.Command {
	var demo bool
	var doc string
	cmd := &cobra.Command{
		Use:   "view",
		Short: "Show the résumé browser in this terminal",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := loadDoc(doc, e.stderr, nil)
			if err != nil {
				return err
			}
			if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
				return errors.New("view needs a terminal; try: resume export --format text")
			}
			m := ui.New(d, ui.WithDemo(demo), ui.WithReader(e.getenv("TERM") == "dumb"))
			if _, err := tea.NewProgram(m, tea.WithInput(e.stdin), tea.WithOutput(e.stdout)).Run(); err != nil {
				return fmt.Errorf("view: %w", err)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&demo, "demo", false, "booth mode: tour the résumé when idle; only ctrl+c quits")
	fs.StringVar(&doc, "resume", "", "show this file (Markdown, or JSON Resume: .json) instead of the embedded résumé")
	explain(fs)
	return cmd
}
