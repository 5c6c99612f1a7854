package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/resume-ssh/resume/server"
	"github.com/resume-ssh/resume/server/inbox"
	"github.com/resume-ssh/resume/server/inbox/inboxtest"
)

var savedAs = regexp.MustCompile(`^thanks — saved as #(\d+)\n$`)

// helloFrom is a visitor at src running ssh -T HOST hello with input: the
// note's number when the server said it was saved, else an error.
func helloFrom(port, src, input string) (int64, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 10 * time.Second}
	conn, err := d.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, chans, reqs, err := gossh.NewClientConn(conn, conn.RemoteAddr().String(), &gossh.ClientConfig{
		User: "visitor", HostKeyCallback: gossh.InsecureIgnoreHostKey(), //nolint:gosec // a test's own server
	})
	if err != nil {
		return 0, err
	}
	client := gossh.NewClient(c, chans, reqs)
	defer client.Close()
	sess, err := client.NewSession()
	if err != nil {
		return 0, err
	}
	var out, errOut bytes.Buffer
	sess.Stdin, sess.Stdout, sess.Stderr = strings.NewReader(input), &out, &errOut
	if err := sess.Run("hello"); err != nil {
		return 0, fmt.Errorf("%w: %s", err, errOut.String())
	}
	m := savedAs.FindStringSubmatch(out.String())
	if m == nil {
		return 0, fmt.Errorf("stdout %q", out.String())
	}
	return strconv.ParseInt(m[1], 10, 64)
}

// listInbox is resume inbox --format json with the flags that name the
// inbox (--data-dir DIR or --database URL), by number.
func listInbox(t *testing.T, where ...string) map[int64]inbox.Note {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, append([]string{"inbox", "--format", "json"}, where...)...).Output()
	if err != nil {
		t.Fatalf("resume inbox: %v", err)
	}
	var notes []inbox.Note
	if err := json.Unmarshal(out, &notes); err != nil {
		t.Fatal(err)
	}
	byID := map[int64]inbox.Note{}
	for _, n := range notes {
		byID[n.ID] = n
	}
	return byID
}

func visitorNote(i int) (name, input string) {
	name = fmt.Sprintf("Visitor %02d", i)
	return name, fmt.Sprintf("%s\nv%02d@example.com\nMet at the booth, table %d\ny\n", name, i, i)
}

// TestFortyVisitorsThenSIGKILL: forty visitors, each from an address of
// their own, send notes at once; the server is killed with SIGKILL
// partway through and started again. Every note a visitor was told is
// saved is there, whole.
func TestFortyVisitorsThenSIGKILL(t *testing.T) {
	dir := t.TempDir()
	inst := startBinaryIn(t, dir, nil)
	var mu sync.Mutex
	told := map[int64]int{} // #N → visitor
	acked := make(chan struct{}, 40)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			_, input := visitorNote(i)
			id, err := helloFrom(inst.port, fmt.Sprintf("127.0.0.%d", 10+i), input)
			if err != nil {
				return // cut off by the kill: never told it was saved
			}
			mu.Lock()
			told[id] = i
			mu.Unlock()
			acked <- struct{}{}
		})
	}
	for range 10 {
		select {
		case <-acked:
		case <-time.After(30 * time.Second):
			t.Fatalf("ten notes were not saved in 30 s\n%s", inst.logs)
		}
	}
	if err := inst.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = inst.cmd.Wait()
	wg.Wait()
	if len(told) < 10 {
		t.Fatalf("%d acknowledged", len(told))
	}
	again := startBinaryIn(t, dir, nil)
	notes := listInbox(t, "--data-dir", dir)
	for id, i := range told {
		name, _ := visitorNote(i)
		n, ok := notes[id]
		if !ok || n.Name != name || n.Email != fmt.Sprintf("v%02d@example.com", i) || n.Message != fmt.Sprintf("Met at the booth, table %d", i) || !n.Contact {
			t.Errorf("#%d, told to %s, is %+v (present: %v)", id, name, n, ok)
		}
	}
	t.Logf("%d of 40 told their note was saved before the kill; %d notes kept", len(told), len(notes))
	// The restarted server takes notes again, numbered after the rest.
	_, input := visitorNote(99)
	if id, err := helloFrom(again.port, "127.0.0.99", input); err != nil || int(id) <= len(told) {
		t.Errorf("after the restart: #%d %v", id, err)
	}
}

