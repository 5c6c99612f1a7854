package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui"
)

// terminal is a screen that a runner draws on, and where its keys go in.
type terminal struct {
	emu  *vt.SafeEmulator
	keys *io.PipeWriter
}

func newTerminal(t *testing.T, w, h int) (*terminal, io.Reader) {
	emu := vt.NewSafeEmulator(w, h)
	go func() { _, _ = io.Copy(io.Discard, emu) }() // its answers to queries
	t.Cleanup(func() { _ = emu.InputPipe().(*io.PipeWriter).Close() })
	r, keys := io.Pipe()
	t.Cleanup(func() { _ = keys.Close() })
	return &terminal{emu: emu, keys: keys}, r
}

func (term *terminal) text() string {
	var rows []string
	for _, l := range strings.Split(ansi.Strip(term.emu.Render()), "\n") {
		rows = append(rows, strings.TrimRight(l, " "))
	}
	return strings.Join(rows, "\n")
}

// onlcr turns LF into CR LF, as a terminal's line discipline does for a
// tea.Program's output (the loop writes CR LF itself, having no tty).
type onlcr struct{ w io.Writer }

func (o onlcr) Write(p []byte) (int, error) {
	if _, err := o.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// TestLoopConformsToProgram runs the browser under the server's loop and
// under Bubble Tea's own tea.Program, gives both the same keys, and
// compares what their terminals show, for every view and the demo's
// tour: the loop is a stand-in for tea.Program, and must draw what it
// would.
func TestLoopConformsToProgram(t *testing.T) {
	for _, tc := range []struct {
		name string
		w, h int
		opts []ui.Option
		keys []string // each is sent, and the screens compared after it
	}{
		{"roles and detail", 80, 24, nil, []string{"j", "j", "\r", "j", "\x1b[B", "\t", "\t", "G", "g", "3"}},
		{"wide", 130, 36, nil, []string{"j", "\t", "\x1b[6~", "\x1b[5~", "\t", "k"}},
		{"timeline", 100, 30, nil, []string{"t", "\x1b[C", "\x1b[C", "\x1b[D", "\r", "t", "\x1b"}},
		{"about and help", 80, 24, nil, []string{"a", " ", "j", "\x1b", "?", "j", "j", "?"}},
		{"search", 80, 24, nil, []string{"/", "x", "e", "n", "\r", "n", "N", "\x1b"}},
		{"reader", 60, 20, nil, []string{"r", "j", " ", "G", "r"}},
		{"narrow help", 44, 14, nil, []string{"?", "j", "j", "j"}},
		// The tour's steps come every 300 ms in both, each from its own
		// start: the screens are compared when both show the same step.
		// (Its timers are tea.Tick commands, which nothing can stop: short
		// ones end soon after the test.)
		{"demo tour", 100, 30, []ui.Option{ui.WithDemo(true), ui.WithDemoTiming(30*time.Millisecond, 300*time.Millisecond)}, []string{"", "", "j", "q"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := append([]ui.Option{ui.WithClock(func() time.Time { return now }), ui.WithSize(tc.w, tc.h)}, tc.opts...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()

			viaLoop, loopIn := newTerminal(t, tc.w, tc.h)
			l := newLoop(ui.New(content.Default(), opts...), newFrameWriter(viaLoop.emu, tc.w, tc.h), loopIn, testGuard(time.Minute, nil))
			l.unsupported = func(kind string) { t.Errorf("the loop met a Bubble Tea message it does not support: %s", kind) }
			loopDone := make(chan struct{})
			go func() { defer close(loopDone); _, _ = l.run(ctx) }()

			viaProgram, progIn := newTerminal(t, tc.w, tc.h)
			p := tea.NewProgram(ui.New(content.Default(), opts...),
				tea.WithContext(ctx), tea.WithInput(progIn), tea.WithOutput(onlcr{viaProgram.emu}),
				tea.WithWindowSize(tc.w, tc.h), tea.WithoutSignals(), tea.WithColorProfile(colorprofile.TrueColor),
				tea.WithEnvironment([]string{"TERM=xterm-256color"}))
			progDone := make(chan struct{})
			go func() { defer close(progDone); _, _ = p.Run() }()
			defer func() {
				// The program's input ends first, so that its reader
				// stops while the program still takes what it sends.
				_ = viaProgram.keys.Close()
				_ = viaLoop.keys.Close()
				cancel()
				<-loopDone
				<-progDone
			}()

			same := func(step string) {
				t.Helper()
				deadline := time.Now().Add(5 * time.Second)
				for {
					a, b := viaLoop.text(), viaProgram.text()
					if a == b && strings.TrimSpace(a) != "" {
						return
					}
					if time.Now().After(deadline) {
						t.Fatalf("after %s the screens differ:\nthe loop's:\n%s\ntea.Program's:\n%s", step, a, b)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			same("the first frame")
			for i, k := range tc.keys {
				if k != "" {
					for _, term := range []*terminal{viaLoop, viaProgram} {
						if _, err := io.WriteString(term.keys, k); err != nil {
							t.Fatal(err)
						}
					}
				}
				same(fmt.Sprintf("key %d (%q)", i+1, k))
			}
		})
	}
}
