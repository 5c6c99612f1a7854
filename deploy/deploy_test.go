// Package deploy holds the deployment files; its tests check their
// invariants so that they cannot drift from the server or each other.
package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

type container struct {
	Name  string
	Image string
	Args  []string
	Env   []struct {
		Name, Value string
		ValueFrom   *struct {
			SecretKeyRef *struct{ Name, Key string } `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	}
	Ports []struct {
		Name          string
		ContainerPort int `yaml:"containerPort"`
	}
	Resources struct {
		Requests map[string]string
		Limits   map[string]string
	}
	ReadinessProbe *probe `yaml:"readinessProbe"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
	VolumeMounts   []struct {
		Name      string
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly"`
	} `yaml:"volumeMounts"`
}

type probe struct {
	TCPSocket *struct{ Port string }       `yaml:"tcpSocket"`
	HTTPGet   *struct{ Path, Port string } `yaml:"httpGet"`
}

type manifest struct {
	Kind     string
	Metadata struct{ Name string }
	Spec     struct {
		Replicas     int
		MinAvailable int              `yaml:"minAvailable"`
		Selector     map[string]any   `yaml:"selector"`
		Type         string           `yaml:"type"`
		Ports        []map[string]any `yaml:"ports"`
		Template     struct {
			Metadata struct{ Labels map[string]string }
			Spec     struct {
				Containers     []container
				InitContainers []container `yaml:"initContainers"`
				Volumes        []struct {
					Name   string
					Secret *struct {
						SecretName string `yaml:"secretName"`
					}
				}
			}
		}
	}
}

func manifests(t *testing.T, file string) map[string]manifest {
	t.Helper()
	f, err := os.Open(filepath.Join("kubernetes", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]manifest{}
	dec := yaml.NewDecoder(f)
	for {
		var m manifest
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		out[m.Kind] = m // the file's only one of its kind, for most files
		out[m.Kind+"/"+m.Metadata.Name] = m
	}
	return out
}

func env(c container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func TestKubernetesInvariants(t *testing.T) {
	for _, file := range []string{"resume.yaml", "resume-postgres.yaml"} {
		t.Run(file, func(t *testing.T) { kubernetesInvariants(t, manifests(t, file)) })
	}
}

func kubernetesInvariants(t *testing.T, ms map[string]manifest) {
	dep, svc, pdb := ms["Deployment"], ms["Service"], ms["PodDisruptionBudget"]
	if dep.Spec.Replicas != 2 {
		t.Errorf("replicas = %d, want 2", dep.Spec.Replicas)
	}
	labels := dep.Spec.Template.Metadata.Labels
	cs := dep.Spec.Template.Spec.Containers
	if len(cs) == 0 {
		t.Fatal("no containers")
	}
	tags := map[string]bool{}
	for _, c := range cs {
		_, tag, ok := strings.Cut(c.Image, ":")
		if !ok || tag == "latest" || tag == "" {
			t.Errorf("%s: image %q has no fixed tag", c.Name, c.Image)
		}
		tags[tag] = true
		for _, k := range []string{"cpu", "memory"} {
			if c.Resources.Limits[k] == "" || c.Resources.Requests[k] == "" {
				t.Errorf("%s: %s request or limit missing", c.Name, k)
			}
		}
		if c.ReadinessProbe == nil || c.LivenessProbe == nil {
			t.Errorf("%s: readiness and liveness probes are required", c.Name)
		}
		// The host key comes from the Secret, mounted where RESUME_HOST_KEY points.
		keyPath := env(c, "RESUME_HOST_KEY")
		mounted := false
		for _, vm := range c.VolumeMounts {
			for _, v := range dep.Spec.Template.Spec.Volumes {
				if v.Name == vm.Name && v.Secret != nil && vm.ReadOnly && strings.HasPrefix(keyPath, vm.MountPath+"/") {
					mounted = true
				}
			}
		}
		if keyPath == "" || !mounted {
			t.Errorf("%s: the host key secret is not mounted at RESUME_HOST_KEY (%q)", c.Name, keyPath)
		}
		if env(c, "GOMEMLIMIT") == "" {
			t.Errorf("%s: GOMEMLIMIT must be set under the memory limit: the capacity comes from it", c.Name)
		}
	}
	if len(tags) != 1 {
		t.Errorf("containers use different image tags: %v", tags)
	}
	sel, _ := svc.Spec.Selector["app"].(string)
	if sel == "" || labels["app"] != sel {
		t.Errorf("the Service selects app=%q, the pods are app=%q", sel, labels["app"])
	}
	if len(svc.Spec.Ports) == 0 || svc.Spec.Ports[0]["targetPort"] != cs[0].Ports[0].Name {
		t.Errorf("the Service does not target the container's ssh port")
	}
	ml, _ := pdb.Spec.Selector["matchLabels"].(map[string]any)
	if ml["app"] != labels["app"] || pdb.Spec.MinAvailable < 1 {
		t.Errorf("the PodDisruptionBudget does not protect the pods: %v", pdb.Spec)
	}
}

// TestKubernetesInboxes: notes are kept where they outlive a pod. The
// plain manifest, whose data directory is an emptyDir, turns the inbox
// off; the PostgreSQL one takes the database's URL from a Secret (no
// password in the manifest), migrates before serving, shares the inbox
// key from a Secret, and is ready only while the database answers.
func TestKubernetesInboxes(t *testing.T) {
	plain := manifests(t, "resume.yaml")["Deployment"].Spec.Template.Spec.Containers[0]
	if env(plain, "RESUME_HELLO") != "false" || env(plain, "RESUME_DATABASE") != "" {
		t.Error("resume.yaml keeps an inbox in an emptyDir, which a pod's end would lose")
	}
	dep := manifests(t, "resume-postgres.yaml")["Deployment"]
	spec := dep.Spec.Template.Spec
	fromSecret := func(c container) bool {
		for _, e := range c.Env {
			if e.Name == "RESUME_DATABASE" {
				return e.Value == "" && e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil
			}
		}
		return false
	}
	for _, c := range append(spec.InitContainers, spec.Containers...) {
		for _, e := range c.Env {
			if strings.Contains(e.Value, "://") || strings.Contains(strings.ToLower(e.Value), "password") {
				t.Errorf("%s: %s is written in the manifest: %q", c.Name, e.Name, e.Value)
			}
		}
		if !fromSecret(c) {
			t.Errorf("%s: RESUME_DATABASE does not come from a Secret", c.Name)
		}
	}
	if len(spec.InitContainers) != 1 || len(spec.InitContainers[0].Args) == 0 || spec.InitContainers[0].Args[0] != "migrate" {
		t.Error("no init container runs resume migrate")
	}
	c := spec.Containers[0]
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" || p.HTTPGet.Port != "metrics" {
		t.Errorf("the readiness probe is not /readyz on the metrics port: %+v", p)
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		t.Errorf("the liveness probe is not /healthz: a database outage would restart every pod: %+v", p)
	}
	if !slices.Contains(c.Args, "--metrics-listen") {
		t.Error("the probes' port is not served: no --metrics-listen")
	}
	keyPath := env(c, "RESUME_INBOX_KEY")
	shared := false
	for _, vm := range c.VolumeMounts {
		for _, v := range spec.Volumes {
			if v.Name == vm.Name && v.Secret != nil && strings.HasPrefix(keyPath, vm.MountPath+"/") {
				shared = true
			}
		}
	}
	if !shared {
		t.Errorf("RESUME_INBOX_KEY (%q) is not a Secret the replicas share", keyPath)
	}
}

// unit reads a systemd unit's Key=Value lines (every value of a key).
func unit(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			out[k] = append(out[k], v)
		}
	}
	return out
}

func TestSystemdUnitIsHardened(t *testing.T) {
	u := unit(t, filepath.Join("systemd", "resume.service"))
	for k, want := range map[string]string{
		"DynamicUser":             "yes",
		"StateDirectory":          "resume",
		"AmbientCapabilities":     "CAP_NET_BIND_SERVICE",
		"CapabilityBoundingSet":   "CAP_NET_BIND_SERVICE",
		"NoNewPrivileges":         "yes",
		"ProtectSystem":           "strict",
		"ProtectHome":             "yes",
		"PrivateTmp":              "yes",
		"PrivateDevices":          "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"Restart":                 "on-failure",
		"MemoryMax":               "512M",
	} {
		if got := u[k]; len(got) == 0 || got[0] != want {
			t.Errorf("%s = %v, want %s", k, got, want)
		}
	}
	if f := u["SystemCallFilter"]; len(f) == 0 || f[0] != "@system-service" {
		t.Errorf("SystemCallFilter = %v", f)
	}
	if len(u["TasksMax"]) == 0 {
		t.Error("TasksMax is not set")
	}
	if !strings.Contains(strings.Join(u["Environment"], " "), "GOMEMLIMIT=") || len(u["MemoryMax"]) == 0 {
		t.Error("the unit sets no GOMEMLIMIT under MemoryMax: the capacity comes from them")
	}
}

func TestContainerFiles(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("container", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "distroless/static", "USER nonroot", "VOLUME", "EXPOSE", "AS build"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	var compose struct {
		Services map[string]struct {
			Environment map[string]string
			Secrets     []string
			MemLimit    string `yaml:"mem_limit"`
		}
	}
	cb, err := os.ReadFile(filepath.Join("container", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(cb, &compose); err != nil {
		t.Fatal(err)
	}
	svc := compose.Services["resume"]
	if svc.Environment["RESUME_HOST_KEY"] != "/run/secrets/host_key" || len(svc.Secrets) == 0 || svc.MemLimit == "" {
		t.Errorf("compose: host key secret or memory limit missing: %+v", svc)
	}
}

// TestComposePostgres: two replicas on one PostgreSQL database, with the
// password only in secrets, the same keys for both, and a balancer that
// sends the PROXY protocol to each.
func TestComposePostgres(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Environment map[string]string
			Secrets     []string
			Command     []string
			MemLimit    string `yaml:"mem_limit"`
		}
	}
	b, err := os.ReadFile(filepath.Join("container", "compose-postgres.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &compose); err != nil {
		t.Fatal(err)
	}
	db := compose.Services["db"]
	if db.Environment["POSTGRES_PASSWORD_FILE"] == "" || db.Environment["POSTGRES_PASSWORD"] != "" {
		t.Errorf("the database's password is not from a secret: %+v", db.Environment)
	}
	var urls []string
	for _, name := range []string{"resume-a", "resume-b"} {
		r := compose.Services[name]
		u := r.Environment["RESUME_DATABASE"]
		if !strings.HasPrefix(u, "postgres://resume@db:") || r.Environment["PGPASSFILE"] == "" {
			t.Errorf("%s: RESUME_DATABASE %q, PGPASSFILE %q: want a URL without a password, and the password file", name, u, r.Environment["PGPASSFILE"])
		}
		for _, s := range []string{"host_key", "inbox_key", "pgpass"} {
			if !slices.Contains(r.Secrets, s) {
				t.Errorf("%s: secret %s missing", name, s)
			}
		}
		if !slices.Contains(r.Command, "--proxy-protocol-from") || r.MemLimit == "" {
			t.Errorf("%s: no PROXY protocol or memory limit: %+v", name, r.Command)
		}
		urls = append(urls, u)
	}
	if urls[0] != urls[1] {
		t.Errorf("the replicas use different databases: %v", urls)
	}
	cfg, err := os.ReadFile(filepath.Join("container", "haproxy.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"server resume-a resume-a:2222 send-proxy-v2", "server resume-b resume-b:2222 send-proxy-v2"} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("haproxy.cfg lacks %q", want)
		}
	}
}