// TestDiskFullOverSSH: the server runs with a file size limit that the
// inbox soon reaches, as on a full disk. A note that cannot be stored is
// refused in words the visitor can act on, and none acknowledged is lost.
func TestDiskFullOverSSH(t *testing.T) {
	prlimit := needTool(t, "prlimit")
	dir := t.TempDir()
	inst := startBinaryIn(t, dir, []string{prlimit, "--fsize=160000"}, "--penalty-exempt", "127.0.0.0/8")
	var told []int64
	var refusal error
	for i := 0; i < 200 && refusal == nil; i++ {
		_, input := visitorNote(i)
		id, err := helloFrom(inst.port, "127.0.0.1", strings.Replace(input, "Met at", strings.Repeat("a long message ", 60)+"Met at", 1))
		if err != nil {
			refusal = err
			break
		}
		told = append(told, id)
	}
	if refusal == nil || !strings.Contains(refusal.Error(), "not saved: couldn't save — please try again in a minute") || len(told) == 0 {
		t.Fatalf("after %d notes: %v\n%s", len(told), refusal, inst.logs)
	}
	inst.waitLog(t, "note not saved") // the operator is told
	if err := inst.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = inst.cmd.Wait()
	notes := listInbox(t, "--data-dir", dir)
	for _, id := range told {
		if _, ok := notes[id]; !ok {
			t.Errorf("#%d was acknowledged and is gone", id)
		}
	}
	t.Logf("%d notes saved before the limit; %s", len(told), refusal)
}

