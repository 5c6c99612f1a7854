package server

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/resume-ssh/resume/content"
)

func writeDoc(t *testing.T, path, role string) string {
	t.Helper()
	src := "# Me\n\n## " + role + "\n#### Acme (2019 - Present)\n\n- x\n"
	// As editors save: a new file renamed over the old.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return src
}

// TestReload: a change to the file serves the new document to new
// sessions and commands while open sessions keep theirs; a bad file
// keeps the last good one and is logged; SIGHUP reloads too. Commands
// run all the while (under -race) and only ever see a whole document.
func TestReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cv.md")
	first := writeDoc(t, path, "Alpha Engineer")
	doc, err := content.ParseNamed(path, []byte(first))
	if err != nil {
		t.Fatal(err)
	}
	ts := startServerDoc(t, Config{}, doc)
	ctx, cancel := context.WithCancel(context.Background())
	hup := make(chan os.Signal, 1)
	watched := make(chan error, 1)
	go func() { watched <- ts.Watch(ctx, path, hup) }()
	t.Cleanup(func() {
		cancel()
		if err := <-watched; err != nil {
			t.Errorf("Watch: %v", err)
		}
	})
	_, stdin, scr := ts.browse(t, 100, 30)
	scr.waitFor("Alpha Engineer")

	md := func() string { out, _, _ := ts.run(t, "md"); return out }
	second := writeDoc(t, path, "Beta Engineer")
	waitUntil(t, "the new document is served", func() bool { return md() == second })
	// The open session keeps the document it started with.
	if _, err := io.WriteString(stdin, "j"); err != nil {
		t.Fatal(err)
	}
	scr.waitFor("1/1")
	if s := scr.text(); !strings.Contains(s, "Alpha Engineer") || strings.Contains(s, "Beta") {
		t.Errorf("the open session's screen changed:\n%s", s)
	}

	// A bad file: logged with its line, and the last good one kept.
	if err := os.WriteFile(path, []byte("# Me\n\n## X\n#### Acme (Smarch 2019 - Present)\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the bad file is logged", func() bool {
		return strings.Contains(ts.logs.String(), path+`:4: cannot read date`) && strings.Contains(ts.logs.String(), "did you mean March?")
	})
	if got := md(); got != second {
		t.Errorf("a bad file replaced the document:\n%s", got)
	}
	body := scrape(t, ts.MetricsHandler())
	if metricValue(t, body, `resume_document_reloads_total{result="error"}`) < 1 || metricValue(t, body, `resume_document_reloads_total{result="ok"}`) < 1 {
		t.Errorf("reload metrics:\n%s", body)
	}

	// SIGHUP reloads, and commands during a run of changes only ever see
	// one whole version.
	writeDoc(t, path, "Gamma Engineer")
	hup <- os.Interrupt
	waitUntil(t, "SIGHUP's reload", func() bool { return strings.Contains(ts.logs.String(), "why=SIGHUP") })
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			out, _, status := ts.run(t, "json")
			if status != 0 || (!strings.Contains(out, "Gamma Engineer") && !strings.Contains(out, "Delta Engineer")) {
				t.Errorf("json during reloads: status %d\n%s", status, out)
				return
			}
		}
	})
	var last string
	for i := range 10 {
		last = writeDoc(t, path, map[bool]string{true: "Gamma Engineer", false: "Delta Engineer"}[i%2 == 0])
	}
	waitUntil(t, "the last version is served", func() bool { return md() == last })
	close(stop)
	wg.Wait()
}
