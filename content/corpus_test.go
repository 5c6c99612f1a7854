package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpus reads hand-written résumés of many shapes, languages and
// section sets (one converted from a PDF by pdftotext, one from a CV
// template site's Word file, one from the resume.md template, German,
// French, academic, JSON Resume) and compares what it read, as resume
// check reports it and as JSON Resume, with a golden model; each reads
// through JSON and Markdown and back to the same model.
func TestCorpus(t *testing.T) {
	schema := compileSchema(t)
	files, err := filepath.Glob("testdata/corpus/*.*")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 12 {
		t.Fatalf("%d résumés in the corpus, want at least 12", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ParseAny(filepath.Base(path), src)
			if err != nil {
				t.Fatal(err)
			}
			js, err := r.JSON()
			if err != nil {
				t.Fatal(err)
			}
			validate(t, schema, js)
			golden(t, "testdata/corpus/golden/"+strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".txt",
				r.Report(now)+"\n"+string(js))

			// Through JSON and back to Markdown, and read again.
			viaJSON, err := ParseJSON("via.json", js)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseNamed("back.md", viaJSON.Markdown())
			if err != nil {
				t.Fatalf("%v\n%s", err, viaJSON.Markdown())
			}
			if !sameModel(r, back) {
				t.Errorf("Markdown → JSON → Markdown changed the model:\n%s\n%s", firstDiff(dump(r), dump(back)), viaJSON.Markdown())
			}
		})
	}
}
