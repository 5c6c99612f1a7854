package server

import (
	"bufio"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
)

// SessionBytes is what one browser session holds at its worst: a 256×96
// window (DefaultMaxWidth×DefaultMaxHeight) with every view drawn,
// rounded up from the measurement in the README's Performance section.
// Capacity divides the memory the process may use by it.
const SessionBytes = 200 << 10

// Memory is how much memory the process may use, and what said so.
type Memory struct {
	Bytes int64
	From  string // "cgroup memory.max", "GOMEMLIMIT" or "MemTotal"
}

// MemoryLimit is the memory the process may use: its cgroup's (v2)
// memory.max, the tightest on the way up from its own cgroup; else the Go
// runtime's limit (GOMEMLIMIT), when it is set; else the machine's
// MemTotal. root is the file system to read /proc and /sys/fs/cgroup
// from (os.DirFS("/")), goLimit the runtime's limit (debug.SetMemoryLimit(-1)).
// The smallest of the cgroup's and the runtime's limits wins.
func MemoryLimit(root fs.FS, goLimit int64) Memory {
	best := Memory{}
	if b := cgroupMax(root); b > 0 {
		best = Memory{b, "cgroup memory.max"}
	}
	if goLimit > 0 && goLimit < math.MaxInt64 && (best.Bytes == 0 || goLimit < best.Bytes) {
		best = Memory{goLimit, "GOMEMLIMIT"}
	}
	if best.Bytes == 0 {
		if b := memTotal(root); b > 0 {
			best = Memory{b, "MemTotal"}
		}
	}
	return best
}

// cgroupMax is the tightest memory.max from the process's cgroup up to
// the root, or 0 when none is set (or there is no cgroup v2).
func cgroupMax(root fs.FS) int64 {
	b, err := fs.ReadFile(root, "proc/self/cgroup")
	if err != nil {
		return 0
	}
	dir := ""
	for line := range strings.SplitSeq(string(b), "\n") {
		if p, ok := strings.CutPrefix(line, "0::"); ok { // the v2 hierarchy
			dir = strings.Trim(p, "/")
		}
	}
	var tightest int64
	for {
		if v, err := fs.ReadFile(root, path.Join("sys/fs/cgroup", dir, "memory.max")); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64); err == nil && n > 0 && (tightest == 0 || n < tightest) {
				tightest = n
			}
		}
		if dir == "" || dir == "." {
			return tightest
		}
		dir = path.Dir(dir)
		if dir == "." {
			dir = ""
		}
	}
}

// memTotal is /proc/meminfo's MemTotal, or 0.
func memTotal(root fs.FS) int64 {
	f, err := root.Open("proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// minCapacity is the fewest sessions Capacity gives, however little
// memory there is: a server that takes nobody helps nobody.
const minCapacity = 16

// Capacity is how many sessions fit in mem: a fifth is kept for the
// runtime, the shared caches and the heap's growth, loginMemory for the
// people at the host-key prompt, and the rest is divided by the cost of
// a session at its worst. Files bounds it too: each session and each
// login holds a descriptor, and 64 are kept for the rest.
func Capacity(mem Memory, loginMemory int64, files int64) int {
	usable := mem.Bytes/5*4 - loginMemory
	n := max(minCapacity, int(usable/SessionBytes))
	if files > 0 {
		n = min(n, max(minCapacity, int(files-loginMemory/WaitingConnBytes-64)))
	}
	return n
}

// String is the memory for the log: "1.0 GiB from cgroup memory.max".
func (m Memory) String() string {
	return fmt.Sprintf("%s from %s", sizeString(m.Bytes), m.From)
}

// sizeString writes a size in binary units: "1.0 GiB", "512 MiB".
func sizeString(b int64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%d MiB", b>>20)
	}
	return fmt.Sprintf("%d KiB", b>>10)
}
