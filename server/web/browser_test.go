package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/ui/note"
)

// needTool skips when a tool is missing, unless RESUME_E2E=1 makes the
// missing tool a failure.
func needTool(t *testing.T, names ...string) string {
	t.Helper()
	path := ""
	for _, name := range names {
		p, err := exec.LookPath(name)
		if err == nil {
			path = p
			continue
		}
		if os.Getenv("RESUME_E2E") == "1" {
			t.Fatalf("%s is required with RESUME_E2E=1: %v", name, err)
		}
		t.Skipf("%s not installed; skipping (RESUME_E2E=1 makes this a failure)", name)
	}
	return path
}

// servePage serves doc's page from a real HTTP server on a loopback port
// and returns its base URL.
func servePage(t *testing.T, doc *content.Resume, cfg Config) string {
	t.Helper()
	loaded := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	cfg.Document = func() (*content.Resume, time.Time) { return doc, loaded }
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC) }
	}
	cfg.Secret = bytes.Repeat([]byte{7}, 32)
	srv := New(cfg).Server()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + l.Addr().String()
}

// browser is a headless Chromium from Debian's package, for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := needTool(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("lang", "en-GB"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("chromium: %v", err)
	}
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTime)
	return ctx
}

// prefersScheme emulates prefers-color-scheme: light or dark.
func prefersScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err //nolint:wrapcheck // the test names the step
	})
}

func testDocs(t *testing.T) map[string]*content.Resume {
	t.Helper()
	out := map[string]*content.Resume{"default": content.Default()}
	for _, name := range []string{"../../content/testdata/json/full.json", "../../content/testdata/corpus/02-md2cv.md", "../../content/testdata/corpus/06-lebenslauf-de.md"} {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := content.ParseAny(name, src)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(name)] = doc
	}
	return out
}

// seen is what a person sees of the page, as the browser measured it.
type seen struct {
	Title, H1, Text           string
	ScrollWidth, ClientWidth  int
	SmallestFont              float64
	SmallestText              string
	WorstContrast             float64
	WorstContrastText, Colour string
	Headings                  []int
}

// measure reads the page as it is laid out: sideways scroll, the
// smallest text, the worst contrast of any text against what is behind
// it (WCAG's formula), the headings' levels and the visible text.
const measure = `(() => {
  const lum = (c) => { const m = c.match(/[\d.]+/g).map(Number);
    const ch = m.slice(0,3).map(v => { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); });
    return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]; };
  const alpha = (c) => { const m = c.match(/[\d.]+/g); return m.length > 3 ? Number(m[3]) : 1; };
  const behind = (el) => { for (let e = el; e; e = e.parentElement) { const b = getComputedStyle(e).backgroundColor; if (alpha(b) > 0) return b; }
    return getComputedStyle(document.documentElement).backgroundColor; };
  let smallest = 1e9, smallText = "", worst = 1e9, worstText = "", colour = "";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement, cs = getComputedStyle(el);
    if (cs.display === "none" || cs.visibility === "hidden" || el.closest("[hidden]")) continue;
    const size = parseFloat(cs.fontSize);
    if (size < smallest) { smallest = size; smallText = n.textContent.trim().slice(0, 40); }
    const a = lum(cs.color), b = lum(behind(el));
    const ratio = (Math.max(a,b)+0.05)/(Math.min(a,b)+0.05);
    if (ratio < worst) { worst = ratio; worstText = n.textContent.trim().slice(0, 40); colour = cs.color + " on " + behind(el); }
  }
  return {Title: document.title, H1: document.querySelector("h1") ? document.querySelector("h1").innerText : "",
    Text: document.body.innerText, ScrollWidth: document.documentElement.scrollWidth, ClientWidth: document.documentElement.clientWidth,
    SmallestFont: smallest, SmallestText: smallText, WorstContrast: worst, WorstContrastText: worstText, Colour: colour,
    Headings: [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map(h => Number(h.tagName[1]))};
})()`

