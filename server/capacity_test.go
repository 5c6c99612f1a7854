package server

import (
	"math"
	"testing"
	"testing/fstest"
)

// TestMemoryLimit reads the memory the process may use from where each
// kind of machine says it: a systemd unit's cgroup (the tightest limit on
// the way up), a container's own root cgroup, the runtime's GOMEMLIMIT
// when that is lower, and the machine's MemTotal when nothing is set.
func TestMemoryLimit(t *testing.T) {
	meminfo := &fstest.MapFile{Data: []byte("MemTotal:       24576000 kB\nMemFree:        1000 kB\n")}
	for _, tc := range []struct {
		name    string
		files   fstest.MapFS
		goLimit int64
		want    Memory
	}{
		{"systemd unit", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte("0::/system.slice/resume.service\n")},
			"sys/fs/cgroup/system.slice/resume.service/memory.max": {Data: []byte("536870912\n")},
			"sys/fs/cgroup/system.slice/memory.max":                {Data: []byte("max\n")},
			"proc/meminfo":                                         meminfo,
		}, math.MaxInt64, Memory{512 << 20, "cgroup memory.max"}},
		{"a parent's limit is tighter", fstest.MapFS{
			"proc/self/cgroup":             {Data: []byte("0::/a/b\n")},
			"sys/fs/cgroup/a/b/memory.max": {Data: []byte("max\n")},
			"sys/fs/cgroup/a/memory.max":   {Data: []byte("268435456\n")},
			"proc/meminfo":                 meminfo,
		}, math.MaxInt64, Memory{256 << 20, "cgroup memory.max"}},
		{"container", fstest.MapFS{
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("1073741824\n")},
		}, math.MaxInt64, Memory{1 << 30, "cgroup memory.max"}},
		{"GOMEMLIMIT under the cgroup's", fstest.MapFS{
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("536870912\n")},
		}, 400 << 20, Memory{400 << 20, "GOMEMLIMIT"}},
		{"no limit anywhere", fstest.MapFS{
			"proc/self/cgroup":         {Data: []byte("0::/user.slice\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("max\n")},
			"proc/meminfo":             meminfo,
		}, math.MaxInt64, Memory{24576000 << 10, "MemTotal"}},
		{"cgroup v1", fstest.MapFS{
			"proc/self/cgroup": {Data: []byte("12:memory:/docker/abc\n")},
			"proc/meminfo":     meminfo,
		}, math.MaxInt64, Memory{24576000 << 10, "MemTotal"}},
	} {
		if got := MemoryLimit(tc.files, tc.goLimit); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// TestCapacity: sessions in proportion to memory after the runtime's
// fifth and the login memory, never past the descriptors, never none.
func TestCapacity(t *testing.T) {
	gib := Memory{1 << 30, "cgroup memory.max"}
	one := Capacity(gib, DefaultLoginMemory, 0)
	if want := int(((1<<30)/5*4 - DefaultLoginMemory) / SessionBytes); one != want {
		t.Errorf("1 GiB: %d sessions, want %d", one, want)
	}
	if two := Capacity(Memory{2 << 30, "x"}, DefaultLoginMemory, 0); two < 2*one {
		t.Errorf("2 GiB holds %d, under twice 1 GiB's %d", two, one)
	}
	if n := Capacity(gib, DefaultLoginMemory, 4096); n != 4096-1024-64 && n > 4096 {
		t.Errorf("4,096 descriptors: %d sessions", n)
	}
	if n := Capacity(gib, DefaultLoginMemory, 2000); n != 2000-1024-64 {
		t.Errorf("2,000 descriptors: %d sessions, want %d", n, 2000-1024-64)
	}
	if n := Capacity(Memory{32 << 20, "x"}, DefaultLoginMemory, 0); n != minCapacity {
		t.Errorf("32 MiB: %d sessions, want the floor %d", n, minCapacity)
	}
	if s := gib.String(); s != "1.0 GiB from cgroup memory.max" {
		t.Errorf("%q", s)
	}
}
