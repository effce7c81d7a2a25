package deploy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The deployment files name the binary's commands and build variables; these
// read them from apps/visite's source, so a rename breaks the tests.

// visiteSource parses the non-test Go files of apps/visite.
func visiteSource(t *testing.T) []*ast.File {
	t.Helper()
	dir := filepath.Join("..", "apps", "visite")
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no Go files in %s (%v)", dir, err)
	}
	var files []*ast.File
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", path, err)
		}
		files = append(files, f)
	}
	return files
}

// buildVars returns the package-level variables of apps/visite: the names
// -ldflags -X can set.
func buildVars(t *testing.T) map[string]bool {
	t.Helper()
	vars := map[string]bool{}
	for _, f := range visiteSource(t) {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					vars[name.Name] = true
				}
			}
		}
	}
	return vars
}

// visiteCommands returns the names of the visite subcommands: the first
// string of each entry in the list that func commands returns.
func visiteCommands(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, f := range visiteSource(t) {
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "commands" || fn.Recv != nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				entry, ok := n.(*ast.CompositeLit)
				if !ok || len(entry.Elts) == 0 {
					return true
				}
				if lit, ok := entry.Elts[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if name, err := strconv.Unquote(lit.Value); err == nil {
						names[name] = true
					}
				}
				return true
			})
		}
	}
	if len(names) == 0 {
		t.Fatal("found no commands in apps/visite (func commands)")
	}
	return names
}
