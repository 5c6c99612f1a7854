package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// TestSSHFPMatchesRFC7479: the RFC's example record hashes the whole key
// blob, type and length prefixes included.
func TestSSHFPMatchesRFC7479(t *testing.T) {
	k, _, _, _, err := gossh.ParseAuthorizedKey([]byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGPKSUTyz1HwHReFVvD5obVsALAgJRNarH4TRpNePnAS"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := SSHFP("host.example.com", k)
	if want := "host.example.com IN SSHFP 4 2 a87f1b687ac0e57d2a081a2f282672334d90ed316d2b818ca9580ea384d92401"; err != nil || got != want {
		t.Errorf("SSHFP = %q, %v\nwant  %q", got, err, want)
	}
}

// TestSSHFPRefusesUnknownKeyTypes: a key type with no SSHFP algorithm
// number is an error, not a wrong record.
func TestSSHFPRefusesUnknownKeyTypes(t *testing.T) {
	blob := sshString(sshString(sshString(nil, gossh.KeyAlgoSKED25519), strings.Repeat("k", 32)), "ssh:")
	k, err := gossh.ParsePublicKey(blob)
	if err != nil {
		t.Fatal(err)
	}
	if rec, err := SSHFP("h", k); err == nil {
		t.Errorf("a security-key host key gave %q", rec)
	}
}

// TestHostKeyToolsAgreeWithSSHKeygen: for each key type ssh-keygen makes,
// the SSHFP record is ssh-keygen -r's and the randomart ssh-keygen -lv's.
func TestHostKeyToolsAgreeWithSSHKeygen(t *testing.T) {
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		if os.Getenv("RESUME_E2E") == "1" {
			t.Fatal("ssh-keygen is required with RESUME_E2E=1")
		}
		t.Skip("ssh-keygen not installed")
	}
	for _, typ := range []string{"ed25519", "ecdsa", "rsa"} {
		path := filepath.Join(t.TempDir(), "key")
		if out, err := exec.Command(keygen, "-q", "-t", typ, "-N", "", "-f", path).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", typ, err, out)
		}
		signer, err := LoadHostKey(path)
		if err != nil {
			t.Fatal(err)
		}
		k := signer.PublicKey()
		want, err := exec.Command(keygen, "-r", "h", "-f", path+".pub").Output()
		if err != nil {
			t.Fatal(err)
		}
		got, err := SSHFP("h", k)
		if err != nil || !strings.Contains(string(want), got+"\n") {
			t.Errorf("%s: SSHFP %q, %v; ssh-keygen -r:\n%s", typ, got, err, want)
		}
		lv, err := exec.Command(keygen, "-lv", "-f", path+".pub").Output()
		if err != nil {
			t.Fatal(err)
		}
		if art := Randomart(k); !strings.HasSuffix(string(lv), art) {
			t.Errorf("%s: randomart\n%s\nssh-keygen -lv:\n%s", typ, art, lv)
		}
	}
}

// TestSlide: the block for a slide says what to type and what to check.
func TestSlide(t *testing.T) {
	k, err := ephemeralKey()
	if err != nil {
		t.Fatal(err)
	}
	s := Slide("resume.example.com", 22, k.PublicKey())
	for _, want := range []string{"ssh resume.example.com\n", Fingerprint(k.PublicKey()), Randomart(k.PublicKey()), KnownHostsLine("resume.example.com", 22, k.PublicKey())} {
		if !strings.Contains(s, want) {
			t.Errorf("the slide lacks %q:\n%s", want, s)
		}
	}
	if s := Slide("resume.example.com", 2222, k.PublicKey()); !strings.HasPrefix(s, "ssh -p 2222 resume.example.com\n") {
		t.Errorf("on another port the slide starts %q", strings.SplitN(s, "\n", 2)[0])
	}
}
