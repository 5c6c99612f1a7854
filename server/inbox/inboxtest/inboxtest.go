// Package inboxtest gives tests real PostgreSQL databases: a new database
// on the server that RESUME_TEST_DATABASE names, or a server of a test's
// own that it may stop and start.
package inboxtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
)

// skip ends the test when PostgreSQL is not there to test against, or
// fails it when RESUME_E2E=1 (CI) says it must be.
func skip(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("RESUME_E2E") == "1" {
		t.Fatalf("%s; it is required with RESUME_E2E=1 (.ci/run provides it)", why)
	}
	t.Skip(why)
}

// Database is the URL of a new, empty database on the server that
// RESUME_TEST_DATABASE names, dropped when the test ends.
func Database(t testing.TB) string {
	t.Helper()
	base := os.Getenv("RESUME_TEST_DATABASE")
	if base == "" {
		skip(t, "no PostgreSQL: set RESUME_TEST_DATABASE=postgres://… to run this test")
	}
	return newDatabase(t, base)
}

func newDatabase(t testing.TB, base string) string {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("PostgreSQL at %s: %v", base, err)
	}
	defer admin.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "resume_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return // the test's own server, already gone
		}
		defer c.Close(ctx)
		_, _ = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Server is a PostgreSQL server of one test's own, which it may stop and
// start again.
type Server struct {
	t          testing.TB
	bin, data  string
	port, sock string
	cred       *syscall.Credential // who runs it: never root
}

// Start makes and starts a PostgreSQL server in a temporary directory on
// a free loopback port; it is stopped when the test ends. It returns the
// server and a new database's URL on it.
func Start(t testing.TB) (*Server, string) {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		skip(t, "PostgreSQL is not installed (Debian: postgresql)")
	}
	sort.Strings(bins)
	s := &Server{t: t, bin: filepath.Dir(bins[len(bins)-1])}
	dir, err := os.MkdirTemp("", "resume-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		nobody, err := user.Lookup("nobody")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.ParseUint(nobody.Uid, 10, 32)
		gid, _ := strconv.ParseUint(nobody.Gid, 10, 32)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, int(uid), int(gid)); err != nil {
			t.Fatal(err)
		}
	}
	s.data, s.sock = filepath.Join(dir, "data"), dir
	s.run("initdb", "-D", s.data, "-U", "resume", "--auth=trust", "-E", "UTF8")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, s.port, _ = net.SplitHostPort(l.Addr().String())
	_ = l.Close()
	s.StartAgain()
	t.Cleanup(func() { s.run("pg_ctl", "-D", s.data, "-m", "immediate", "stop") })
	return s, newDatabase(t, fmt.Sprintf("postgres://resume@127.0.0.1:%s/postgres?sslmode=disable", s.port))
}

// Stop stops the server, as an outage would.
func (s *Server) Stop() { s.run("pg_ctl", "-D", s.data, "-m", "fast", "-w", "stop") }

// StartAgain starts the server, on the same port.
func (s *Server) StartAgain() {
	s.run("pg_ctl", "-D", s.data, "-l", filepath.Join(s.sock, "server.log"), "-w",
		"-o", "-p "+s.port+" -k "+s.sock+" -c listen_addresses=127.0.0.1", "start")
}

func (s *Server) run(tool string, args ...string) {
	s.t.Helper()
	cmd := exec.Command(filepath.Join(s.bin, tool), args...) //nolint:gosec // PostgreSQL's own tools, from its install directory
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	cmd.Dir = s.sock
	if out, err := cmd.CombinedOutput(); err != nil {
		s.t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}
