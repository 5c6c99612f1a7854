package inbox

import (
	"context"
	"time"
)

// admitTx is what the admission policy asks of a store's transaction, in
// the store's own SQL: the policy is written once, in admit.
type admitTx interface {
	// sentSince counts the notes source sent after a time.
	sentSince(ctx context.Context, source string, after time.Time) (int, error)
	// forgetSends drops what was sent at or before a time.
	forgetSends(ctx context.Context, until time.Time) error
	// recordSend notes that source sent a note at a time.
	recordSend(ctx context.Context, source string, at time.Time) error
	// lastFrom is the newest note with the email (in any case) after a
	// time; ok is false when there is none.
	lastFrom(ctx context.Context, email string, after time.Time) (id int64, ok bool, err error)
	// replace writes n over note id.
	replace(ctx context.Context, id int64, n Note) error
	// count is how many notes there are.
	count(ctx context.Context) (int, error)
	// insert stores n as a new note and returns its number.
	insert(ctx context.Context, n Note) (int64, error)
}

// admit is the admission policy of every store, inside the transaction
// that will commit the note: a source may send PerHour notes an hour
// (unless the operator spared it), counted in sends so that deleting
// notes does not reset it; a note with the email of one from the last
// SameEmail replaces it and keeps its number; and an inbox holds limit
// notes at most.
func admit(ctx context.Context, tx admitTx, n Note, limit int) (int64, error) {
	hourAgo := n.At.Add(-time.Hour)
	if n.Source != "" && !n.Unlimited {
		sent, err := tx.sentSince(ctx, n.Source, hourAgo)
		if err != nil {
			return 0, err
		}
		if sent >= PerHour {
			return 0, ErrTooMany
		}
		if err := tx.forgetSends(ctx, hourAgo); err != nil {
			return 0, err
		}
		if err := tx.recordSend(ctx, n.Source, n.At); err != nil {
			return 0, err
		}
	}
	if n.Email != "" {
		id, ok, err := tx.lastFrom(ctx, n.Email, n.At.Add(-SameEmail))
		if err != nil {
			return 0, err
		}
		if ok {
			return id, tx.replace(ctx, id, n)
		}
	}
	count, err := tx.count(ctx)
	if err != nil {
		return 0, err
	}
	if count >= limit {
		return 0, ErrFull
	}
	return tx.insert(ctx, n)
}
