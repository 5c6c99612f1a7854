package inbox

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		n    Note
		want string
	}{
		{Note{Name: "Ann", Email: "ann@example.com", Contact: true}, ""},
		{Note{Name: " ", Email: "ann@example.com"}, "name: please give a name"},
		{Note{Name: strings.Repeat("a", 101), Email: "ann@example.com"}, "name: at most 100"},
		{Note{Name: "Ann", Email: "ann at example"}, "email: not an email address"},
		{Note{Name: "Ann", Email: "Ann <ann@example.com>"}, "email: not an email address"},
		{Note{Name: "Ann", Email: "ann@example.com", Message: strings.Repeat("é", 1001)}, "message: at most 1000"},
	} {
		err := tc.n.Check()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: %v, want %q", tc.n, err, tc.want)
		}
	}
	n := Note{Name: "Ann", Email: "ann@example.com", Contact: false}
	if err := n.Check(); err != nil || n.Email != "" {
		t.Errorf("a visitor who may not be contacted keeps their email: %+v %v", n, err)
	}
}

func TestSQLiteKeepsNotes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "resume.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	id, err := s.Add(ctx, Note{At: at, Name: "Ann", Email: "ann@example.com", Message: "Hi!", Contact: true})
	if err != nil || id != 1 {
		t.Fatalf("Add: %d, %v", id, err)
	}
	// Many at once, from many goroutines: one writer, all kept.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if _, err := s.Add(ctx, Note{At: at.Add(time.Duration(i+1) * time.Minute), Name: "Bo"}); err != nil {
				t.Errorf("Add %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopened, as after a restart.
	s, err = OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	notes, err := s.List(ctx, time.Time{})
	if err != nil || len(notes) != 21 || notes[0].Name != "Ann" || notes[0].Message != "Hi!" || !notes[0].At.Equal(at) || !notes[0].Contact {
		t.Fatalf("List: %d notes, %v: %+v", len(notes), err, notes[:min(1, len(notes))])
	}
	if since, _ := s.List(ctx, at.Add(10*time.Minute)); len(since) != 11 {
		t.Errorf("since: %d notes, want 11", len(since))
	}
	if ok, err := s.Delete(ctx, 1); !ok || err != nil {
		t.Errorf("Delete 1: %v %v", ok, err)
	}
	if ok, _ := s.Delete(ctx, 1); ok {
		t.Error("deleted note 1 twice")
	}
	s.max = 20
	if _, err := s.Add(ctx, Note{Name: "Cy"}); !errors.Is(err, ErrFull) {
		t.Errorf("a full inbox took a note: %v", err)
	}
}
