package inbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/resume-ssh/resume/server/inbox/inboxtest"
)

func testDatabase(t *testing.T) string { return inboxtest.Database(t) }

// stores runs f against each kind of Store, each new and empty: SQLite in
// a temporary file, and PostgreSQL when there is one to test against.
// limit sets the store's cap.
func stores(t *testing.T, f func(t *testing.T, s Store, limit func(int))) {
	t.Run("sqlite", func(t *testing.T) {
		s, _ := openTemp(t)
		f(t, s, func(n int) { s.max = n })
	})
	t.Run("postgres", func(t *testing.T) {
		s, err := OpenPostgres(context.Background(), testDatabase(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		f(t, s, func(n int) { s.max = n })
	})
}

// TestStoresKeepNotes: what every store does, the same way.
func TestStoresKeepNotes(t *testing.T) {
	stores(t, func(t *testing.T, s Store, limit func(int)) {
		ctx := context.Background()
		at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		id, err := s.Add(ctx, Note{At: at, Name: "Ann", Email: "ann@example.com", Message: "Hi!", Contact: true, Source: "a"})
		if err != nil || id != 1 {
			t.Fatalf("Add: %d, %v", id, err)
		}
		// Many at once: all kept, each with a number of its own.
		var wg sync.WaitGroup
		ids := make([]int64, 20)
		for i := range 20 {
			wg.Go(func() {
				var err error
				if ids[i], err = s.Add(ctx, Note{At: at.Add(time.Duration(i+1) * time.Minute), Name: "Bo"}); err != nil {
					t.Errorf("Add %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		seen := map[int64]bool{}
		for _, id := range ids {
			seen[id] = true
		}
		notes, err := s.List(ctx, time.Time{})
		if err != nil || len(notes) != 21 || len(seen) != 20 || notes[0].Name != "Ann" || notes[0].Message != "Hi!" || !notes[0].At.Equal(at) || !notes[0].Contact || notes[0].Source != "a" {
			t.Fatalf("List: %d notes, %v: %+v", len(notes), err, notes[:min(1, len(notes))])
		}
		if since, _ := s.List(ctx, at.Add(10*time.Minute)); len(since) != 11 {
			t.Errorf("since: %d notes, want 11", len(since))
		}
		if n, _ := s.Count(ctx); n != 21 {
			t.Errorf("Count: %d", n)
		}
		if ok, err := s.Delete(ctx, 1); !ok || err != nil {
			t.Errorf("Delete 1: %v %v", ok, err)
		}
		if ok, _ := s.Delete(ctx, 1); ok {
			t.Error("deleted note 1 twice")
		}
		if n, err := s.Prune(ctx, at.Add(5*time.Minute+time.Second)); n != 5 || err != nil {
			t.Errorf("Prune: %d %v", n, err)
		}
		limit(15)
		if _, err := s.Add(ctx, Note{Name: "Cy"}); !errors.Is(err, ErrFull) {
			t.Errorf("a full inbox took a note: %v", err)
		}
		if err := s.Ready(ctx); err != nil {
			t.Errorf("Ready: %v", err)
		}
	})
}

// TestStoresLimit: a source sends at most PerHour notes an hour, and the
// same email within a day updates its note, in every store.
func TestStoresLimit(t *testing.T) {
	stores(t, func(t *testing.T, s Store, _ func(int)) {
		ctx := context.Background()
		at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
		note := func(i int, email string) Note {
			return Note{At: at.Add(time.Duration(i) * time.Minute), Name: fmt.Sprint("V", i), Email: email, Contact: email != "", Source: "src-a"}
		}
		for i := range PerHour {
			if id, err := s.Add(ctx, note(i, fmt.Sprintf("v%d@example.com", i))); err != nil || id != int64(i+1) {
				t.Fatalf("note %d: #%d %v", i, id, err)
			}
		}
		if _, err := s.Add(ctx, note(PerHour, "late@example.com")); !errors.Is(err, ErrTooMany) {
			t.Errorf("note %d within the hour: %v", PerHour+1, err)
		}
		venue := note(PerHour, "venue@example.com")
		venue.Unlimited = true
		if _, err := s.Add(ctx, venue); err != nil {
			t.Errorf("an unlimited source: %v", err)
		}
		again := note(61, "V0@Example.com")
		again.Message = "second thoughts"
		if id, err := s.Add(ctx, again); err != nil || id != 1 {
			t.Fatalf("the same email: #%d %v", id, err)
		}
		notes, _ := s.List(ctx, time.Time{})
		if len(notes) != PerHour+1 || notes[0].Message != "second thoughts" || !notes[0].At.Equal(again.At) {
			t.Errorf("after the update: %d notes, first %+v", len(notes), notes[0])
		}
		if id, err := s.Add(ctx, note(24*60+62, "v0@example.com")); err != nil || id != PerHour+2 {
			t.Errorf("a day later: #%d %v", id, err)
		}
	})
}

// TestPostgresMigratesOnceFromManyReplicas: replicas that start at once
// on one database wait for each other's migration, and an older schema is
// brought up to date with its notes kept.
func TestPostgresMigratesOnceFromManyReplicas(t *testing.T) {
	u := testDatabase(t)
	ctx := context.Background()
	ms, err := migrations("postgres")
	if err != nil || len(ms) < 2 {
		t.Fatalf("migrations: %d %v", len(ms), err)
	}
	// A database left at version 1, with a note.
	c, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		ms[0], "CREATE TABLE resume_schema (version INTEGER NOT NULL)", "INSERT INTO resume_schema VALUES (1)",
		"INSERT INTO notes (at, name, email, contact) VALUES ('2026-11-30T12:00:00Z', 'Ann', 'ann@example.com', true)",
	} {
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	_ = c.Close(ctx)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			s, err := OpenPostgres(ctx, u)
			if err != nil {
				t.Errorf("replica %d: %v", i, err)
				return
			}
			_ = s.Close()
		})
	}
	wg.Wait()
	s, err := OpenPostgres(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.pool.QueryRow(ctx, "SELECT max(version) FROM resume_schema").Scan(&version); err != nil || version != len(ms) {
		t.Errorf("version %d, %v", version, err)
	}
	if notes, err := s.List(ctx, time.Time{}); err != nil || len(notes) != 1 || notes[0].Name != "Ann" || notes[0].Source != "" {
		t.Errorf("after the upgrade: %+v %v", notes, err)
	}
	if _, err := s.Add(ctx, Note{Name: "Bo", Source: "x"}); err != nil {
		t.Error(err)
	}
}

// TestPostgresThatNeverAnswers: a database that takes connections and
// never answers (a hung server, a black-holed network) does not stop
// start-up, and a note's wait for it ends with its context: the visitor
// is told, never left hanging, and nothing is acknowledged.
func TestPostgresThatNeverAnswers(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	s, err := OpenPostgres(ctx, "postgres://resume@"+l.Addr().String()+"/resume?sslmode=disable")
	if err != nil {
		t.Fatalf("a database that does not answer stopped start-up: %v", err)
	}
	defer s.Close()
	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	done := make(chan error, 1)
	go func() {
		_, err := s.Add(ctx2, Note{Name: "Ann"})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a note was acknowledged by a database that never answered")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Add did not end with its context")
	}
}

// TestPostgresReadyChangesNothing: a readiness probe runs no DDL. A store
// opened while its database was down, which comes back, is ready without
// a table made; Migrate, or the first note, makes them.
func TestPostgresReadyChangesNothing(t *testing.T) {
	pg, u := inboxtest.Start(t)
	ctx := context.Background()
	pg.Stop()
	short, cancel := context.WithTimeout(ctx, 3*time.Second)
	s, err := OpenPostgres(short, u)
	cancel()
	if err != nil {
		t.Fatalf("a database that is down stopped the open: %v", err)
	}
	defer s.Close()
	pg.StartAgain()
	tables := func() int {
		var n int
		if err := s.pool.QueryRow(ctx, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('notes', 'resume_schema')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Ready(ctx) != nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // the server coming back up
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if n := tables(); n != 0 {
		t.Fatalf("Ready made %d tables", n)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n := tables(); n != 2 {
		t.Errorf("Migrate made %d of the 2 tables", n)
	}
}
