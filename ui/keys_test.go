package ui

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/resume-ssh/resume/content"
)

// TestHelpHasEveryBinding: every binding of the KeyMap is on the help
// page, so that no key works that a visitor cannot find.
func TestHelpHasEveryBinding(t *testing.T) {
	k := DefaultKeyMap()
	listed := map[string]bool{}
	for _, col := range k.FullHelp() {
		for _, b := range col {
			listed[b.Help().Key+" "+b.Help().Desc] = true
		}
	}
	v := reflect.ValueOf(k)
	for i := range v.NumField() {
		b, ok := v.Field(i).Interface().(key.Binding)
		if !ok {
			continue
		}
		if !listed[b.Help().Key+" "+b.Help().Desc] {
			t.Errorf("KeyMap.%s (%s) is not on the help page", v.Type().Field(i).Name, b.Help().Key)
		}
	}
}

// TestKeyMapIsAuthoritative: with another KeyMap, the browser answers to
// its keys and no others, in the list, the timeline and the search field.
func TestKeyMapIsAuthoritative(t *testing.T) {
	k := DefaultKeyMap()
	k.Down = key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "down"))
	k.BarNext = key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "timeline: next role"))
	k.SearchCancel = key.NewBinding(key.WithKeys("ctrl+g"), key.WithHelp("ctrl+g", "search: cancel"))
	m := drive(New(content.Default(), WithClock(clock), WithKeyMap(k)), 100, 30, "j", "s")
	if m.sel != 1 {
		t.Errorf("j then s selected role %d, want 2", m.sel+1)
	}
	m = drive(m, 100, 30, "t", "x")
	if m.page != pageTimeline || m.sel != 2 {
		t.Errorf("in the timeline x: page %v, role %d", m.page, m.sel+1)
	}
	// → is no longer a bar key in this map, so it is Open's.
	if m := drive(m, 100, 30, "right"); m.page != pageRoles || !m.detailOpen {
		t.Errorf("→ in the timeline did not open the role: page %v", m.page)
	}
	m = drive(m, 100, 30, "esc", "/", "q", "esc")
	if !m.search.typing || m.search.query != "q" {
		t.Errorf("esc cancelled the search though the map says ctrl+g: %+v", m.search)
	}
	m = drive(m, 100, 30, "ctrl+g")
	if m.search.typing {
		t.Error("ctrl+g did not cancel the search")
	}
	help := screenOf(drive(m, 100, 30, "?"))
	if !regexp.MustCompile(`(?m)^\s+s\s+down$`).MatchString(help) {
		t.Errorf("the help page does not show the map's keys:\n%s", help)
	}
}

// TestStylesOption: the palettes given are the ones drawn in.
func TestStylesOption(t *testing.T) {
	light, dark := DefaultStyles(false), DefaultStyles(true)
	dark.Title = dark.Title.Foreground(lipgloss.Color("#123456"))
	m := drive(New(content.Default(), WithClock(clock), WithStyles(light, dark)), 80, 24)
	if !strings.Contains(m.View().Content, "38;2;18;52;86") {
		t.Error("the title is not drawn in the given style")
	}
	if d := drive(New(content.Default(), WithClock(clock)), 80, 24); d.View().Content == m.View().Content {
		t.Error("the default palette drew the same screen")
	}
}
