package service

import (
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// boundServices are the structs main.go binds (App.bound in app.go): Wails exposes every
// exported method of each to the page's JavaScript.
var boundServices = []any{&AppService{}, &PingService{}}

// pathLike matches parameter names that carry a file system location.
var pathLike = regexp.MustCompile(`(?i)path|file|dir|folder`)

// productionMethodParams parses this package as the production build sees it (tags
// webkit2_41, not dev) and returns, for each method of the named type, its parameter names.
func productionMethodParams(t *testing.T, typeName string) map[string][]string {
	t.Helper()
	ctx := build.Default
	ctx.BuildTags = []string{"webkit2_41"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		if ok, err := ctx.MatchFile(".", name); err != nil || !ok {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			recv := fn.Recv.List[0].Type
			if star, ok := recv.(*ast.StarExpr); ok {
				recv = star.X
			}
			if id, ok := recv.(*ast.Ident); !ok || id.Name != typeName {
				continue
			}
			params := []string{}
			for _, field := range fn.Type.Params.List {
				for _, n := range field.Names {
					params = append(params, n.Name)
				}
			}
			out[fn.Name.Name] = params
		}
	}
	return out
}

// Issue 10, point 9: ExportSessionTo(path) and ImportCaptureFrom(path) were bound, so any
// script in the page could write or read any file the user can. No bound method of the
// production build may take a file location; the page reaches files through the native
// dialogs only.
func TestNoBoundMethodTakesAPath(t *testing.T) {
	for _, svc := range boundServices {
		typ := reflect.TypeOf(svc)
		name := typ.Elem().Name()
		params := productionMethodParams(t, name)
		for i := range typ.NumMethod() {
			m := typ.Method(i).Name
			ps, ok := params[m]
			if !ok {
				t.Errorf("%s.%s is bound but not declared in this package's production files", name, m)
				continue
			}
			for _, p := range ps {
				if pathLike.MatchString(p) {
					t.Errorf("%s.%s(%s) is bound to the page and takes a file location (%q): unexport it, or put it behind the dev build tag", name, m, strings.Join(ps, ", "), p)
				}
			}
		}
	}
}

// The committed bindings (frontend/wailsjs, from `make bindings`, production tags) bind
// exactly the production build's exported methods: none more (a stale ExportSessionTo), none
// fewer, and no service beyond boundServices.
func TestGeneratedBindingsMatchTheProductionBuild(t *testing.T) {
	dir := filepath.Join("..", "..", "frontend", "wailsjs", "go", "service")
	decls, err := filepath.Glob(filepath.Join(dir, "*.d.ts"))
	if err != nil || len(decls) == 0 {
		t.Fatalf("no generated bindings in %s (%v): run make bindings", dir, err)
	}
	known := map[string]reflect.Type{}
	for _, svc := range boundServices {
		known[reflect.TypeOf(svc).Elem().Name()] = reflect.TypeOf(svc)
	}
	exported := regexp.MustCompile(`(?m)^export function (\w+)\(`)
	for _, file := range decls {
		svc := strings.TrimSuffix(filepath.Base(file), ".d.ts")
		typ, ok := known[svc]
		if !ok {
			t.Errorf("%s binds %s, which this test does not check: add it to boundServices", file, svc)
			continue
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var generated, want []string
		for _, m := range exported.FindAllStringSubmatch(string(b), -1) {
			generated = append(generated, m[1])
		}
		for i := range typ.NumMethod() {
			want = append(want, typ.Method(i).Name)
		}
		slices.Sort(generated)
		if !slices.Equal(generated, want) {
			t.Errorf("%s binds %v, the production build exports %v: run make bindings", file, generated, want)
		}
	}
}