// TestReadOnlyDataDir: an inbox in a directory the server cannot write
// stops start-up with a clear error; --hello=false starts without one.
func TestReadOnlyDataDir(t *testing.T) {
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	first := startBinaryIn(t, dir, nil) // makes the host key and the inbox
	_ = first.cmd.Process.Signal(os.Interrupt)
	_ = first.cmd.Wait()
	cmd := func(args ...string) *exec.Cmd {
		return exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0", "--data-dir", dir}, args...)...)
	}
	attrs := &syscall.SysProcAttr{}
	if os.Geteuid() == 0 {
		// Root writes anywhere: the server runs as nobody, who owns the
		// files but may not write the directory.
		const nobody = 65534
		attrs.Credential = &syscall.Credential{Uid: nobody, Gid: nobody}
		runnable := t.TempDir()
		for _, d := range []string{runnable, filepath.Dir(runnable), filepath.Dir(dir)} {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		b, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		bin = filepath.Join(runnable, "resume")
		if err := os.WriteFile(bin, b, 0o755); err != nil { //nolint:gosec // a binary nobody must run
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range append(entries, nil) {
			p := dir
			if e != nil {
				p = filepath.Join(dir, e.Name())
			}
			if err := os.Chown(p, nobody, nobody); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o700) })
	c := cmd()
	c.SysProcAttr = attrs
	var errOut bytes.Buffer
	c.Stderr = &errOut
	done := make(chan error, 1)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(errOut.String(), "is not writable, and the inbox needs to write there (or run with --hello=false)") {
			t.Errorf("exit %v:\n%s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		_ = c.Process.Kill()
		t.Fatalf("the server started on a read-only directory:\n%s", errOut.String())
	}
	// Without the inbox it serves, reading the host key it has.
	off := cmd("--hello=false")
	off.SysProcAttr = attrs
	var offErr lockedBuf
	off.Stderr = &offErr
	if err := off.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = off.Process.Kill(); _ = off.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(offErr.String(), "listening") {
		if time.Now().After(deadline) {
			t.Fatalf("--hello=false on a read-only directory:\n%s", offErr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestReplicasShareOnePostgres: two replicas behind HAProxy keep their
// notes in one PostgreSQL database. Forty visitors send notes at once
// through the balancer, one replica is killed with SIGKILL partway, and
// those it cut off try again. resume inbox --database lists all forty,
// each thanked note whole; both replicas took notes.
func TestReplicasShareOnePostgres(t *testing.T) {
	haproxy := needTool(t, "haproxy")
	db := inboxtest.Database(t)
	keyDir := t.TempDir()
	if _, err := server.LoadOrCreateHostKey(keyDir); err != nil {
		t.Fatal(err)
	}
	args := []string{"--host-key", filepath.Join(keyDir, server.HostKeyFile), "--inbox-key", filepath.Join(keyDir, sourceKeyFile), "--proxy-protocol-from", "127.0.0.1/32", "--database", db}
	r1, r2 := startBinary(t, args...), startBinary(t, args...)
	_, front, _ := net.SplitHostPort(startHAProxy(t, haproxy, r1.port, r2.port))

	var mu sync.Mutex
	told := map[int64]int{}
	acked := make(chan struct{}, 40)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			// A visitor whose replica dies tries again, as people do, until
			// thanked; the same email makes a retry update the note a
			// cut-off try may have left, not add another.
			_, input := visitorNote(i)
			deadline := time.Now().Add(30 * time.Second)
			for time.Now().Before(deadline) {
				id, err := helloFrom(front, fmt.Sprintf("127.0.0.%d", 10+i), input)
				if err != nil {
					time.Sleep(50 * time.Millisecond)
					continue
				}
				mu.Lock()
				told[id] = i
				mu.Unlock()
				acked <- struct{}{}
				return
			}
		})
	}
	for range 10 {
		select {
		case <-acked:
		case <-time.After(30 * time.Second):
			t.Fatalf("ten notes were not saved in 30 s\n%s\n%s", r1.logs, r2.logs)
		}
	}
	if err := r1.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = r1.cmd.Wait()
	wg.Wait()

	byID := listInbox(t, "--database", db)
	for id, i := range told {
		name, _ := visitorNote(i)
		if n, ok := byID[id]; !ok || n.Name != name || n.Message != fmt.Sprintf("Met at the booth, table %d", i) {
			t.Errorf("#%d, told to %s, is %+v (present: %v)", id, name, n, ok)
		}
	}
	for _, r := range []*instance{r1, r2} {
		r.waitLog(t, "note saved") // both replicas took notes
	}
	if len(told) != 40 || len(byID) != 40 {
		t.Errorf("%d of 40 visitors thanked, %d notes in the shared inbox; want 40 and 40", len(told), len(byID))
	}
}

// TestReplicasRideOutADatabaseRestart: two replicas behind HAProxy on one
// PostgreSQL server, which is stopped while visitors keep sending notes
// and then started again. Throughout, the résumé is served, /healthz is
// up and /readyz says the inbox is not; no visitor is thanked for a note
// that is not kept; afterwards the same two processes, never restarted,
// take notes again.
func TestReplicasRideOutADatabaseRestart(t *testing.T) {
	haproxy := needTool(t, "haproxy")
	pg, db := inboxtest.Start(t)
	keyDir := t.TempDir()
	if _, err := server.LoadOrCreateHostKey(keyDir); err != nil {
		t.Fatal(err)
	}
	var replicas []*instance
	var metrics []string
	httpAt := regexp.MustCompile(`http listening addr=127\.0\.0\.1:(\d+)`)
	for range 2 {
		r := startBinary(t, "--host-key", filepath.Join(keyDir, server.HostKeyFile), "--inbox-key", filepath.Join(keyDir, sourceKeyFile),
			"--proxy-protocol-from", "127.0.0.1/32", "--database", db, "--metrics-listen", "127.0.0.1:0")
		m := httpAt.FindStringSubmatch(r.logs.String())
		if m == nil {
			t.Fatalf("no metrics address:\n%s", r.logs)
		}
		replicas, metrics = append(replicas, r), append(metrics, m[1])
	}
	_, front := must2(net.SplitHostPort(startHAProxy(t, haproxy, replicas[0].port, replicas[1].port)))
	get := func(port, path string) int {
		resp, err := http.Get("http://127.0.0.1:" + port + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	var mu sync.Mutex
	told := map[int64]string{}
	send := func(i int) error {
		name, input := visitorNote(i)
		id, err := helloFrom(front, fmt.Sprintf("127.0.%d.%d", i/200, 10+i%200), input)
		if err == nil {
			mu.Lock()
			told[id] = name
			mu.Unlock()
		}
		return err
	}
	for i := range 4 {
		if err := send(i); err != nil {
			t.Fatalf("before the outage: %v\n%s\n%s", err, replicas[0].logs, replicas[1].logs)
		}
	}
	pg.Stop()
	refused := 0
	for i := 4; i < 8; i++ {
		if err := send(i); err != nil && strings.Contains(err.Error(), "couldn't save — please try again in a minute") {
			refused++
		}
	}
	if refused != 4 {
		t.Errorf("%d of 4 notes refused during the outage", refused)
	}
	for _, m := range metrics {
		if get(m, "/healthz") != http.StatusOK || get(m, "/readyz") != http.StatusServiceUnavailable {
			t.Errorf("during the outage: /healthz %d, /readyz %d", get(m, "/healthz"), get(m, "/readyz"))
		}
	}
	if out, err := exec.Command(needTool(t, "ssh"), append(sshArgs(t, front), "text")...).Output(); err != nil || !strings.Contains(string(out), "Principal Engineer") {
		t.Errorf("the résumé is not served during the outage: %v", err)
	}
	pg.StartAgain()
	next := 8
	for _, m := range metrics {
		deadline := time.Now().Add(30 * time.Second)
		for get(m, "/readyz") != http.StatusOK {
			if time.Now().After(deadline) {
				t.Fatalf("a replica is not ready 30 s after the database came back")
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	for i := range 6 { // through both replicas, round robin
		if err := send(next + i); err != nil {
			t.Errorf("after the outage: %v", err)
		}
	}
	for _, r := range replicas {
		if r.cmd.ProcessState != nil {
			t.Errorf("a replica exited: %v", r.cmd.ProcessState)
		}
	}
	// One visitor's five-an-hour holds across the replicas, which share
	// the database and the inbox key: the balancer alternates, and the
	// sixth is refused.
	for i := range 6 {
		_, input := visitorNote(100 + i)
		id, err := helloFrom(front, "127.0.0.250", input)
		switch {
		case i < 5 && err != nil:
			t.Errorf("note %d from one visitor: %v", i+1, err)
		case i < 5:
			told[id] = fmt.Sprintf("Visitor %02d", 100+i)
		case err == nil || !strings.Contains(err.Error(), "5 notes in an hour"):
			t.Errorf("a sixth note from one visitor through two replicas: %v", err)
		}
	}
	notes := listInbox(t, "--database", db)
	for id, name := range told {
		if n, ok := notes[id]; !ok || n.Name != name {
			t.Errorf("#%d, told to %s, is %+v", id, name, n)
		}
	}
	if len(notes) != len(told) || len(told) != 15 {
		t.Errorf("%d thanked, %d kept; want 15 and 15", len(told), len(notes))
	}
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// waitLog waits for want in the server's log, which a goroutine copies
// from its standard error as it comes.
func (inst *instance) waitLog(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(inst.logs.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("%q never logged:\n%s", want, inst.logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
