package service

import (
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"
)

// boundStructs are the struct types Wails sees: parameters and results of the bound
// services' methods, and every struct their fields reach. Wails writes an interface for each
// into frontend/wailsjs/go/models.ts.
func boundStructs() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.Name() == "" {
			return
		}
		key := packageName(t) + "." + t.Name()
		if _, seen := out[key]; seen {
			return
		}
		out[key] = t
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				visit(t.Field(i).Type)
			}
		}
	}
	for _, svc := range boundServices {
		typ := reflect.TypeOf(svc)
		for i := range typ.NumMethod() {
			m := typ.Method(i).Type
			for j := 1; j < m.NumIn(); j++ {
				visit(m.In(j))
			}
			for j := range m.NumOut() {
				visit(m.Out(j))
			}
		}
	}
	return out
}

// Issue 12, point 7: the page's types come from the Go structs through Wails' generated
// interfaces (wailsjs/go/models.ts), and `npm run check` fails when the page's narrowed types
// no longer fit them. That only holds while the committed models.ts is what Wails makes of
// today's structs: a Go field added, renamed or retyped without `make bindings` fails here.
func TestGeneratedModelsMatchTheGoStructs(t *testing.T) {
	models := readTSInterfaces(t, filepath.Join("..", "..", "frontend", "wailsjs", "go", "models.ts"))
	want := boundStructs()
	if len(want) < 10 {
		t.Fatalf("found only %d bound structs: the walk over the bound services is broken", len(want))
	}
	for key, typ := range want {
		got, ok := models[key]
		if !ok {
			t.Errorf("models.ts has no interface %s (Go %s): run make bindings", key, typ)
			continue
		}
		wantFields := goJSONFields(typ, packageName(typ))
		if !slices.Equal(got, wantFields) {
			t.Errorf("models.ts %s is\n  %v\nGo %s marshals\n  %v\nrun make bindings", key, got, typ, wantFields)
		}
	}
	for key := range models {
		if _, ok := want[key]; !ok {
			t.Errorf("models.ts has %s, which no bound method reaches any more: run make bindings", key)
		}
	}
}

// handKeptPayloads are the Go structs that reach the page only as event or job payloads
// (EmitEvent, job:done results, the frame feed's JSON): Wails never sees them, so the page
// keeps their interfaces by hand, in the file named here.
var handKeptPayloads = []struct {
	file string
	typ  reflect.Type
}{
	{"src/lib/api/types.ts", reflect.TypeFor[Frame]()},
	{"src/lib/api/types.ts", reflect.TypeFor[Ended]()},
	{"src/lib/api/types.ts", reflect.TypeFor[EngineStatus]()},
	{"src/lib/api/types.ts", reflect.TypeFor[ImportResult]()},
	{"src/lib/api/types.ts", reflect.TypeFor[DropResult]()},
	{"src/lib/api/jobs.ts", reflect.TypeFor[JobProgress]()},
	{"src/lib/api/jobs.ts", reflect.TypeFor[JobEnd]()},
	{"src/lib/api/monitor.ts", reflect.TypeFor[MonitorEnded]()},
	{"src/lib/api/trace.ts", reflect.TypeFor[TraceView]()},
	{"src/lib/api/trace.ts", reflect.TypeFor[TraceLive]()},
}

// The hand-kept payload interfaces name exactly the fields their Go structs marshal (their
// types are the page's narrower ones: unions of words, null for nil pointers).
func TestHandKeptPayloadsMatchTheGoStructs(t *testing.T) {
	frontend := filepath.Join("..", "..", "frontend")
	files := map[string]map[string][]tsField{}
	for _, p := range handKeptPayloads {
		if files[p.file] == nil {
			files[p.file] = readTSInterfaces(t, filepath.Join(frontend, p.file))
		}
		got, ok := files[p.file][p.typ.Name()]
		if !ok {
			t.Errorf("%s has no interface %s (Go %s)", p.file, p.typ.Name(), p.typ)
			continue
		}
		gotNames, wantNames := fieldNames(got), fieldNames(goJSONFields(p.typ, "service"))
		sort.Strings(gotNames)
		sort.Strings(wantNames)
		if !slices.Equal(gotNames, wantNames) {
			t.Errorf("%s %s has fields %v; Go %s marshals %v", p.file, p.typ.Name(), gotNames, p.typ, wantNames)
		}
	}
	for _, p := range handKeptPayloads {
		if _, generated := boundStructs()["service."+p.typ.Name()]; generated {
			t.Errorf("%s now crosses a bound method, so Wails generates it: use service.%s from models.ts instead of the hand-kept copy", p.typ, p.typ.Name())
		}
	}
}
