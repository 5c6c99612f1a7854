package server

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server/inbox"
)

// hello runs ssh HOST hello with input on a new connection.
func (ts *testServer) hello(t *testing.T, input string) (string, string, int) {
	t.Helper()
	sess := ts.session(t)
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
	// A bad answer: nothing saved, nothing acknowledged.
	out, errOut, status := ts.hello(t, "Cy\nnot an address\n\ny\n")
	if status != 1 || out != "" || !strings.Contains(errOut, "not saved: email: not an email address") {
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
	sess, stdin, scr := ts.browse(t, 100, 30)
	scr.waitFor("Principal Engineer")
	send := func(s string) {
		t.Helper()
		if _, err := io.WriteString(stdin, s); err != nil {
			t.Fatal(err)
		}
	}
	// Each answer waits for its field's focus mark, as a person does: the
	// form moves its focus with a command of its own.
	send("h")
	scr.waitFor("┃ Your name")
	send("Ann Example\r")
	scr.waitFor("┃ Your email")
	send("ann@example.com\r")
	scr.waitFor("┃ A message")
	send("\r")
	scr.waitFor("┃ May the owner contact you?")
	send("y")
	scr.waitFor("thanks — saved as #1")
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil || len(notes) != 1 || notes[0].Name != "Ann Example" || notes[0].Email != "ann@example.com" || !notes[0].Contact {
		t.Errorf("stored: %+v %v\n%s", notes, err, scr.text())
	}
	// The form's cursor blinks with a command that waits half a second;
	// once the session is over, the last of them ends on its own.
	_ = sess.Close()
	waitUntil(t, "the session ends", func() bool { return strings.Contains(ts.logs.String(), "session end") })
	waitUntil(t, "the cursor's last blink ends", func() bool {
		buf := make([]byte, 1<<20)
		return !strings.Contains(string(buf[:runtime.Stack(buf, true)]), "cursor.(*Model).Blink")
	})
}
