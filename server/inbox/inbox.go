// Package inbox keeps the notes visitors leave for the owner, in storage
// that survives a crash: nothing a visitor was told is saved is lost.
package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/resume-ssh/resume/ui/note"
)

// Note is what a visitor left.
type Note struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Name    string    `json:"name"`
	Email   string    `json:"email,omitempty"` // kept only when Contact
	Message string    `json:"message,omitempty"`
	Contact bool      `json:"contact"` // the visitor may be contacted
	// Source is a keyed hash of where the note came from (never the
	// address): the same for the same visitor, and useless to anyone
	// without the server's key.
	Source string `json:"source,omitempty"`
	// Unlimited spares the source the PerHour limit (a venue's shared
	// address the operator named); it is not stored.
	Unlimited bool `json:"-"`
}

// The limits of a note's fields: note's, the one definition of a note.
const (
	MaxName    = note.MaxName
	MaxMessage = note.MaxMessage
)

// Check says what is wrong with a note a visitor filled in, field by
// field, as a visitor can read it (note.Note.Check); nil when nothing is.
// It trims each field, and drops the email of a visitor who may not be
// contacted.
func (n *Note) Check() error {
	v := note.Note{Name: strings.TrimSpace(n.Name), Email: strings.TrimSpace(n.Email), Message: strings.TrimSpace(n.Message), Contact: n.Contact}
	n.Name, n.Email, n.Message = v.Name, v.Email, v.Message
	if !n.Contact {
		n.Email = ""
	}
	return v.Check() //nolint:wrapcheck // the visitor's own words
}

// The limits a Store keeps.
const (
	// MaxNotes bounds an inbox: a booth's visitors leave hundreds; a
	// script flooding it is stopped here, and the form says the inbox is
	// full.
	MaxNotes = 10_000
	// PerHour is how many notes one source may send in an hour.
	PerHour = 5
	// SameEmail is how long a note with an email stays the one a new note
	// with that email updates, rather than adding another.
	SameEmail = 24 * time.Hour
)

// Store keeps notes. Add returns only once the note is committed to
// storage that survives a crash of the process or the machine.
type Store interface {
	// Add stores n and returns its number: a new one, or that of the note
	// with the same email from the last day, which n replaces. At is when
	// it was sent (zero: now). It refuses with ErrFull or ErrTooMany.
	Add(ctx context.Context, n Note) (id int64, err error)
	// List is every note since a time (the zero time: all), oldest first.
	List(ctx context.Context, since time.Time) ([]Note, error)
	// Delete removes a note, reporting whether there was one.
	Delete(ctx context.Context, id int64) (bool, error)
	// Prune removes the notes older than a time and reports how many.
	Prune(ctx context.Context, before time.Time) (int64, error)
	// Count is how many notes there are.
	Count(ctx context.Context) (int, error)
	// Ready reports whether the storage answers now. It changes nothing:
	// a readiness probe may call it as often as it likes.
	Ready(ctx context.Context) error
	// Migrate brings the storage's schema up to date, safely when several
	// processes do it at once.
	Migrate(ctx context.Context) error
	Close() error
}

// Open opens the inbox a URL names: sqlite://PATH (a file, made when it
// is not there) or postgres://… (a database several replicas may share).
func Open(ctx context.Context, url string) (Store, error) {
	switch {
	case strings.HasPrefix(url, "sqlite://"):
		return OpenSQLite(strings.TrimPrefix(url, "sqlite://"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return OpenPostgres(ctx, url)
	}
	return nil, ErrURL
}

// ErrURL is Open's refusal of a URL that names no store.
var ErrURL = errors.New("want sqlite://PATH or postgres://USER@HOST/DB")

// Importer takes notes copied from another inbox, numbers, times and
// sources as they were, into an empty one: resume migrate --from --to.
type Importer interface {
	Import(ctx context.Context, notes []Note) error
}

// ErrNotEmpty is Import's refusal: the inbox already holds notes.
var ErrNotEmpty = errors.New("the inbox to copy into is not empty")

// FullNotice is what the owner is told when an inbox holds count notes:
// nothing, or that visitors can leave no more.
func FullNotice(count int) string {
	if count < MaxNotes {
		return ""
	}
	return fmt.Sprintf("the inbox is full (%d notes): visitors cannot leave more until you delete some", count)
}

// Add's refusals.
var (
	// ErrFull: the inbox holds MaxNotes.
	ErrFull = errors.New("the inbox is full")
	// ErrTooMany: the note's source sent PerHour notes in the last hour.
	ErrTooMany = errors.New("too many notes from one place")
)
