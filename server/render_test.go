package server

import (
	"bytes"
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// TestFrameWriterDrawsWhatTheViewSays feeds a sequence of views through
// the frameWriter into a terminal emulator: after each, the screen must be
// exactly the view, however little was rewritten.
func TestFrameWriterDrawsWhatTheViewSays(t *testing.T) {
	// As lipgloss draws them: each styled piece ends in a reset.
	red, sep := "\x1b[31m", "\x1b[2m │ \x1b[m"
	frames := [][]string{
		{"left" + sep + red + "one\x1b[m", "plain line", "x"},
		{"left" + sep + red + "two!\x1b[m", "plain line", ""},
		{"left" + sep + red + "t\x1b[m", "plain LINE changed", "wide 漢字 ok"},
		{"LEFT" + sep + red + "t\x1b[m", "", "wide 漢字 ok"},
		{"漢字" + sep + "x", "", "wide 漢字 ok"},
		{"漢字" + sep + "y", "", "wide 漢字 ok"},
	}
	emu := vt.NewEmulator(30, 3)
	// The first frame asks for the background colour: drain the answer.
	go func() { _, _ = io.Copy(io.Discard, emu) }()
	defer func() { _ = emu.InputPipe().(*io.PipeWriter).Close() }()
	var out bytes.Buffer
	fw := newFrameWriter(&out, 30, 3)
	for i, f := range frames {
		out.Reset()
		if err := fw.draw(tea.View{Content: strings.Join(f, "\n")}); err != nil {
			t.Fatal(err)
		}
		if _, err := emu.Write(out.Bytes()); err != nil {
			t.Fatal(err)
		}
		got := strings.Split(ansi.Strip(emu.Render()), "\n")
		for row, want := range f {
			if strings.TrimRight(got[row], " ") != ansi.Strip(want) {
				t.Errorf("frame %d row %d = %q, want %q", i, row, got[row], ansi.Strip(want))
			}
		}
		if i == 1 && bytes.Contains(out.Bytes(), []byte("left")) {
			t.Errorf("frame 1 rewrote the unchanged prefix: %q", out.String())
		}
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"ab\x1b[mcd", "ab\x1b[mce", 5}, // up to the reset the two share
		{"abc", "abd", 0},               // no reset: nothing can be kept
	} {
		if got := sharedPrefix(tc.a, tc.b); got != tc.want {
			t.Errorf("sharedPrefix(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
