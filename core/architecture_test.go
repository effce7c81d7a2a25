package core_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/visite-health/visite/"

// frameworks may never be imported by core or ports: their types would leak
// into the domain's signatures.
var frameworks = []string{"github.com/gin-gonic/", "github.com/uptrace/bun", "github.com/casbin/",
	"github.com/hibiken/asynq", "github.com/stripe/", "github.com/pion/", "github.com/redis/", "database/sql", "net/http"}

// pureHelpers are the small, pure libraries core may use.
var pureHelpers = []string{"github.com/google/uuid"}

// TestDependencyRule checks DESIGN.md's dependency rule on every non-test
// Go file: core domains import only the standard library, pure helpers and
// other core domains; core/app adds ports; ports imports only core domains;
// adapters never import apps; nothing in core or ports imports a framework.
func TestDependencyRule(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		pkg := filepath.ToSlash(filepath.Dir(rel))
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if why := violation(pkg, p); why != "" {
				t.Errorf("%s imports %s: %s", rel, p, why)
			}
		}
		checked++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d files; is the walk rooted right?", checked)
	}
}

func violation(pkg, imp string) string {
	layer := strings.SplitN(pkg, "/", 2)[0]
	internal := strings.TrimPrefix(imp, module)
	isInternal := internal != imp
	if layer == "core" || layer == "ports" {
		for _, fw := range frameworks {
			if strings.HasPrefix(imp, fw) {
				return "a framework or transport in " + layer
			}
		}
	}
	switch {
	case layer == "core" && pkg == "core/app":
		if isInternal && !strings.HasPrefix(internal, "core/") && internal != "ports" {
			return "core/app may import only core and ports"
		}
		if !isInternal && !stdlib(imp) && !pure(imp) {
			return "core/app may import only the standard library and pure helpers"
		}
	case layer == "core":
		if isInternal && (!strings.HasPrefix(internal, "core/") || internal == "core/app") {
			return "a core domain may import only other core domains"
		}
		if !isInternal && !stdlib(imp) && !pure(imp) {
			return "a core domain may import only the standard library and pure helpers"
		}
	case layer == "ports":
		if isInternal && (!strings.HasPrefix(internal, "core/") || internal == "core/app") &&
			!(strings.HasSuffix(pkg, "test") && internal == "ports") {
			return "ports may import only core domains (contract suites also ports)"
		}
		if !isInternal && !stdlib(imp) && !pure(imp) && !strings.HasSuffix(pkg, "test") {
			return "ports may import only the standard library"
		}
	case layer == "adapters":
		if isInternal && strings.HasPrefix(internal, "apps/") {
			return "adapters never import apps"
		}
	}
	return ""
}

// stdlib reports whether an import path is in the standard library (its
// first element has no dot).
func stdlib(p string) bool { return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".") }

func pure(p string) bool {
	for _, h := range pureHelpers {
		if strings.HasPrefix(p, h) {
			return true
		}
	}
	return false
}

// TestViolationRule makes sure the rule itself catches what it should.
func TestViolationRule(t *testing.T) {
	cases := []struct {
		pkg, imp string
		bad      bool
	}{
		{"core/practice", "strings", false},
		{"core/practice", "github.com/google/uuid", false},
		{"core/staff", module + "core/practice", false},
		{"core/staff", module + "core/app", true},
		{"core/staff", module + "ports", true},
		{"core/practice", "github.com/uptrace/bun", true},
		{"core/app", module + "ports", false},
		{"core/app", module + "adapters/postgres", true},
		{"core/app", "github.com/gin-gonic/gin", true},
		{"ports", module + "core/identity", false},
		{"ports", module + "adapters/postgres", true},
		{"ports", "github.com/hibiken/asynq", true},
		{"ports", "net/http", true},
		{"ports/portstest", module + "ports", false},
		{"ports/portstest", module + "adapters/postgres", true},
		{"adapters/postgres", module + "apps/visite", true},
		{"adapters/postgres", "github.com/uptrace/bun", false},
		{"apps/visite", module + "adapters/postgres", false},
	}
	for _, c := range cases {
		if got := violation(c.pkg, c.imp) != ""; got != c.bad {
			t.Errorf("violation(%q, %q) = %v, want %v", c.pkg, c.imp, got, c.bad)
		}
	}
}
