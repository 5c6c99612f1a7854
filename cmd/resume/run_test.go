package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/resume-ssh/resume/content"
	"github.com/resume-ssh/resume/server"
	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/server/inbox/inboxtest"
)

func getenvOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func runCLI(t *testing.T, kv map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, getenvOf(kv), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"serve", "--no-such-flag"},
		{"export", "--format", "pdf"},
		{"export", "--width", "3"},
		{"export", "extra"},
		{"serve", "--log-format", "xml"},
		{"version", "--nope"},
		{"serve", "--login-memory", "lots"},
		{"serve", "--login-memory", "1KiB"},
		{"serve", "--penalty-exempt", "203.0.113.0/33"},
		{"serve", "--penalty-exempt", "venue"},
		{"serve", "--inbox-retention", "forever"},
		{"serve", "--inbox-retention", "-3d"},
		{"serve", "--public-port", "70000"},
		{"serve", "--public-url", "resume.example.com"},
	} {
		_, errOut, code := runCLI(t, nil, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
	if _, errOut, code := runCLI(t, map[string]string{"RESUME_LOG_FORMAT": "xml"}, "serve"); code != 2 || !strings.Contains(errOut, "xml") {
		t.Errorf("RESUME_LOG_FORMAT=xml: exit %d %q", code, errOut)
	}
}

func TestParseSizeAndPrefixes(t *testing.T) {
	for in, want := range map[string]int64{"64MiB": 64 << 20, "500MB": 500e6, "1GiB": 1 << 30, "65536": 65536, "64kib": 64 << 10} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	got, err := parsePrefixes("203.0.113.7, 2001:db8::/48,198.51.100.9/24")
	if err != nil || fmt.Sprint(got) != "[203.0.113.7/32 2001:db8::/48 198.51.100.0/24]" {
		t.Errorf("parsePrefixes = %v, %v", got, err)
	}
}

// TestClearMessages: a bad value names the flag or variable, the value and
// the form wanted, in one line; help lists the commands; view without a
// terminal says what to use instead.
func TestClearMessages(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{
			map[string]string{"RESUME_IDLE_TIMEOUT": "10"},
			[]string{"serve"},
			2,
			`resume: RESUME_IDLE_TIMEOUT="10": want a duration such as 10s, 10m or 1h30m` + "\n",
		},
		{
			nil,
			[]string{"serve", "--idle-timeout", "10"},
			2,
			`resume: invalid argument "10" for "--idle-timeout" flag: want a duration such as 10s, 10m or 1h30m (see resume serve --help)` + "\n",
		},
		{
			nil,
			[]string{"export", "--width", "abc"},
			2,
			`resume: invalid argument "abc" for "--width" flag: want a whole number (see resume export --help)` + "\n",
		},
		{
			map[string]string{"RESUME_DEMO": "maybe"},
			[]string{"view"},
			2,
			`resume: RESUME_DEMO="maybe": want true or false` + "\n",
		},
		{nil, []string{"view"}, 1, "resume: view needs a terminal; try: resume export --format text\n"},
	} {
		_, errOut, code := runCLI(t, tc.env, tc.args...)
		if code != tc.code || errOut != tc.want {
			t.Errorf("%v %q: exit %d, stderr %q; want %d, %q", tc.env, tc.args, code, errOut, tc.code, tc.want)
		}
	}
	for _, h := range []string{"--help", "-h", "help"} {
		out, _, code := runCLI(t, nil, h)
		if code != 0 || !regexp.MustCompile(`(?s)COMMANDS.*export.*hostkey.*serve.*version.*view`).MatchString(out) {
			t.Errorf("resume %s: exit %d, the commands are not listed:\n%s", h, code, out)
		}
	}
}

func TestConnectHint(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 24110}, "ssh -p 24110 localhost"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 22}, "ssh localhost"},
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 23234}, "ssh -p 23234 127.0.0.1"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 2222}, "ssh -p 2222 2001:db8::1"},
	} {
		if got := connectHint(tc.addr); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.addr, got, tc.want)
		}
	}
}

func TestHelpExits0(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"serve", "--help"}, {"export", "-h"}, {"view", "--help"}} {
		if _, _, code := runCLI(t, nil, args...); code != 0 {
			t.Errorf("%q: exit %d", args, code)
		}
	}
}

