package inbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resume-ssh/resume/server/inbox/inboxtest"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		n    Note
		want string
	}{
		{Note{Name: "Ann", Email: "ann@example.com", Contact: true}, ""},
		{Note{Name: " ", Email: "ann@example.com"}, "name: please give a name"},
		{Note{Name: strings.Repeat("a", 101), Email: "ann@example.com"}, "name: at most 100"},
		{Note{Name: "Ann", Email: "ann at example"}, "email: an address such as ann@example.com"},
		{Note{Name: "Ann", Email: "Ann <ann@example.com>"}, "email: an address such as ann@example.com"},
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

func openTemp(t *testing.T) (*SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "resume.db")
	s, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

// TestDeleteIsReal: a deleted or pruned note's words are gone from every
// file the inbox keeps, not just hidden.
func TestDeleteIsReal(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i, msg := range []string{"first-secret-words", "second-secret-words", "kept-words"} {
		if _, err := s.Add(ctx, Note{At: at.Add(time.Duration(i) * 24 * time.Hour), Name: "Ann", Message: msg}); err != nil {
			t.Fatal(err)
		}
	}
	files := func() string {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return string(all)
	}
	if !strings.Contains(files(), "first-secret-words") {
		t.Fatal("the note is not in the files at all: the test proves nothing")
	}
	if ok, err := s.Delete(ctx, 1); !ok || err != nil {
		t.Fatalf("Delete: %v %v", ok, err)
	}
	if n, err := s.Prune(ctx, at.Add(36*time.Hour)); n != 1 || err != nil {
		t.Fatalf("Prune: %d %v", n, err)
	}
	got := files()
	for _, gone := range []string{"first-secret-words", "second-secret-words"} {
		if strings.Contains(got, gone) {
			t.Errorf("%q is still on disk", gone)
		}
	}
	if !strings.Contains(got, "kept-words") {
		t.Error("the kept note is gone")
	}
}

// TestUpgradeFromEveryVersion: a database left by each earlier version
// of the schema opens, is upgraded, and keeps its notes.
func TestUpgradeFromEveryVersion(t *testing.T) {
	ms, err := migrations("sqlite")
	if err != nil || len(ms) < 2 {
		t.Fatalf("migrations: %d, %v", len(ms), err)
	}
	for v := 1; v < len(ms); v++ {
		path := filepath.Join(t.TempDir(), "resume.db")
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms[:v] {
			if _, err := db.Exec(m); err != nil {
				t.Fatal(err)
			}
		}
		// Version 1 wrote times as RFC 3339 with as many digits as needed.
		for _, at := range []string{"2026-11-30T12:00:00Z", "2026-11-30T12:00:00.5Z"} {
			if _, err := db.Exec("INSERT INTO notes (at, name, email, message, contact) VALUES (?, 'Ann', 'ann@example.com', 'Hi', 1)", at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
			t.Fatal(err)
		}
		_ = db.Close()
		s, err := OpenSQLite(path)
		if err != nil {
			t.Fatalf("from version %d: %v", v, err)
		}
		ctx := context.Background()
		notes, err := s.List(ctx, time.Time{})
		if err != nil || len(notes) != 2 || notes[1].Name != "Ann" || notes[1].Email != "ann@example.com" || !notes[1].At.Equal(time.Date(2026, 11, 30, 12, 0, 0, 5e8, time.UTC)) {
			t.Errorf("from version %d: %v %+v", v, err, notes)
		}
		if since, _ := s.List(ctx, time.Date(2026, 11, 30, 12, 0, 0, 2e8, time.UTC)); len(since) != 1 {
			t.Errorf("from version %d: times do not compare: %+v", v, since)
		}
		if _, err := s.Add(ctx, Note{Name: "Bo", Source: "x"}); err != nil {
			t.Errorf("from version %d: Add: %v", v, err)
		}
		_ = s.Close()
	}
}

// TestOpenRefuses: a damaged file, a newer schema or a directory the
// inbox cannot write stop start-up with a clear error, and the file is
// left as it was.
func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged.db")
	junk := []byte(strings.Repeat("this is not a database\n", 400))
	if err := os.WriteFile(damaged, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSQLite(damaged); err == nil || !strings.Contains(err.Error(), damaged+": the file is not an SQLite database, or is damaged") {
		t.Errorf("a damaged file: %v", err)
	}
	if b, _ := os.ReadFile(damaged); string(b) != string(junk) {
		t.Error("the damaged file was changed")
	}

	newer := filepath.Join(dir, "newer.db")
	db, err := sql.Open("sqlite", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if _, err := OpenSQLite(newer); err == nil || !strings.Contains(err.Error(), "schema is version 99, newer than") {
		t.Errorf("a newer schema: %v", err)
	}

	if os.Geteuid() == 0 {
		t.Log("root writes anywhere: cmd/resume's TestReadOnlyDataDir runs the binary as nobody")
		return
	}
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSQLite(filepath.Join(ro, "resume.db")); err == nil || !strings.Contains(err.Error(), "is not writable") {
		t.Errorf("a read-only directory: %v", err)
	}
}

// TestDiskFull: when storage runs out of room, Add says so and nothing
// already acknowledged is lost. SQLite's page limit stands in for the
// disk: it gives the same error a full disk does.
func TestDiskFull(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, "PRAGMA max_page_count = 12"); err != nil {
		t.Fatal(err)
	}
	var saved []int64
	var err error
	for i := 0; i < 200 && err == nil; i++ {
		var id int64
		id, err = s.Add(ctx, Note{Name: fmt.Sprint("Visitor ", i), Message: strings.Repeat("words ", 150)})
		if err == nil {
			saved = append(saved, id)
		}
	}
	if err == nil || errors.Is(err, ErrFull) || !strings.Contains(err.Error(), "full") {
		t.Fatalf("after %d notes: %v", len(saved), err)
	}
	_ = s.Close()
	s, err = OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	notes, err := s.List(ctx, time.Time{})
	if err != nil || len(notes) != len(saved) || len(saved) == 0 {
		t.Fatalf("%d acknowledged, %d kept: %v", len(saved), len(notes), err)
	}
	for i, n := range notes {
		if n.ID != saved[i] || n.Name != fmt.Sprint("Visitor ", i) {
			t.Errorf("note %d: %+v", i, n)
		}
	}
}

// BenchmarkAdd is one note committed: to an SQLite file in a temporary
// directory, with synchronous=FULL, and to PostgreSQL on loopback when
// RESUME_TEST_DATABASE names a server. It is the wait a visitor has
// before being thanked; p50-ms and p99-ms are of the single commits.
func BenchmarkAdd(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		s, err := OpenSQLite(filepath.Join(b.TempDir(), "resume.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		s.max = math.MaxInt
		benchmarkAdd(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		p, err := OpenPostgres(context.Background(), inboxtest.Database(b))
		if err != nil {
			b.Fatal(err)
		}
		defer p.Close()
		p.max = math.MaxInt
		benchmarkAdd(b, p)
	})
}

func benchmarkAdd(b *testing.B, s Store) {
	ctx := context.Background()
	at := time.Now()
	var times []time.Duration
	i := 0
	for b.Loop() {
		i++
		n := Note{At: at.Add(time.Duration(i) * time.Second), Name: "Ann Example", Email: fmt.Sprintf("ann%d@example.com", i), Message: "Loved the talk; let's talk about the SRE role.", Contact: true, Source: fmt.Sprintf("%012x", i)}
		start := time.Now()
		if _, err := s.Add(ctx, n); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1e3, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1e3, "p99-ms")
}
