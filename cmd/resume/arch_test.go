package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/resume-ssh/resume"

// goList runs go list with a template over pkgs and returns its lines.
func goList(t *testing.T, template string, pkgs ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list", "-f", template}, pkgs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	return strings.Fields(string(out))
}

// TestArchitecture keeps the arrows one way, cmd → server → ui → content,
// and each package to what it is for.
func TestArchitecture(t *testing.T) {
	// Neither ui nor content knows SSH or the server.
	for _, pkg := range []string{module + "/ui", module + "/content"} {
		for _, dep := range goList(t, "{{join .Deps \"\\n\"}}", pkg) {
			if strings.HasPrefix(dep, "charm.land/ssh") || strings.HasPrefix(dep, "charm.land/wish") ||
				strings.HasPrefix(dep, module+"/server") || strings.HasPrefix(dep, module+"/cmd") || strings.HasPrefix(dep, "golang.org/x/crypto/ssh") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
	// content knows the standard library and goldmark, nothing else.
	for _, dep := range goList(t, "{{range .Deps}}{{.}}\n{{end}}", module+"/content") {
		if strings.Contains(strings.Split(dep, "/")[0], ".") && !strings.HasPrefix(dep, "github.com/yuin/goldmark") {
			t.Errorf("content depends on %s: only the standard library and goldmark", dep)
		}
	}
	// The ui reaches no file, network or process: what it shows comes in
	// as messages and options.
	for _, imp := range goList(t, "{{join .Imports \"\\n\"}}", module+"/ui") {
		if imp == "os" || imp == "os/exec" || imp == "net" || strings.HasPrefix(imp, "net/") || imp == "syscall" {
			t.Errorf("ui imports %s", imp)
		}
	}
}

// TestOnlyCmdReadsTheEnvironment: configuration comes in through Config
// and options, which cmd fills from flags and RESUME_* variables.
func TestOnlyCmdReadsTheEnvironment(t *testing.T) {
	dirs := goList(t, "{{.Dir}}", module+"/...")
	fset := token.NewFileSet()
	checked := 0
	for _, dir := range dirs {
		// cmd reads it, and so do test helpers (inboxtest, for one),
		// which only tests import, like _test.go files.
		if strings.HasSuffix(dir, filepath.Join("cmd", "resume")) || strings.HasSuffix(filepath.Base(dir), "test") {
			continue
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			ast.Inspect(f, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "os" || x.Name == "syscall") &&
					slices.Contains([]string{"Getenv", "LookupEnv", "Environ", "ExpandEnv", "Setenv"}, sel.Sel.Name) {
					t.Errorf("%s: %s.%s: only cmd reads the environment", fset.Position(sel.Pos()), x.Name, sel.Sel.Name)
				}
				return true
			})
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d files; the packages are not where this test looks", checked)
	}
}
