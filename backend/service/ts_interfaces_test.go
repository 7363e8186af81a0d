package service

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// tsField is one field of a TypeScript interface as written in a file.
type tsField struct {
	Name     string
	Optional bool
	Type     string
}

func (f tsField) String() string {
	q := ""
	if f.Optional {
		q = "?"
	}
	return f.Name + q + ": " + f.Type
}

var (
	tsNamespace = regexp.MustCompile(`^export namespace (\w+) \{`)
	tsInterface = regexp.MustCompile(`^\s*export interface (\w+) \{`)
	tsFieldLine = regexp.MustCompile(`^\s*(\w+)(\??): (.+);$`)
	tsEnd       = regexp.MustCompile(`^\s*\}`)
)

// readTSInterfaces reads the interfaces of a TypeScript file written in the shapes Wails and
// this repository use (one field a line, `export interface Name {` ... `}`), keyed by name,
// or "namespace.Name" inside `export namespace`. Comment lines are skipped.
func readTSInterfaces(t *testing.T, path string) map[string][]tsField {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]tsField{}
	ns, current := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "/*"), strings.HasPrefix(trimmed, "*"), strings.HasPrefix(trimmed, "//"):
		case tsNamespace.MatchString(line):
			ns = tsNamespace.FindStringSubmatch(line)[1] + "."
		case tsInterface.MatchString(line):
			current = ns + tsInterface.FindStringSubmatch(line)[1]
			out[current] = []tsField{}
		case current != "" && tsEnd.MatchString(line):
			current = ""
		case current != "" && tsFieldLine.MatchString(line):
			m := tsFieldLine.FindStringSubmatch(line)
			out[current] = append(out[current], tsField{Name: m[1], Optional: m[2] == "?", Type: m[3]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// goJSONFields lists the fields encoding/json writes for a struct type, in order, typed as
// Wails' generator types them (pointers and omitempty fields optional; structs by name,
// qualified by their package unless in pkg).
func goJSONFields(typ reflect.Type, pkg string) []tsField {
	var out []tsField
	for i := range typ.NumField() {
		sf := typ.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		ft := sf.Type
		optional := strings.Contains(","+opts+",", ",omitempty,")
		if ft.Kind() == reflect.Pointer {
			optional = true
			ft = ft.Elem()
		}
		out = append(out, tsField{Name: name, Optional: optional, Type: wailsTSType(ft, pkg)})
	}
	return out
}

func wailsTSType(t reflect.Type, pkg string) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return wailsTSType(t.Elem(), pkg) + "[]"
	case reflect.Pointer:
		return wailsTSType(t.Elem(), pkg)
	case reflect.Struct:
		if p := packageName(t); p != pkg {
			return p + "." + t.Name()
		}
		return t.Name()
	case reflect.Interface:
		return "any"
	}
	return fmt.Sprintf("<%s>", t)
}

// packageName is the last element of the type's import path ("service", "wire").
func packageName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndex(p, "/")+1:]
}

// fieldNames lists the names of fields, for messages.
func fieldNames(fs []tsField) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
