package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server/inbox"
)

// hello runs ssh HOST hello with input on a new connection.
func (ts *testServer) hello(t *testing.T, input string) (string, string, int) {
	t.Helper()
	return ts.helloFrom(t, "127.0.0.1", input)
}

// helloFrom runs ssh HOST hello from a chosen loopback address.
func (ts *testServer) helloFrom(t *testing.T, src, input string) (string, string, int) {
	t.Helper()
	c, err := ts.dialFrom(src)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = strings.NewReader(input), &out, &errOut
	status := 0
	var exit *gossh.ExitError
	if err := sess.Run("hello"); errors.As(err, &exit) {
		status = exit.ExitStatus()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), status
}

// brokenStore is storage that is down.
type brokenStore struct{ inbox.Store }

func (brokenStore) Add(context.Context, inbox.Note) (int64, error) {
	return 0, errors.New("connection refused")
}

func TestHelloWithoutATerminal(t *testing.T) {
	store, err := inbox.OpenSQLite(filepath.Join(t.TempDir(), "resume.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ts := startServer(t, Config{Inbox: store})
	out, prompts, status := ts.hello(t, "Ann Example\nann@example.com\nHi!\ny\n")
	if status != 0 || out != "thanks — saved as #1\n" || !strings.Contains(prompts, "Your email: ") || !strings.Contains(prompts, "May the owner contact you? (y/n): ") {
		t.Errorf("hello: status %d, stdout %q, stderr %q", status, out, prompts)
	}
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 1 || notes[0].Name != "Ann Example" || notes[0].Email != "ann@example.com" || notes[0].Message != "Hi!" || !notes[0].Contact {
		t.Fatalf("stored: %+v, %v", notes, err)
	}
	// No contact: the email is not kept.
	if out, _, status := ts.hello(t, "Bo\nbo@example.com\n\nn\n"); status != 0 || out != "thanks — saved as #2\n" {
		t.Errorf("hello without contact: %d %q", status, out)
	}
	if notes, _ := store.List(context.Background(), time.Time{}); len(notes) != 2 || notes[1].Email != "" || notes[1].Contact {
		t.Errorf("a visitor who may not be contacted: %+v", notes[1])
	}
	// Two bad answers in a row: nothing saved, nothing acknowledged, and
	// what was typed written back.
	out, errOut, status := ts.hello(t, "Cy\nnot an address\n\ny\n")
	if want := "not saved: an address such as ann@example.com. What you typed:\n  Your name: Cy\n  Your email: not an address\n  Your email: \n"; status != 1 || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("a bad email: %d %q %q", status, out, errOut)
	}
	// Storage down: the visitor is told to try again, and nothing is
	// acknowledged.
	down := startServer(t, Config{Inbox: brokenStore{}})
	out, errOut, status = down.hello(t, "Ann\nann@example.com\n\ny\n")
	if status != 1 || out != "" || !strings.Contains(errOut, "couldn't save — please try again in a minute") {
		t.Errorf("storage down: %d %q %q", status, out, errOut)
	}
	// Counted for the operator: by result, and the time to each commit.
	body := scrape(t, ts.MetricsHandler())
	if metricValue(t, body, `resume_inbox_notes_total{result="saved"}`) != 2 || metricValue(t, body, `resume_inbox_notes_total{result="invalid"}`) != 1 || metricValue(t, body, "resume_inbox_store_seconds_count") != 2 {
		t.Errorf("inbox metrics:\n%s", body)
	}
	if metricValue(t, scrape(t, down.MetricsHandler()), `resume_inbox_notes_total{result="error"}`) != 1 {
		t.Error("a failed save is not counted")
	}
	// No inbox at all: no such command, and help does not offer it.
	none := startServer(t, Config{})
	if _, errOut, status := none.hello(t, ""); status != 1 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("no inbox: %d %q", status, errOut)
	}
	if help, _, _ := none.run(t, "help"); strings.Contains(help, "hello") || !strings.Contains(help, "vcard") {
		t.Errorf("help without an inbox:\n%s", help)
	}
	if help, _, _ := ts.run(t, "help"); !strings.Contains(help, "  hello ") {
		t.Errorf("help with an inbox:\n%s", help)
	}
}

