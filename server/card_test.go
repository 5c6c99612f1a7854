package server

import (
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/content"
)

// TestVCardAndCardCommands: ssh HOST vcard prints the owner's vCard 4.0;
// ssh HOST card prints the card, with the QR code in half blocks on a
// terminal and the URL alone without one; a résumé that names nobody
// says so, exit 1.
func TestVCardAndCardCommands(t *testing.T) {
	doc, err := content.ParseNamed("cv.md", []byte("---\nname: Ann Example\nlabel: Staff SRE\nemail: ann@example.com\nurl: https://ann.example.com\n---\n\n# About\n"))
	if err != nil {
		t.Fatal(err)
	}
	ts := startServerDoc(t, Config{}, doc)
	out, errOut, status := ts.run(t, "vcard")
	if status != 0 || out != "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Example\r\nTITLE:Staff SRE\r\nEMAIL:ann@example.com\r\nURL:https://ann.example.com\r\nEND:VCARD\r\n" {
		t.Errorf("vcard: status %d, %q, %q", status, out, errOut)
	}
	out, _, status = ts.run(t, "card")
	if status != 0 || !strings.HasPrefix(out, "Ann Example\nStaff SRE\nemail    ann@example.com\n") || !strings.HasSuffix(out, "\nhttps://ann.example.com\n") || strings.ContainsAny(out, "▀▄█\x1b") {
		t.Errorf("card without a terminal: status %d:\n%s", status, out)
	}
	sess := ts.session(t)
	if err := sess.RequestPty("xterm-256color", 40, 100, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	b, err := sess.Output("card")
	if err != nil || !strings.Contains(string(b), "▀") || !strings.Contains(string(b), "\r\nhttps://ann.example.com\r\n") {
		t.Errorf("card on a terminal: %v:\n%s", err, b)
	}

	seed := startServer(t, Config{})
	for _, cmd := range []string{"vcard", "card"} {
		if _, errOut, status := seed.run(t, cmd); status != 1 || !strings.Contains(errOut, "no contact card") {
			t.Errorf("%s from the seed: status %d, %q", cmd, status, errOut)
		}
	}
	if out, _, _ := seed.run(t, "help"); !strings.Contains(out, "  vcard ") || !strings.Contains(out, "  card ") {
		t.Errorf("help does not list vcard and card:\n%s", out)
	}
}
