// Package note is what a visitor's note to the owner is, wherever it is
// left: its fields and their limits, the questions that ask for it, the
// check of each answer, and what the visitor is told. The browser's form,
// reader mode, ssh HOST hello and the inbox all use it, so that a note is
// the same note by every way in. It needs nothing but the standard
// library.
package note

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The limits of a note's fields, in characters.
const (
	MaxName    = 100
	MaxEmail   = 254
	MaxMessage = 1000
)

// Note is what a visitor leaves.
type Note struct {
	Name, Email, Message string
	Contact              bool // the owner may get in touch
}

// Field is one of a note's fields, in the order they are asked for.
type Field int

// The fields, in the order they are asked for.
const (
	Name Field = iota
	Email
	Message
	Contact
	NumFields
)

// Question asks for one field.
type Question struct {
	Field Field
	// Title is the question as the form shows it: "Your name".
	Title string
	// Hint is what asking line by line adds to the title: " (y/n)".
	Hint string
	// Limit is the most characters an answer may have.
	Limit int
}

// Questions are the questions, in order, with the owner's name in the
// last ("May Ann contact you?"); owner is "" when the résumé names nobody.
func Questions(owner string) []Question {
	if owner == "" {
		owner = "the owner"
	}
	return []Question{
		{Name, "Your name", "", MaxName},
		{Email, "Your email", "", MaxEmail},
		{Message, "A message (optional)", "", MaxMessage},
		{Contact, "May " + owner + " contact you?", " (y/n)", 10},
	}
}

// Prompt is how the question is asked line by line: "Your name: ".
func (q Question) Prompt() string { return q.Title + q.Hint + ": " }

// Check says what is wrong with an answer to field f, in the visitor's
// words, or "" when nothing is. It changes nothing.
func Check(f Field, answer string) string {
	s := strings.TrimSpace(answer)
	switch f {
	case Name:
		switch {
		case s == "":
			return "please give a name"
		case utf8.RuneCountInString(s) > MaxName:
			return fmt.Sprintf("at most %d characters", MaxName)
		}
	case Email:
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s || utf8.RuneCountInString(s) > MaxEmail {
			return "an address such as ann@example.com"
		}
	case Message:
		if utf8.RuneCountInString(s) > MaxMessage {
			return fmt.Sprintf("at most %d characters", MaxMessage)
		}
	case Contact:
		if _, ok := yesNo(s); !ok {
			return "please answer y or n"
		}
	}
	return ""
}

// Set gives field f the answer, which Check has passed.
func (n *Note) Set(f Field, answer string) {
	s := strings.TrimSpace(answer)
	switch f {
	case Name:
		n.Name = s
	case Email:
		n.Email = s
	case Message:
		n.Message = s
	case Contact:
		n.Contact, _ = yesNo(s)
	}
}

// Answer is field f's answer as the visitor gave it, to show or echo.
func (n Note) Answer(f Field) string {
	switch f {
	case Name:
		return n.Name
	case Email:
		return n.Email
	case Message:
		return n.Message
	}
	if n.Contact {
		return "y"
	}
	return "n"
}

// yesNo reads y, yes, n or no, in any case.
func yesNo(s string) (yes, ok bool) {
	switch strings.ToLower(s) {
	case "y", "yes":
		return true, true
	case "n", "no":
		return false, true
	}
	return false, false
}

// Check says what is wrong with a whole note, field by field ("email: an
// address such as ann@example.com"), or nil.
func (n Note) Check() error {
	var errs []error
	for f, name := range [...]string{Name: "name", Email: "email", Message: "message"} {
		if problem := Check(Field(f), n.Answer(Field(f))); problem != "" {
			errs = append(errs, errors.New(name+": "+problem))
		}
	}
	return errors.Join(errs...)
}

// Saved is what a visitor is told once their note is kept.
func Saved(id int64) string { return "thanks — saved as #" + strconv.FormatInt(id, 10) }

// What a visitor is told when their note could not be kept.
var (
	ErrFull        = errors.New("the inbox is full")
	ErrUnavailable = errors.New("couldn't save — please try again in a minute")
)

// TooMany is what a visitor is told who has sent perHour notes in an hour.
func TooMany(perHour int) error {
	return fmt.Errorf("%d notes in an hour is the most one place may send — please try again later", perHour)
}
