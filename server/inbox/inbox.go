// Package inbox keeps the notes visitors leave for the owner, in storage
// that survives a crash: nothing a visitor was told is saved is lost.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Note is what a visitor left.
type Note struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Name    string    `json:"name"`
	Email   string    `json:"email,omitempty"` // kept only when Contact
	Message string    `json:"message,omitempty"`
	Contact bool      `json:"contact"` // the visitor may be contacted
}

// The limits of a note's fields.
const (
	MaxName    = 100
	MaxMessage = 1000
)

// Check says what is wrong with a note a visitor filled in, field by
// field, as a visitor can read it; nil when nothing is. It also drops the
// email of a visitor who may not be contacted.
func (n *Note) Check() error {
	n.Name, n.Email, n.Message = strings.TrimSpace(n.Name), strings.TrimSpace(n.Email), strings.TrimSpace(n.Message)
	var errs []error
	switch {
	case n.Name == "":
		errs = append(errs, errors.New("name: please give a name"))
	case utf8.RuneCountInString(n.Name) > MaxName:
		errs = append(errs, fmt.Errorf("name: at most %d characters", MaxName))
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		errs = append(errs, errors.New("email: not an email address, such as ann@example.com"))
	}
	if utf8.RuneCountInString(n.Message) > MaxMessage {
		errs = append(errs, fmt.Errorf("message: at most %d characters", MaxMessage))
	}
	if !n.Contact {
		n.Email = ""
	}
	return errors.Join(errs...)
}

// Store keeps notes. Add returns only once the note is committed to
// storage that survives a crash of the process or the machine.
type Store interface {
	Add(ctx context.Context, n Note) (id int64, err error)
	// List is every note since a time (the zero time: all), oldest first.
	List(ctx context.Context, since time.Time) ([]Note, error)
	// Delete removes a note, reporting whether there was one.
	Delete(ctx context.Context, id int64) (bool, error)
	Close() error
}

// ErrFull is Add's error when the inbox holds as many notes as it may.
var ErrFull = errors.New("the inbox is full")