// TestHelloFormOverSSH: h in the browser opens the form; filled in over
// SSH, the note is in the inbox when the visitor is thanked.
func TestHelloFormOverSSH(t *testing.T) {
	store, err := inbox.OpenSQLite(filepath.Join(t.TempDir(), "resume.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ts := startServer(t, Config{Inbox: store})
	_, stdin, scr := ts.browse(t, 100, 30)
	scr.waitFor("Principal Engineer")
	send := func(s string) {
		t.Helper()
		if _, err := io.WriteString(stdin, s); err != nil {
			t.Fatal(err)
		}
	}
	// Each answer waits for its question, as a person does.
	send("h")
	scr.waitFor("  Your name")
	send("Ann Example\r")
	scr.waitFor("✓ Your name  Ann Example")
	scr.waitFor("  Your email")
	send("ann@example.com\r")
	scr.waitFor("✓ Your email  ann@example.com")
	send("\r")
	scr.waitFor("May the owner contact you? (y/n)")
	send("y")
	scr.waitFor("thanks — saved as #1")
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 1 || notes[0].Name != "Ann Example" || notes[0].Email != "ann@example.com" || !notes[0].Contact {
		t.Errorf("stored: %+v %v\n%s", notes, err, scr.text())
	}
	// The form's cursor is still: nothing of it waits on a timer.
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "cursor.(*Model).Blink") {
		t.Errorf("the form's cursor blinks:\n%s", stacks)
	}
}

func openStore(t testing.TB) *inbox.SQLite {
	t.Helper()
	store, err := inbox.OpenSQLite(filepath.Join(t.TempDir(), "resume.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// TestHelloLimitsAndSources: one place sends at most five notes an hour,
// a venue the operator named is spared, the same email updates its note,
// and the inbox keeps a hash of where each note came from, never the
// address.
func TestHelloLimitsAndSources(t *testing.T) {
	store := openStore(t)
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	ts := startServer(t, Config{
		Inbox: store, Now: func() time.Time { return time.Unix(0, clock.Load()) },
		Limits: Limits{PenaltyExempt: []netip.Prefix{netip.MustParsePrefix("127.0.0.3/32")}},
	})
	note := func(i int) string { return fmt.Sprintf("Visitor %d\nv%d@example.com\nHi\ny\n", i, i) }
	for i := 1; i <= inbox.PerHour; i++ {
		if out, errOut, status := ts.helloFrom(t, "127.0.0.1", note(i)); status != 0 || out != fmt.Sprintf("thanks — saved as #%d\n", i) {
			t.Fatalf("note %d: %d %q %q", i, status, out, errOut)
		}
	}
	if out, errOut, status := ts.helloFrom(t, "127.0.0.1", note(6)); status != 1 || out != "" || !strings.Contains(errOut, "not saved: 5 notes in an hour is the most one place may send — please try again later") {
		t.Errorf("a sixth note within the hour: %d %q %q", status, out, errOut)
	}
	if out, _, _ := ts.helloFrom(t, "127.0.0.2", note(7)); out != "thanks — saved as #6\n" {
		t.Errorf("another place: %q", out)
	}
	for i := 8; i < 8+inbox.PerHour+2; i++ {
		if _, errOut, status := ts.helloFrom(t, "127.0.0.3", note(i)); status != 0 {
			t.Fatalf("the venue's note %d: %q", i, errOut)
		}
	}
	// The same email again updates its note; an hour on, the first place
	// may send again.
	if out, _, _ := ts.helloFrom(t, "127.0.0.2", "Visitor Seven\nV7@example.com\nAgain\ny\n"); out != "thanks — saved as #6\n" {
		t.Errorf("the same email again: %q", out)
	}
	clock.Add(int64(61 * time.Minute))
	if _, errOut, status := ts.helloFrom(t, "127.0.0.1", note(20)); status != 0 {
		t.Errorf("an hour later: %q", errOut)
	}
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 14 {
		t.Fatalf("%d notes, %v", len(notes), err)
	}
	a, b, venue := notes[0].Source, notes[5].Source, notes[6].Source
	if a == "" || a == b || a == venue || b == venue || notes[4].Source != a || notes[13].Source != a || notes[5].Message != "Again" {
		t.Errorf("sources: %q %q %q; %+v", a, b, venue, notes)
	}
	for _, n := range notes {
		if strings.Contains(n.Source, "7f0000") || !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(n.Source) {
			t.Errorf("source %q", n.Source)
		}
	}
	if metricValue(t, scrape(t, ts.MetricsHandler()), `resume_inbox_notes_total{result="limited"}`) != 1 {
		t.Error("the refused note is not counted")
	}
}

// manyNotes is storage that holds a full inbox.
type manyNotes struct{ inbox.Store }

func (manyNotes) List(context.Context, time.Time) ([]inbox.Note, error) {
	return make([]inbox.Note, inbox.MaxNotes), nil
}

// TestOwnerIsToldTheInboxIsFull: listing a full inbox says so.
func TestOwnerIsToldTheInboxIsFull(t *testing.T) {
	s := fuzzServer(t)
	s.cfg.Inbox = manyNotes{}
	var out, errOut bytes.Buffer
	if status := s.inbox([]string{"--format", "csv"}, &out, &errOut); status != 0 || !strings.Contains(errOut.String(), "the inbox is full (10000 notes): visitors cannot leave more") {
		t.Errorf("%d %q", status, errOut.String())
	}
}

// TestRetain: notes past the retention are removed at start and every
// hour, and Retain ends with its context.
func TestRetain(t *testing.T) {
	store := openStore(t)
	ctx := context.Background()
	for i, age := range []time.Duration{100 * 24 * time.Hour, 91 * 24 * time.Hour, 89 * 24 * time.Hour} {
		if _, err := store.Add(ctx, inbox.Note{At: now.Add(-age), Name: fmt.Sprint("N", i)}); err != nil {
			t.Fatal(err)
		}
	}
	ts := startServer(t, Config{Inbox: store, InboxRetention: 90 * 24 * time.Hour})
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { ts.Retain(rctx); close(done) }()
	waitUntil(t, "old notes removed", func() bool {
		n, _ := store.Count(ctx)
		return n == 1
	})
	cancel()
	<-done
	if notes, _ := store.List(ctx, time.Time{}); len(notes) != 1 || notes[0].Name != "N2" {
		t.Errorf("kept: %+v", notes)
	}
}

// TestHelloAsksAgain: each answer is checked as it is given and asked for
// again when it is wrong, as reader mode does; only a second wrong answer
// in a row, or the end of the input, ends it, and then every answer typed
// is written back so that nothing is lost.
func TestHelloAsksAgain(t *testing.T) {
	store, err := inbox.OpenSQLite(filepath.Join(t.TempDir(), "resume.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ts := startServer(t, Config{Inbox: store})

	// A wrong email, put right at once: saved, the complaint said once.
	out, errOut, status := ts.hello(t, "Bob\nnot-an-email\nbob@example.com\nhi\ny\n")
	if status != 0 || out != "thanks — saved as #1\n" ||
		errOut != "Your name: Your email: an address such as ann@example.com\nYour email: A message (optional): May the owner contact you? (y/n): " {
		t.Errorf("a corrected email: %d %q %q", status, out, errOut)
	}
	if notes, _ := store.List(context.Background(), time.Time{}); len(notes) != 1 || notes[0].Email != "bob@example.com" || notes[0].Message != "hi" {
		t.Errorf("stored: %+v", notes)
	}
	// The answers of the visitor: the email wrong, then its
	// second try ("hi") wrong too. Everything typed comes back.
	out, errOut, status = ts.hello(t, "Bob\nnot-an-email\nhi\ny\n")
	if want := "What you typed:\n  Your name: Bob\n  Your email: not-an-email\n  Your email: hi\n"; status != 1 || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("two wrong emails: %d %q %q", status, out, errOut)
	}
	// The consent question needs y or n: "sure" is asked again.
	out, errOut, status = ts.hello(t, "Cy\ncy@example.com\n\nsure\nyes\n")
	if status != 0 || out != "thanks — saved as #2\n" || !strings.Contains(errOut, "please answer y or n\nMay the owner contact you? (y/n): ") {
		t.Errorf("an unclear consent: %d %q %q", status, out, errOut)
	}
	// The input ends early.
	out, errOut, status = ts.hello(t, "Dee\n")
	if want := "not saved: the answers ended before the last question. What you typed:\n  Your name: Dee\n"; status != 1 || out != "" || !strings.HasSuffix(errOut, want) {
		t.Errorf("an early end: %d %q %q", status, out, errOut)
	}
	if notes, _ := store.List(context.Background(), time.Time{}); len(notes) != 2 {
		t.Errorf("%d notes kept, want 2", len(notes))
	}
}
