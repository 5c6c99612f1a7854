package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/server/inbox/inboxtest"
)

func status(h http.Handler, path string) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// TestInboxOutage: with PostgreSQL stopped, the résumé is still served,
// a note is refused in words a visitor can act on and never acknowledged,
// /healthz stays up and /readyz says why not; started again, the same
// server takes notes with no restart, and every note acknowledged is
// there.
func TestInboxOutage(t *testing.T) {
	pg, url := inboxtest.Start(t)
	store, err := inbox.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ts := startServer(t, Config{Inbox: store})
	h := ts.MetricsHandler()
	note := func(i int) string { return fmt.Sprintf("Visitor %d\nv%d@example.com\nHi\ny\n", i, i) }
	var told []int
	if out, errOut, code := ts.helloFrom(t, "127.0.0.10", note(0)); code != 0 || out != "thanks — saved as #1\n" {
		t.Fatalf("before the outage: %d %q %q", code, out, errOut)
	}
	told = append(told, 0)
	if status(h, "/readyz") != http.StatusOK {
		t.Error("/readyz is not ready with the database up")
	}

	pg.Stop()
	if out, errOut, code := ts.helloFrom(t, "127.0.0.11", note(1)); code != 1 || out != "" || !strings.Contains(errOut, "couldn't save — please try again in a minute") {
		t.Errorf("during the outage: %d %q %q", code, out, errOut)
	}
	if text, _, code := ts.run(t, "text"); code != 0 || !strings.Contains(text, "Principal Engineer") {
		t.Errorf("the résumé is not served during the outage: %d", code)
	}
	if status(h, "/healthz") != http.StatusOK || status(h, "/readyz") != http.StatusServiceUnavailable {
		t.Errorf("during the outage: /healthz %d, /readyz %d", status(h, "/healthz"), status(h, "/readyz"))
	}

	pg.StartAgain()
	i := 2
	waitUntil(t, "a note is taken again, with no restart", func() bool {
		i++
		out, _, code := ts.helloFrom(t, fmt.Sprintf("127.0.0.%d", 10+i), note(i))
		if code == 0 && out != "" {
			told = append(told, i)
		}
		return code == 0
	})
	if status(h, "/readyz") != http.StatusOK {
		t.Error("/readyz is not ready after the database came back")
	}
	notes, err := store.List(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, n := range notes {
		names[n.Name] = true
	}
	for _, i := range told {
		if !names[fmt.Sprint("Visitor ", i)] {
			t.Errorf("Visitor %d was thanked and is not in the inbox: %+v", i, notes)
		}
	}
	if names["Visitor 1"] {
		t.Error("the note refused during the outage was stored")
	}
}
