package admin

import (
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
	stop, err := Serve(log.New(io.Discard), map[string]http.Handler{addr: Pprof(), "": http.NotFoundHandler()})
	if err != nil {
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
	stop()
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
	if _, err := Serve(log.New(io.Discard), map[string]http.Handler{taken.Addr().String(): Pprof()}); err == nil || !strings.Contains(err.Error(), "listen") {
		t.Errorf("a taken address: %v", err)
	}
}
