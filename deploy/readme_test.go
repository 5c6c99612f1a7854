package deploy

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// shellBlocks are the README's sh code blocks, in order.
func shellBlocks(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

// TestReadmeCopiesWhatItInstalls follows deploy/README.md on paper: every
// file the server's steps install from /tmp was copied there in an
// earlier step (the unit file once was not).
func TestReadmeCopiesWhatItInstalls(t *testing.T) {
	copied := map[string]bool{}
	scp := regexp.MustCompile(`(?m)^scp (?:-P \d+ )?(.+?) \S+:/tmp/`)
	install := regexp.MustCompile(`(?m)^sudo install (?:-\S+ )*(?:\S+ )?/tmp/(\S+) `)
	n := 0
	for _, block := range shellBlocks(t) {
		for _, line := range strings.Split(block, "\n") {
			if m := scp.FindStringSubmatch(line); m != nil {
				for _, f := range strings.Fields(m[1]) {
					copied[f[strings.LastIndex(f, "/")+1:]] = true
				}
			}
			if strings.HasPrefix(line, "sudo install ") && regexp.MustCompile(` (deploy|\./)\S*`).MatchString(line) {
				t.Errorf("%q installs a file of the repository on the server, which has only what was copied", line)
			}
			if m := install.FindStringSubmatch(line); m != nil {
				n++
				if !copied[m[1]] {
					t.Errorf("%q installs /tmp/%s, which no earlier step copies to the server", line, m[1])
				}
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d installs from /tmp; the steps are not where this test looks", n)
	}
}

// TestReadmeCoversOwnResumeAndArm64: the guide shows how to serve your own
// résumé in each deployment, and builds for arm64 as well as amd64.
func TestReadmeCoversOwnResumeAndArm64(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, want := range []string{
		"systemctl edit resume", "Environment=RESUME_RESUME=", // systemd
		"RESUME_RESUME: /etc/resume/resume.md", "./resume.md:/etc/resume/resume.md:ro", // compose
		"kubectl create configmap", "{name: RESUME_RESUME,", // Kubernetes
		"ARCH=amd64   # or arm64", "--platform linux/amd64,linux/arm64", // processors
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("deploy/README.md lacks %q", want)
		}
	}
	df, err := os.ReadFile("container/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(df), "GOARCH=${TARGETARCH}") {
		t.Error("the Dockerfile builds for its own processor only")
	}
}

// TestBuildsForArm64 cross-compiles the release build for arm64, which
// many small VPSs run. It takes a minute the first time, so it runs with
// RESUME_E2E=1.
func TestBuildsForArm64(t *testing.T) {
	if os.Getenv("RESUME_E2E") != "1" {
		t.Skip("cross-compiling takes a while; RESUME_E2E=1 runs it")
	}
	cmd := exec.Command("go", "build", "-trimpath", "-o", t.TempDir()+"/resume", "../cmd/resume")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOARCH=arm64 go build: %v\n%s", err, out)
	}
}

// TestReadmeFollowedOnPaper: the guide's steps work one after another as
// written: the administrator's port is not put under the résumé's host
// name (step 3's ssh would reach sshd), the old port-22 key is forgotten
// before the first visit, the inbox is read on the server, and the
// owner's key is given to a service that cannot read /home.
func TestReadmeFollowedOnPaper(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	if regexp.MustCompile(`(?m)^Host resume\.example\.com\s*\n(\s+.*\n)*?\s+Port 2222`).MatchString(doc) {
		t.Error("the guide puts Port 2222 under resume.example.com, so ssh resume.example.com reaches sshd")
	}
	keygen, visit := strings.Index(doc, "ssh-keygen -R resume.example.com"), strings.Index(doc, "\nssh resume.example.com ")
	if keygen < 0 || visit < 0 || keygen > visit {
		t.Errorf("the old host key is not forgotten before the first visit (ssh-keygen -R at %d, ssh at %d)", keygen, visit)
	}
	for _, want := range []string{
		"sudo resume inbox --data-dir /var/lib/resume",
		"sudo install -D -m 0644 /tmp/id_ed25519.pub /etc/resume/owner_keys",
		"Environment=RESUME_OWNER_KEYS=/etc/resume/owner_keys",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("deploy/README.md lacks %q", want)
		}
	}
	for _, block := range shellBlocks(t) {
		if strings.Contains(block, "--owner-keys ~/") || strings.Contains(block, "RESUME_OWNER_KEYS=/home") {
			t.Errorf("an owner's key under /home, which ProtectHome=yes hides:\n%s", block)
		}
		if strings.Contains(block, "resume hostkey --data-dir /tmp") || strings.Contains(block, "resume hostkey --data-dir ./") {
			t.Errorf("a key for a new setup without --create, which now makes nothing:\n%s", block)
		}
	}
}