func TestExportEqualsContent(t *testing.T) {
	doc := content.Default()
	js, _ := doc.JSON()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--format", "json"}, string(js)},
		{[]string{"export", "--format", "markdown"}, string(doc.Markdown())},
		{[]string{"export", "--format=text", "--width", "60"}, doc.Text(60, time.Now())},
	} {
		out, errOut, code := runCLI(t, nil, tc.args...)
		if code != 0 || out != tc.want {
			t.Errorf("%q: exit %d, stderr %q, output differs %v", tc.args, code, errOut, out != tc.want)
		}
	}
	if out, _, _ := runCLI(t, map[string]string{"RESUME_FORMAT": "markdown"}, "export"); out != string(doc.Markdown()) {
		t.Error("RESUME_FORMAT does not set --format")
	}
}

func TestBadResumeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cv.md")
	if err := os.WriteFile(path, []byte("# Me\n\n## Engineer\n#### Acme ( Jully 2013 - Present )\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "export", "view"} {
		_, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, cmd, "--resume", path)
		want := path + `:4: cannot read date "Jully" in "Acme ( Jully 2013 - Present )": did you mean July?`
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, errOut)
		}
	}
	// Text that is not UTF-8 (this one once hung the about page) and a
	// binary file are refused at load, naming the byte.
	for body, want := range map[string]string{
		"# T\n\nKa_nQC65T/e7cENWRLDghUyMFb6J-Q/Fco_zt33NC6oeRUUDOEu/XcStBBHAvaRMU7z-P31u=&(\xe5\x5d\xa9\n": ":3: not UTF-8 text (byte 81)",
		"\x7fELF\x02\x01\x01\x00\x00\x00": ":1: not plain text: control character U+007F (byte 1)",
		"# T\n\nred \x1b[31malert\n":      ":3: not plain text: control character U+001B (byte 10)",
	} {
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range []string{"serve", "export", "view"} {
			if _, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, cmd, "--resume", path); code != 2 || !strings.Contains(errOut, path+want) {
				t.Errorf("%s: exit %d, stderr %q, want %q", cmd, code, errOut, want)
			}
		}
	}
	if _, errOut, code := runCLI(t, nil, "export", "--resume", filepath.Join(t.TempDir(), "missing.md")); code != 2 || !strings.Contains(errOut, "missing.md") {
		t.Errorf("missing file: exit %d %q", code, errOut)
	}
}