// TestPageInChromium loads each document's page in real Chromium, at a
// phone's size and a desktop's, light and dark, and checks what a person
// sees: the name as title and h1, every role and section, no sideways
// scroll, no text under 12 px, WCAG AA contrast everywhere, headings that
// skip no level. Screenshots are kept as artefacts (go test -artifacts).
func TestPageInChromium(t *testing.T) {
	ctx := browser(t)
	for name, doc := range testDocs(t) {
		base := servePage(t, doc, Config{SSH: "ssh resume.example.com", Save: nil})
		for _, size := range [][2]int{{360, 740}, {1280, 900}} {
			for _, scheme := range []string{"light", "dark"} {
				what := fmt.Sprintf("%s at %dx%d, %s", name, size[0], size[1], scheme)
				err := chromedp.Do(ctx,
					chromedp.EmulateViewport(int64(size[0]), int64(size[1])),
					prefersScheme(scheme),
					chromedp.Navigate(base+"/"),
				)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](measure))
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				file := strings.NewReplacer(".", "-", " ", "-", ",", "").Replace(what) + ".jpg"
				if err := os.WriteFile(filepath.Join(t.ArtifactDir(), file), shot, 0o600); err != nil {
					t.Fatal(err)
				}
				if got.ScrollWidth > got.ClientWidth {
					t.Errorf("%s: scrolls sideways: %d px wide in %d", what, got.ScrollWidth, got.ClientWidth)
				}
				if got.SmallestFont < 12 {
					t.Errorf("%s: text at %.1f px: %q", what, got.SmallestFont, got.SmallestText)
				}
				if got.WorstContrast < 4.5 {
					t.Errorf("%s: contrast %.2f:1 under AA for %q (%s)", what, got.WorstContrast, got.WorstContrastText, got.Colour)
				}
				title := doc.Title()
				if got.H1 != title || !strings.HasPrefix(got.Title, title) {
					t.Errorf("%s: title %q and h1 %q, want the name %q", what, got.Title, got.H1, title)
				}
				for i, h := range got.Headings {
					if (i == 0) != (h == 1) || (i > 0 && h > got.Headings[i-1]+1) {
						t.Errorf("%s: headings out of order: %v", what, got.Headings)
						break
					}
				}
				for _, want := range wanted(doc) {
					if !strings.Contains(got.Text, want) {
						t.Errorf("%s: %q is not on the page", what, want)
					}
				}
			}
		}
	}
}

// wanted is what the page must show of doc: every role's title and
// organisation, every section's heading and entry.
func wanted(doc *content.Resume) []string {
	var out []string
	for _, r := range doc.Roles {
		out = append(out, r.Title, r.Organisation)
	}
	for _, s := range doc.Sections {
		out = append(out, s.Heading)
		for _, e := range s.Entries {
			out = append(out, e.Head())
		}
	}
	var nonEmpty []string
	for _, w := range out {
		if w = strings.TrimSpace(w); w != "" {
			nonEmpty = append(nonEmpty, w)
		}
	}
	return nonEmpty
}

// TestPagePrintsToPDF prints the page as the browser's "Save as PDF"
// does: one or two pages for a résumé of a few roles, each role's title
// in the text pdftotext reads, and no navigation.
func TestPagePrintsToPDF(t *testing.T) {
	ctx := browser(t)
	needTool(t, "pdftotext", "pdfinfo")
	for name, doc := range testDocs(t) {
		base := servePage(t, doc, Config{SSH: "ssh resume.example.com", Save: func(note.Note, netip.Addr) (int64, error) { return 1, nil }})
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), prefersScheme("light"), chromedp.Navigate(base+"/")); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		res, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (cdpage.PrintToPDFResult, error) {
			return cdp.Call(ctx, t, cdpage.PrintToPDF, cdpage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69}) //nolint:wrapcheck // named below
		})
		if err != nil {
			t.Fatalf("%s: print: %v", name, err)
		}
		pdf := res.Data
		file := filepath.Join(t.ArtifactDir(), strings.ReplaceAll(name, ".", "-")+".pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		info, err := exec.Command("pdfinfo", file).Output()
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
		if m == nil {
			t.Fatalf("%s: pdfinfo: %s", name, info)
		}
		pages, _ := strconv.Atoi(string(m[1]))
		if limit := 2 + len(doc.Roles)/8; pages < 1 || pages > limit {
			t.Errorf("%s: %d pages, want at most %d", name, pages, limit)
		}
		text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(string(text)), " ")
		for _, r := range doc.Roles {
			if !strings.Contains(flat, strings.Join(strings.Fields(r.Title), " ")) {
				t.Errorf("%s: the PDF lacks the role %q", name, r.Title)
			}
		}
		for _, gone := range []string{"Leave a note", "JSON Resume", "In a terminal"} {
			if strings.Contains(flat, gone) {
				t.Errorf("%s: the PDF prints the page's navigation: %q", name, gone)
			}
		}
	}
}

// TestQRCodeReadsBack: the page's QR code, drawn by Chromium, reads back
// (zbarimg) as the card's payload.
func TestQRCodeReadsBack(t *testing.T) {
	ctx := browser(t)
	needTool(t, "zbarimg")
	d := *content.Default()
	d.PageURL = "https://resume.example.com/"
	doc := &d
	base := servePage(t, doc, Config{})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(400, 400), chromedp.Navigate(base+"/qr.svg")); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.ArtifactDir(), "qr.png")
	if err := os.WriteFile(file, shot, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", file).Output()
	if err != nil {
		t.Fatalf("zbarimg read nothing: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != doc.CardPayload() {
		t.Errorf("the QR code reads %q, want %q", got, doc.CardPayload())
	}
}
