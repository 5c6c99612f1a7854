package note

import (
	"strings"
	"testing"
)

// TestCheck: each answer's check, as every way in asks it.
func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		f      Field
		answer string
		want   string
	}{
		{Name, "Ann", ""},
		{Name, "  ", "please give a name"},
		{Name, strings.Repeat("é", MaxName+1), "at most 100 characters"},
		{Email, "ann@example.com", ""},
		{Email, " ann@example.com ", ""},
		{Email, "not-an-email", "an address such as ann@example.com"},
		{Email, "Ann <ann@example.com>", "an address such as ann@example.com"},
		{Email, "", "an address such as ann@example.com"},
		{Message, "", ""},
		{Message, strings.Repeat("a", MaxMessage+1), "at most 1000 characters"},
		{Contact, "Y", ""},
		{Contact, "no", ""},
		{Contact, "", "please answer y or n"},
		{Contact, "sure", "please answer y or n"},
	} {
		if got := Check(tc.f, tc.answer); got != tc.want {
			t.Errorf("Check(%d, %q) = %q, want %q", tc.f, tc.answer, got, tc.want)
		}
	}
}

// TestNote: answers set as given, trimmed; a whole note's problems by
// field; the questions with the owner's name; what a visitor is told.
func TestNote(t *testing.T) {
	var n Note
	for f, a := range map[Field]string{Name: " Ann ", Email: "ann@example.com", Message: "Hi", Contact: "YES"} {
		n.Set(f, a)
	}
	if n != (Note{Name: "Ann", Email: "ann@example.com", Message: "Hi", Contact: true}) || n.Check() != nil {
		t.Errorf("note %+v: %v", n, n.Check())
	}
	bad := Note{Email: "x"}
	if err := bad.Check(); err == nil || err.Error() != "name: please give a name\nemail: an address such as ann@example.com" {
		t.Errorf("a bad note: %v", err)
	}
	qs := Questions("")
	if len(qs) != int(NumFields) || qs[Contact].Prompt() != "May the owner contact you? (y/n): " || Questions("Ann")[Contact].Title != "May Ann contact you?" {
		t.Errorf("questions: %+v", qs)
	}
	if Saved(7) != "thanks — saved as #7" || TooMany(5).Error() != "5 notes in an hour is the most one place may send — please try again later" {
		t.Error("messages")
	}
}
