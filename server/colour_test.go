package server

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui"
)

// TestProfileWriterWritesWhatColorprofileDoes: every frame, the first
// time and from the memo, comes out as colorprofile.Writer writes it.
func TestProfileWriterWritesWhatColorprofileDoes(t *testing.T) {
	frames := []string{
		"plain text\r\n",
		"\x1b[1;38;2;184;166;255mTitle\x1b[m \x1b[38;2;95;215;196mteal\x1b[m\x1b[K",
		"\x1b[7;1mmatch\x1b[m \x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\",
	}
	for _, size := range [][2]int{{80, 24}, {200, 60}} {
		m := ui.New(content.Default(), ui.WithSize(size[0], size[1]))
		frames = append(frames, m.View().Content)
	}
	memo := newConversions()
	for _, profile := range []colorprofile.Profile{colorprofile.TrueColor, colorprofile.ANSI256, colorprofile.ANSI, colorprofile.ASCII, colorprofile.NoTTY} {
		for i, f := range frames {
			var want bytes.Buffer
			cw := colorprofile.Writer{Forward: &want, Profile: profile}
			if _, err := cw.Write([]byte(f)); err != nil {
				t.Fatal(err)
			}
			for _, pass := range []string{"first", "memoised"} {
				var got bytes.Buffer
				n, err := profileWriter{out: &got, profile: profile, memo: memo}.Write([]byte(f))
				if err != nil || n != len(f) {
					t.Fatalf("%v frame %d (%s): wrote %d of %d: %v", profile, i, pass, n, len(f), err)
				}
				if got.String() != want.String() {
					t.Errorf("%v frame %d (%s):\n got %q\nwant %q", profile, i, pass, got.String(), want.String())
				}
			}
		}
	}
}

func TestConversionsAreBounded(t *testing.T) {
	line := strings.Repeat("\x1b[38;2;184;166;255mx\x1b[m", 200)
	memo := newConversions()
	for i := range 2000 {
		var out bytes.Buffer
		if _, err := fmt.Fprintf(profileWriter{out: &out, profile: colorprofile.ANSI256, memo: memo}, "%d %s", i, line); err != nil {
			t.Fatal(err)
		}
	}
	if st := memo.Stats(); st.Bytes > conversionBudget || st.Evicted == 0 {
		t.Errorf("the memo holds %d bytes, evicted %d; the budget is %d", st.Bytes, st.Evicted, conversionBudget)
	}
}
