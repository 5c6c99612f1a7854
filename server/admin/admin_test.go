package admin

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"charm.land/log/v2"
)

func TestServeAndStop(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ls := &Listeners{Logger: log.New(io.Discard), Endpoints: []Endpoint{{"pprof", addr, Pprof()}, {"off", "", http.NotFoundHandler()}}}
	if err := ls.Serve(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("pprof: %s", resp.Status)
	}
	if err := ls.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
	if resp, err := http.Get("http://" + addr + "/"); err == nil {
		resp.Body.Close()
		t.Error("still serving after stop")
	}
	// A taken address is an error, and nothing is left serving.
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	if err := (&Listeners{Endpoints: []Endpoint{{"pprof", taken.Addr().String(), Pprof()}}}).Serve(); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("a taken address: %v", err)
	}
}

// TestEqualAddressesAreRefused: two endpoints on one address would drop
// one in silence; they are refused by name, and nothing is left serving.
func TestEqualAddressesAreRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ls := &Listeners{Endpoints: []Endpoint{
		{"--metrics-listen", addr, http.NotFoundHandler()},
		{"--pprof-listen", addr, Pprof()},
	}}
	err = ls.Serve()
	if err == nil || err.Error() != "--metrics-listen and --pprof-listen are both "+addr+": give each an address of its own" {
		t.Fatalf("equal addresses: %v", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("something is listening after the refusal")
	}
}
