package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server/inbox"
)

func newSigner(t *testing.T) gossh.Signer {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// runAs runs cmd as user with auth, returning stdout, stderr, status, or
// the dial's error.
func (ts *testServer) runAs(t *testing.T, user string, auth []gossh.AuthMethod, cmd string) (string, string, int, error) {
	t.Helper()
	c, err := gossh.Dial("tcp", ts.addr, &gossh.ClientConfig{User: user, Auth: auth, HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: 10 * time.Second})
	if err != nil {
		return "", "", 0, err
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	status := 0
	var exit *gossh.ExitError
	if err := sess.Run(cmd); errors.As(err, &exit) {
		status = exit.ExitStatus()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), status, nil
}

// TestOwnerReadsTheInbox: the owner, with a listed key and only with one,
// reads and deletes notes over SSH; to everyone else nothing changes and
// nothing reveals that an inbox exists.
func TestOwnerReadsTheInbox(t *testing.T) {
	store, err := inbox.OpenSQLite(filepath.Join(t.TempDir(), "resume.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, n := range []string{"Ann", "Bo"} {
		if _, err := store.Add(context.Background(), inbox.Note{Name: n, Email: strings.ToLower(n) + "@example.com", Contact: true}); err != nil {
			t.Fatal(err)
		}
	}
	owner, stranger := newSigner(t), newSigner(t)
	ts := startServer(t, Config{Inbox: store, OwnerKeys: []gossh.PublicKey{owner.PublicKey()}})

	out, _, status, err := ts.runAs(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(owner)}, "inbox")
	if err != nil || status != 0 || !strings.Contains(out, "Ann") || !strings.Contains(out, "bo@example.com") {
		t.Fatalf("owner's inbox: %v, %d:\n%s", err, status, out)
	}
	if out, _, _, _ := ts.runAs(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(owner)}, "inbox --format json"); !strings.Contains(out, `"name": "Ann"`) {
		t.Errorf("inbox --format json:\n%s", out)
	}
	if out, _, status, _ := ts.runAs(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(owner)}, "inbox delete 1"); status != 0 || out != "deleted #1\n" {
		t.Errorf("inbox delete 1: %d %q", status, out)
	}
	if notes, _ := store.List(context.Background(), time.Time{}); len(notes) != 1 || notes[0].Name != "Bo" {
		t.Errorf("after delete: %+v", notes)
	}
	// No other way in as the owner.
	for name, auth := range map[string][]gossh.AuthMethod{
		"none":                 nil,
		"password":             {gossh.Password("hunter2")},
		"keyboard-interactive": {gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) { return nil, nil })},
		"another key":          {gossh.PublicKeys(stranger)},
	} {
		// After "none" the server offers the owner a key and nothing
		// else, so no client has another method left to try.
		if _, _, _, err := ts.runAs(t, "owner", auth, "inbox"); err == nil || !strings.Contains(err.Error(), "no supported methods remain") {
			t.Errorf("owner with %s: %v", name, err)
		}
	}
	// The owner's help lists the owner's commands; a visitor's does not.
	if out, _, _, _ := ts.runAs(t, "owner", []gossh.AuthMethod{gossh.PublicKeys(owner)}, "help"); !strings.Contains(out, "  inbox [--format table|csv|json|vcard]") || !strings.Contains(out, "  inbox delete N") {
		t.Errorf("the owner's help lacks inbox:\n%s", out)
	}
	if out, _, _, _ := ts.runAs(t, "visitor", nil, "help"); strings.Contains(out, "inbox") {
		t.Errorf("a visitor's help names the inbox:\n%s", out)
	}
	// A visitor: nothing changes, and there is no inbox command.
	if _, errOut, status, err := ts.runAs(t, "visitor", nil, "inbox"); err != nil || status != 1 || !strings.Contains(errOut, `unknown command "inbox"`) {
		t.Errorf("a visitor's inbox: %v %d %q", err, status, errOut)
	}
	if out, _, status, err := ts.runAs(t, "visitor", []gossh.AuthMethod{gossh.PublicKeys(stranger)}, "version"); err != nil || status != 0 || out == "" {
		t.Errorf("a visitor with a key: %v %d", err, status)
	}
}