func TestHostkey(t *testing.T) {
	dir := t.TempDir()
	// Where no server has run, nothing is made: a slide with a key no
	// server uses would be worse than none.
	_, errOut, code := runCLI(t, map[string]string{"RESUME_DATA_DIR": dir}, "hostkey", "--slide")
	if want := "resume: no host key in " + dir + ", where no server has run; the systemd unit keeps its data in /var/lib/resume (--data-dir /var/lib/resume); resume hostkey --create makes one for a new setup\n"; code != 1 || errOut != want {
		t.Errorf("hostkey in an empty directory: exit %d, %q", code, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("hostkey made %v", entries)
	}
	out, _, code := runCLI(t, map[string]string{"RESUME_DATA_DIR": dir}, "hostkey", "--create", "--sshfp", "--host", "resume.example.com", "--port", "22")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	key, err := server.LoadHostKey(filepath.Join(dir, server.HostKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || lines[0] != server.Fingerprint(key.PublicKey()) ||
		!strings.HasPrefix(lines[1], "resume.example.com ssh-ed25519 ") ||
		!strings.HasPrefix(lines[2], "resume.example.com IN SSHFP 4 2 ") {
		t.Errorf("hostkey output:\n%s", out)
	}
	again, _, _ := runCLI(t, map[string]string{"RESUME_DATA_DIR": dir}, "hostkey", "--sshfp", "--host", "resume.example.com", "--port", "22")
	if again != out {
		t.Error("the host key changed between two runs")
	}
	slide, _, code := runCLI(t, map[string]string{"RESUME_DATA_DIR": dir}, "hostkey", "--slide", "--host", "resume.example.com", "--port", "22")
	if code != 0 || !strings.HasPrefix(slide, "ssh resume.example.com\n") || !strings.Contains(slide, server.Randomart(key.PublicKey())) || !strings.Contains(slide, lines[1]) {
		t.Errorf("hostkey --slide (exit %d):\n%s", code, slide)
	}
}

func TestDataDirDefaults(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"STATE_DIRECTORY": "/var/lib/resume:/other", "HOME": "/h"}, "/var/lib/resume"},
		{map[string]string{"XDG_STATE_HOME": "/x", "HOME": "/h"}, "/x/resume"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/resume"},
	} {
		if got := defaultDataDir(getenvOf(tc.env)); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
}

// TestFlagDefaultsAreTheServers: serve's flags default to the server's
// own values, written once in the server package, and help shows them.
func TestFlagDefaultsAreTheServers(t *testing.T) {
	flags := newServe(&env{getenv: getenvOf(nil)}, "serve").Flags()
	for flag, want := range map[string]string{
		"listen":            server.DefaultAddr,
		"handshake-timeout": server.DefaultHandshakeTimeout.String(),
		"login-grace":       server.DefaultLoginGrace.String(),
		"idle-timeout":      server.DefaultIdleTimeout.String(),
		"session-timeout":   server.DefaultSessionTimeout.String(),
		"step-timeout":      server.DefaultStepTimeout.String(),
		"max-handshakes":    fmt.Sprint(server.DefaultMaxHandshakes()),
		"max-sessions":      "0", // from the memory the server may use: server.Capacity
		"per-source-rate":   fmt.Sprint(server.DefaultPerSourceRate),
		"penalty":           server.DefaultPenalty.String(),
		"penalty-threshold": server.DefaultPenaltyThreshold.String(),
		"write-timeout":     server.DefaultWriteTimeout.String(),
		"login-memory":      fmt.Sprintf("%dMiB", server.DefaultLoginMemory>>20),
	} {
		f := flags.Lookup(flag)
		if f == nil {
			t.Errorf("serve has no --%s", flag)
			continue
		}
		if f.DefValue != want {
			t.Errorf("--%s defaults to %s, the server to %s", flag, f.DefValue, want)
		}
	}
}

// TestCharmCLI: what cobra and fang give a Charm user: completions, a
// --version flag, and a command-line flag winning over its variable.
func TestCharmCLI(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, errOut, code := runCLI(t, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, "resume") || len(out) < 500 {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", shell, code, len(out), errOut)
		}
	}
	if out, _, code := runCLI(t, nil, "--version"); code != 0 || !strings.Contains(out, buildVersion()) {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	doc := content.Default()
	js, _ := doc.JSON()
	if out, _, code := runCLI(t, map[string]string{"RESUME_FORMAT": "markdown"}, "export", "--format", "json"); code != 0 || out != string(js) {
		t.Errorf("--format json with RESUME_FORMAT=markdown: exit %d, not the JSON", code)
	}
}

// TestJSONResumeFile: --resume takes a resume.json, by its extension or
// by its content, in every command; its errors name line, column and
// JSON pointer.
func TestJSONResumeFile(t *testing.T) {
	src, err := os.ReadFile("../../content/testdata/json/full.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, name := range []string{"resume.json", "resume.txt"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, src, 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := runCLI(t, nil, "export", "--format", "text", "--resume", path)
		if code != 0 || !strings.HasPrefix(out, "Ann Example\n===========\nStaff Site Reliability Engineer\n") {
			t.Errorf("%s: exit %d, stderr %q:\n%.200s", name, code, errOut, out)
		}
	}
	md, _, code := runCLI(t, nil, "export", "--format", "markdown", "--resume", filepath.Join(dir, "resume.json"))
	if code != 0 || !strings.HasPrefix(md, "---\nname: Ann Example\n") || !strings.Contains(md, "\n---\n\n# Ann Example\n") {
		t.Errorf("markdown of a JSON Resume: exit %d:\n%.200s", code, md)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte("{\"work\": [{\"position\": \"X\", \"startDate\": \"2019-13\"}]}"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "export", "view"} {
		_, errOut, code := runCLI(t, map[string]string{"HOME": t.TempDir()}, cmd, "--resume", bad)
		if want := bad + `:1:42: /work/0/startDate: cannot read date "2019-13"`; code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("%s: exit %d, stderr %q, want %q", cmd, code, errOut, want)
		}
	}
}

// TestCheck: resume check says what a visitor will get and what looks
// wrong (exit 0), or the error as serve says it (exit 1).
func TestCheck(t *testing.T) {
	full := "../../content/testdata/json/full.json"
	out, _, code := runCLI(t, nil, "check", full)
	for _, want := range []string{
		full + ": 3 roles (2012–now), 10 sections\n",
		"owner: Ann Example · Staff Site Reliability Engineer · ann@example.com",
		"\nExperience  (work, line 17)\n",
		"  18  1 · Staff SRE          · Northwind Payments · Leeds · 1 Mar 2019 – Present · 2 highlights\n",
		"  35  3 · Research Assistant · Example University ·       · 2012 – 2014          · 0 highlights\n" +
			"      warning: " + full + `:35: "Research Assistant" has no highlights` + "\n",
		"\nEducation  (education, line 45)\n  46  1 · MSc in Computer Science · Example University · 2011 – 2012 · Score: Distinction; Courses: Compilers, Type systems\n",
		"\nProjects  (projects, line 55)\n",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("check: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	// --strict fails on the same warnings, for an owner's CI.
	if _, errOut, code := runCLI(t, nil, "check", "--strict", full); code != 1 || !strings.Contains(errOut, "1 warning with --strict") {
		t.Errorf("check --strict: exit %d, %q", code, errOut)
	}
	// A role titled with a section's word is a role (it was once read as
	// a section, and the visitor saw no roles).
	pm := filepath.Join(t.TempDir(), "t.md")
	if err := os.WriteFile(pm, []byte("---\nemail: ann@example.com\n---\n# Ann\n\n## Senior Project Manager\n#### Acme ( March 2021 - Present )\n\n* x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, nil, "check", "--strict", pm)
	if want := "  6  1 · Senior Project Manager · Acme · Mar 2021 – Present · 1 highlight\n"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("check --strict %s: exit %d, output lacks %q:\n%s", pm, code, want, out)
	}
	dir := t.TempDir()
	dup := filepath.Join(dir, "cv.md")
	if err := os.WriteFile(dup, []byte("# Me\n\n## SRE\n#### Acme (2019 - Present)\n\n- x\n\n## SRE\n#### Acme (2019 - Present)\n\n- y\n\n## Dev\n#### Initech (2031 - Present)\n\n- z\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, nil, "check", dup)
	for _, want := range []string{
		dup + `:8: "SRE" has the same title and dates as line 3`,
		dup + `:13: "Dev" starts in the future (2031)`,
		dup + ": no contact details",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("check: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	if _, errOut, code := runCLI(t, nil, "check", "../../content/testdata/json/bad-date.json"); code != 1 || !strings.Contains(errOut, "bad-date.json:5:49: /work/1/startDate") {
		t.Errorf("check of a bad file: exit %d, %q", code, errOut)
	}
	if _, _, code := runCLI(t, nil, "check"); code != 2 {
		t.Errorf("check with no file: exit %d", code)
	}
	// Every command that reads a file says in one line what it understood.
	if _, errOut, _ := runCLI(t, nil, "export", "--resume", full); !strings.Contains(errOut, "resume: "+full+": 3 roles (2012–now), 10 sections\n") {
		t.Errorf("export does not say what it read: %q", errOut)
	}
}

// TestInboxCommand: resume inbox lists the notes as a table, CSV or
// JSON, with what a visitor typed made harmless for a terminal and a
// spreadsheet.
func TestInboxCommand(t *testing.T) {
	dir := t.TempDir()
	store, err := openInbox("", dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, n := range []inbox.Note{
		{At: at, Name: "Ann Example", Email: "ann@example.com", Message: "Loved the talk", Contact: true},
		{At: at.Add(240 * time.Hour), Name: "\x1b[2J=HYPERLINK(\"x\")", Message: "+1 \x07"},
		{At: at.Add(241 * time.Hour), Name: "=SUM(A1:A9)", Message: "@mention"},
	} {
		if _, err := store.Add(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	_ = store.Close()
	out, _, code := runCLI(t, nil, "inbox", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Ann Example") || strings.ContainsAny(out, "\x1b\x07") || !strings.Contains(out, `\x1b[2J=HYPERLINK`) || !strings.Contains(out, "(no contact)") {
		t.Errorf("table: exit %d:\n%s", code, out)
	}
	out, _, _ = runCLI(t, nil, "inbox", "--data-dir", dir, "--format", "csv")
	if !strings.Contains(out, `"\x1b[2J=HYPERLINK(""x"")"`) || !strings.Contains(out, `'+1 \x07`) || !strings.Contains(out, `'=SUM(A1:A9)`) || !strings.Contains(out, `'@mention`) || !strings.HasPrefix(out, "id,at,name,email,contact,message,source\n1,2026-11-20T10:00:00Z,Ann Example,ann@example.com,true,Loved the talk,\n") {
		t.Errorf("csv:\n%s", out)
	}
	out, _, _ = runCLI(t, nil, "inbox", "--data-dir", dir, "--format", "json", "--since", "2026-11-25")
	var notes []inbox.Note
	if err := json.Unmarshal([]byte(out), &notes); err != nil || len(notes) != 2 || notes[0].ID != 2 {
		t.Errorf("json --since: %v\n%s", err, out)
	}
	// vcard: an address book's entry for each visitor who may be contacted.
	out, _, _ = runCLI(t, nil, "inbox", "--data-dir", dir, "--format", "vcard")
	if out != "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Example\r\nEMAIL:ann@example.com\r\nNOTE:Loved the talk\r\nREV:20261120T100000Z\r\nEND:VCARD\r\n" {
		t.Errorf("vcard:\n%q", out)
	}
	if _, _, code := runCLI(t, nil, "inbox", "--data-dir", dir, "--format", "xml"); code != 2 {
		t.Errorf("--format xml: exit %d", code)
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "2160h": 2160 * time.Hour, "0": 0, "0d": 0} {
		if got, err := parseAge(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
}

// TestSourceKey: made once on the first start, the same after, and a
// damaged one named with its place.
func TestSourceKey(t *testing.T) {
	dir := t.TempDir()
	first, err := loadSourceKey(filepath.Join(dir, sourceKeyFile))
	if err != nil || len(first) != 32 {
		t.Fatalf("%x %v", first, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, sourceKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the key file: %v %v", fi.Mode(), err)
	}
	if again, err := loadSourceKey(filepath.Join(dir, sourceKeyFile)); err != nil || string(again) != string(first) {
		t.Errorf("a second start made a new key: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, sourceKeyFile), []byte("not hex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSourceKey(filepath.Join(dir, sourceKeyFile)); err == nil || !strings.Contains(err.Error(), sourceKeyFile+":1: want a key") {
		t.Errorf("a damaged key: %v", err)
	}
}

// TestMigrateCopiesAnInbox: resume migrate --from --to copies every note,
// numbers and all, into an empty inbox, SQLite to SQLite and, when there
// is a PostgreSQL server to test against, SQLite to PostgreSQL; new notes
// are numbered after the copied ones, and a second copy is refused.
func TestMigrateCopiesAnInbox(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "old.db")
	store, err := inbox.OpenSQLite(src)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i, n := range []string{"Ann", "Bo", "Cy"} {
		if _, err := store.Add(ctx, inbox.Note{At: at.Add(time.Duration(i) * time.Hour), Name: n, Email: strings.ToLower(n) + "@example.com", Contact: true, Source: "abc"}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := store.Delete(ctx, 2); !ok {
		t.Fatal("delete")
	}
	_ = store.Close()
	targets := map[string]string{"sqlite": "sqlite://" + filepath.Join(dir, "new.db")}
	if os.Getenv("RESUME_TEST_DATABASE") != "" || os.Getenv("RESUME_E2E") == "1" {
		targets["postgres"] = inboxtest.Database(t)
	}
	for name, to := range targets {
		out, errOut, code := runCLI(t, nil, "migrate", "--from", "sqlite://"+src, "--to", to)
		if code != 0 || !strings.Contains(out, "copied 2 notes") {
			t.Fatalf("%s: exit %d %q %q", name, code, out, errOut)
		}
		list, _, _ := runCLI(t, nil, "inbox", "--database", to, "--format", "json")
		var notes []inbox.Note
		if err := json.Unmarshal([]byte(list), &notes); err != nil || len(notes) != 2 || notes[0].ID != 1 || notes[1].ID != 3 || notes[1].Name != "Cy" || !notes[1].At.Equal(at.Add(2*time.Hour)) || notes[1].Source != "abc" {
			t.Errorf("%s: copied %+v %v", name, notes, err)
		}
		if _, errOut, code := runCLI(t, nil, "migrate", "--from", "sqlite://"+src, "--to", to); code != 1 || !strings.Contains(errOut, "not empty") {
			t.Errorf("%s: a second copy: exit %d %q", name, code, errOut)
		}
		dst, err := openInbox(to, dir)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := dst.Add(ctx, inbox.Note{Name: "Di"}); err != nil || id != 4 {
			t.Errorf("%s: the next note is #%d, %v", name, id, err)
		}
		_ = dst.Close()
	}
	if _, _, code := runCLI(t, nil, "migrate", "--from", "sqlite://"+src); code != 2 {
		t.Errorf("--from alone: exit %d", code)
	}
}

// TestJSONLogsAreJSON: with --log-format json every line serve writes is
// JSON, what it read of the résumé and why it stopped among them, so that
// the deploy guide's jq filter reads a whole journal.
func TestJSONLogsAreJSON(t *testing.T) {
	dir := t.TempDir()
	cv := filepath.Join(dir, "cv.md")
	if err := os.WriteFile(cv, []byte("# Ann\n\n## SRE\n#### Acme (2019 - 2031)\n\n- x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{
			"a résumé with a warning, then a port it cannot have",
			[]string{"--resume", cv, "--listen", "256.0.0.1:22"},
			[]string{`"msg":"résumé read"`, `"warning":"` + cv + `:3: \"SRE\" ends in the future`, `"msg":"stopped"`},
		},
		{"a résumé it cannot read", []string{"--resume", filepath.Join(dir, "missing.md")}, []string{`"msg":"stopped"`, "read résumé"}},
	} {
		_, errOut, code := runCLI(t, map[string]string{"HOME": dir}, append([]string{"serve", "--log-format", "json", "--data-dir", dir}, tc.args...)...)
		if code == 0 {
			t.Errorf("%s: exit 0", tc.name)
		}
		for _, line := range strings.Split(strings.TrimSpace(errOut), "\n") {
			if !json.Valid([]byte(line)) {
				t.Errorf("%s: a line that is not JSON: %q", tc.name, line)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: lacks %s:\n%s", tc.name, w, errOut)
			}
		}
	}
}

// TestOwnerCommandsFindTheServersData: resume inbox and resume hostkey
// read a running unit's directory (STATE_DIRECTORY) on their own, and
// pointed at a place where no server keeps anything they make nothing
// and say where they looked.
func TestOwnerCommandsFindTheServersData(t *testing.T) {
	unit, home := t.TempDir(), t.TempDir()
	store, err := openInbox("", unit)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Add(context.Background(), inbox.Note{Name: "Ann", Email: "ann@example.com", Contact: true}); err != nil {
		t.Fatal(err)
	}
	_ = store.Close()
	if _, _, code := runCLI(t, map[string]string{"RESUME_DATA_DIR": unit}, "hostkey", "--create"); code != 0 {
		t.Fatal("no key made")
	}
	env := map[string]string{"HOME": home, "STATE_DIRECTORY": unit}
	if out, errOut, code := runCLI(t, env, "inbox"); code != 0 || !strings.Contains(out, "Ann") {
		t.Errorf("inbox with the unit's STATE_DIRECTORY: exit %d, %q %q", code, out, errOut)
	}
	if out, _, code := runCLI(t, env, "hostkey"); code != 0 || !strings.HasPrefix(out, "SHA256:") {
		t.Errorf("hostkey with the unit's STATE_DIRECTORY: exit %d, %q", code, out)
	}
	// Elsewhere: nothing is made, and the message says where it looked.
	empty := t.TempDir()
	_, errOut, code := runCLI(t, map[string]string{"HOME": home}, "inbox", "--data-dir", empty)
	if code != 1 || !strings.Contains(errOut, "no inbox in "+empty+", where no server has run; the systemd unit keeps its data in /var/lib/resume") {
		t.Errorf("inbox in an empty directory: exit %d, %q", code, errOut)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("inbox made %v", entries)
	}
}

// TestEqualAdminAddresses: --metrics-listen and --pprof-listen on one
// address used to drop one endpoint in silence; it is a usage error.
func TestEqualAdminAddresses(t *testing.T) {
	dir := t.TempDir()
	_, errOut, code := runCLI(t, map[string]string{"HOME": dir}, "serve", "--data-dir", dir, "--listen", "127.0.0.1:0",
		"--metrics-listen", "127.0.0.1:0", "--pprof-listen", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errOut, "--metrics-listen and --pprof-listen are both 127.0.0.1:0: give each an address of its own") {
		t.Errorf("equal admin addresses: exit %d, %q", code, errOut)
	}
}
