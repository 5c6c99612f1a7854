package ui

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"

	"github.com/resume-ssh/resume/content"
)

const cardDoc = "---\nname: Ann Example\nlabel: Staff SRE\nemail: ann@example.com\nurl: https://ann.example.com\nphone: +44 20 7946 0000\nprofiles:\n  - network: GitHub\n    url: https://github.com/annexample\n%s---\n\n# About\n\nI keep payment systems up.\n\n## SRE\n#### Northwind (2019 - Present)\n\n- x\n"

func cardModel(t *testing.T, vcard bool, w, h int) Model {
	t.Helper()
	extra := ""
	if vcard {
		extra = "card: vcard\n"
	}
	doc, err := content.ParseNamed("cv.md", []byte(strings.Replace(cardDoc, "%s", extra, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return drive(New(doc, WithClock(clock)), w, h, "c")
}

// scan reads the QR code off the model's screen as a phone would: the
// screen is drawn by a terminal emulator, each cell's half blocks become
// pixels in the colours the terminal shows, and zbarimg decodes the image.
func scan(t *testing.T, m Model) string {
	t.Helper()
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("RESUME_E2E") == "1" {
			t.Fatalf("zbarimg is required with RESUME_E2E=1: %v", err)
		}
		t.Skip("zbarimg (Debian's zbar-tools) is not installed; RESUME_E2E=1 makes this a failure")
	}
	emu := vt.NewEmulator(m.width, m.height)
	if _, err := emu.Write([]byte(strings.ReplaceAll(m.View().Content, "\n", "\r\n"))); err != nil {
		t.Fatal(err)
	}
	const px = 6 // pixels a module
	img := image.NewRGBA(image.Rect(0, 0, m.width*px, m.height*2*px))
	white := color.RGBA{255, 255, 255, 255}
	for y := range m.height {
		for x := range m.width {
			c := emu.CellAt(x, y)
			fg, bg := color.Color(color.Black), color.Color(white) // the terminal's own: dark on light
			glyph := " "
			if c != nil {
				glyph = c.Content
				if c.Style.Fg != nil {
					fg = c.Style.Fg
				}
				if c.Style.Bg != nil {
					bg = c.Style.Bg
				}
			}
			top, bottom := bg, bg
			switch glyph {
			case "█":
				top, bottom = fg, fg
			case "▀":
				top = fg
			case "▄":
				bottom = fg
			case " ", "":
			default: // text reads as light: it is not part of the code
			}
			for dy := range px {
				for dx := range px {
					img.Set(x*px+dx, y*2*px+dy, top)
					img.Set(x*px+dx, y*2*px+px+dy, bottom)
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "screen.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	out, err := exec.Command(zbar, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code on the screen: %v\n%s", err, screenOf(m))
	}
	return strings.TrimSuffix(string(out), "\n")
}

// TestCardQRScans: the card's QR code reads back, off the screen, as what
// it should hold: the URL at 80×24; the vCard where there is room for it,
// else the URL; and where no code fits, the card says how much room it
// needs.
func TestCardQRScans(t *testing.T) {
	if got := scan(t, cardModel(t, false, 80, 24)); got != "https://ann.example.com" {
		t.Errorf("80×24: the code reads %q", got)
	}
	if got := scan(t, cardModel(t, true, 120, 40)); !strings.HasPrefix(got, "BEGIN:VCARD") || !strings.Contains(got, "FN:Ann Example") || !strings.Contains(got, "EMAIL:ann@example.com") {
		t.Errorf("120×40 with card: vcard: the code reads %q", got)
	}
	if got := scan(t, cardModel(t, true, 80, 24)); got != "https://ann.example.com" {
		t.Errorf("80×24 with card: vcard: the code reads %q, want the URL it falls back to", got)
	}
	m := cardModel(t, false, 40, 12)
	if s := screenOf(m); !strings.Contains(s, "The QR code needs") || strings.Contains(s, "▀") {
		t.Errorf("40×12: the card does not say how much room it needs:\n%s", s)
	}
}

// TestCardCopiesAndShows: y copies the email with OSC 52 and says so; the
// card has a tab; the seed, which has no contact details, has neither.
func TestCardCopiesAndShows(t *testing.T) {
	m := cardModel(t, false, 100, 30)
	if m.page != pageCard || !strings.Contains(screenOf(m), "email    ann@example.com") {
		t.Fatalf("c did not open the card:\n%s", screenOf(m))
	}
	next, cmd := m.Update(press("y"))
	if cmd == nil || !strings.Contains(screenOf(next.(Model)), "Copied — if your terminal allows it.") {
		t.Fatalf("y: no command, or no word of it:\n%s", screenOf(next.(Model)))
	}
	if msg := cmd(); msg == nil || !strings.Contains(strings.ToLower(strings.ReplaceAll(typeName(msg), " ", "")), "clipboard") {
		t.Errorf("y returned %T, want a clipboard message", msg)
	}
	if h := strings.Split(screenOf(m), "\n")[0]; !strings.Contains(h, "[card]") {
		t.Errorf("no card tab: %q", h)
	}
	seed := drive(New(content.Default(), WithClock(clock)), 100, 30, "c")
	if seed.page == pageCard || strings.Contains(screenOf(seed), "card") {
		t.Errorf("the seed has a card:\n%s", screenOf(seed))
	}
	// The mouse reaches it too.
	header := strings.Split(screenOf(m), "\n")[0]
	x := ansi.StringWidth(header[:strings.LastIndex(header, "card")])
	next, _ = drive(New(m.doc, WithClock(clock)), 100, 30).Update(tea.MouseClickMsg{X: x, Y: 0, Button: tea.MouseLeft})
	if next.(Model).page != pageCard {
		t.Error("a click on the card tab did not open it")
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// TestCopyARolesLink: y on a role copies its first link.
func TestCopyARolesLink(t *testing.T) {
	doc, err := content.Parse([]byte("---\nemail: a@example.com\n---\n\n# Me\n\n## SRE\n#### Acme (2019 - Present)\n\n- Wrote [the runbook](https://example.com/runbook)\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := drive(New(doc, WithClock(clock)), 100, 20)
	next, cmd := m.Update(press("y"))
	if cmd == nil || !strings.Contains(lastLine(next.(Model)), "Copied") {
		t.Fatalf("y on a role: no copy:\n%s", screenOf(next.(Model)))
	}
	if got := fmt.Sprint(cmd()); !strings.Contains(got, "https://example.com/runbook") {
		t.Errorf("copied %q", got)
	}
}

// TestTourShowsTheCard: each round of the booth's tour shows the card, for
// passers-by to scan; a résumé with no card has no such step.
func TestTourShowsTheCard(t *testing.T) {
	pages := func(m Model) map[page]bool {
		seen := map[page]bool{}
		for n := range m.tourLen() {
			m.demo.stepN = n
			seen[m.tourStep().page] = true
		}
		return seen
	}
	if seen := pages(cardModel(t, false, 100, 30)); !seen[pageCard] || !seen[pageTimeline] {
		t.Errorf("the tour with a card showed %v", seen)
	}
	if seen := pages(drive(New(content.Default(), WithClock(clock), WithDemo(true)), 100, 30)); seen[pageCard] {
		t.Error("the seed's tour shows a card it does not have")
	}
}

// BenchmarkCard is the card's screen: drawn the first time at a size
// (the QR encoded and laid out), and as later visitors get it.
func BenchmarkCard(b *testing.B) {
	doc, err := content.ParseNamed("cv.md", []byte(strings.Replace(cardDoc, "%s", "card: vcard\n", 1)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := drive(New(doc, WithClock(clock), WithRenderer(NewRenderer(0))), 120, 40, "c")
			_ = m.View()
		}
	})
	b.Run("memoised", func(b *testing.B) {
		r := NewRenderer(0)
		m := drive(New(doc, WithClock(clock), WithRenderer(r)), 120, 40)
		b.ReportAllocs()
		for b.Loop() {
			next, _ := m.Update(press("c"))
			_ = next.(Model).View()
		}
	})
}
