package ui

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"charm.land/lipgloss/v2"
)

// Backgrounds that dark and light terminal themes commonly use: the
// default black and white, and popular themes' (VS Code, One Dark,
// Solarized, Nord, Dracula; Solarized light, Catppuccin Latte, GitHub).
var (
	darkBackgrounds  = []string{"#000000", "#1E1E1E", "#282C34", "#002B36", "#2E3440", "#282A36"}
	lightBackgrounds = []string{"#FFFFFF", "#FDF6E3", "#EFF1F5", "#F6F8FA"}
)

// TestContrast: every colour the browser writes text in meets WCAG AA
// (4.5:1) on each common background of its palette.
func TestContrast(t *testing.T) {
	for _, dark := range []bool{true, false} {
		st := DefaultStyles(dark)
		bgs := lightBackgrounds
		if dark {
			bgs = darkBackgrounds
		}
		for name, s := range map[string]lipgloss.Style{
			"Title": st.Title, "Accent": st.Accent, "Dim": st.Dim, "Text": st.Text,
			"Selected": st.Selected, "Marker": st.Marker, "Current": st.Current,
			"Link": st.Link, "Code": st.Code, "Bar": st.Bar, "BarAlt": st.BarAlt,
			"BarSelected": st.BarSelected, "Rule": st.Rule, "Key": st.Key,
			"Footer": st.Footer, "Error": st.Error,
			"Help.ShortKey": st.Help.ShortKey, "Help.ShortDesc": st.Help.ShortDesc,
			"Help.ShortSeparator": st.Help.ShortSeparator, "Help.Ellipsis": st.Help.Ellipsis,
			"Help.FullKey": st.Help.FullKey, "Help.FullDesc": st.Help.FullDesc,
			"Help.FullSeparator": st.Help.FullSeparator,
		} {
			fg := s.GetForeground()
			if _, none := fg.(lipgloss.NoColor); none || fg == nil {
				continue // the terminal's own text colour
			}
			for _, bg := range bgs {
				if c := contrast(fg, lipgloss.Color(bg)); c < 4.5 {
					t.Errorf("dark=%v %s: %s on %s is %.2f:1, under 4.5:1", dark, name, hex(fg), bg, c)
				}
			}
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}
