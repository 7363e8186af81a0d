package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"echoscope/backend/wire"
)

var (
	committed = filepath.Join("..", "..", defaultOut)
	wireSrc   = filepath.Join("..", "..", defaultSrc)
)

// Issue 12, point 7: the page's Report types come from the Go structs. A Go field added,
// renamed, retyped or re-commented without `make bindings` fails here.
func TestCommittedFileIsWhatTheGeneratorWrites(t *testing.T) {
	want, err := generate(roots, wireSrc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v: run make bindings", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(g) || i < len(w); i++ {
			var gl, wl string
			if i < len(g) {
				gl = g[i]
			}
			if i < len(w) {
				wl = w[i]
			}
			if gl != wl {
				t.Fatalf("%s is stale (run make bindings): line %d is\n  %q\nthe Go structs give\n  %q", committed, i+1, gl, wl)
			}
		}
	}
}

// generatedMembers reads the generated interfaces: interface -> member -> optional.
func generatedMembers(t *testing.T, src []byte) map[string]map[string]bool {
	t.Helper()
	iface := regexp.MustCompile(`^export interface (\w+) \{$`)
	member := regexp.MustCompile(`^  (\w+)(\??): .+;$`)
	out := map[string]map[string]bool{}
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case iface.MatchString(line):
			current = iface.FindStringSubmatch(line)[1]
			out[current] = map[string]bool{}
		case line == "}":
			current = ""
		case current != "" && member.MatchString(line):
			m := member.FindStringSubmatch(line)
			out[current][m[1]] = m[2] == "?"
		}
	}
	return out
}

// checkJSON walks a JSON value of the named interface: every member the codec wrote must be
// declared, and every member declared required must be there.
func checkJSON(t *testing.T, ifaces map[string]map[string]bool, name, path string, v any) {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: want a %s object, got %T", path, name, v)
		return
	}
	members := ifaces[name]
	for k := range obj {
		if _, ok := members[k]; !ok {
			t.Errorf("%s.%s: the codec writes it, interface %s does not declare it", path, k, name)
		}
	}
	for k, optional := range members {
		if _, ok := obj[k]; !ok && !optional {
			t.Errorf("%s: interface %s requires %q, the codec did not write it", path, name, k)
		}
	}
	// The nested objects, by the member types the generator wrote.
	nested := map[string]map[string]string{
		"Report":         {"fields": "Field", "checksums": "ChecksumReport"},
		"ChecksumReport": {"trace": "ChecksumTrace"},
		"ChecksumTrace":  {"steps": "ChecksumStep", "folds": "ChecksumFold"},
	}
	for k, child := range nested[name] {
		switch x := obj[k].(type) {
		case []any:
			for i, e := range x {
				checkJSON(t, ifaces, child, fmt.Sprintf("%s.%s[%d]", path, k, i), e)
			}
		case map[string]any:
			checkJSON(t, ifaces, child, path+"."+k, x)
		}
	}
}

// The JSON the codec really writes (Field has its own MarshalJSON) has the members the
// generated interfaces declare: decoded packets with bit fields, an ICMPv6 checksum over the
// pseudo-header, an ICMP error quoting a request, text read as a dump, and an error.
func TestGeneratedInterfacesMatchTheCodecsJSON(t *testing.T) {
	src, err := generate(roots, wireSrc)
	if err != nil {
		t.Fatal(err)
	}
	ifaces := generatedMembers(t, src)
	for _, name := range []string{"Report", "Field", "ChecksumReport", "ChecksumTrace", "ChecksumStep", "ChecksumFold"} {
		if len(ifaces[name]) == 0 {
			t.Fatalf("generated file has no members for %s:\n%s", name, src)
		}
	}
	packets := map[string]string{
		// ping 127.0.0.1: IPv4 (flags bits), ICMPv4 echo request, 8 bytes of data.
		"ipv4 echo": "4500001c4a3f40004001f29f7f0000017f000001" + "08002c6a1c2d0001",
		// ICMPv6 echo request with its addresses: the pseudo-header is summed.
		"ipv6 echo": "6000000000083a40" + "00000000000000000000000000000001" + "00000000000000000000000000000001" + "8000847f1c2d0001",
		// Time exceeded quoting an IPv4 echo request.
		"time exceeded": "4500003800004000ff01fcc20a0000017f000001" + "0b00f4ff00000000" + "4500001c4a3f40000101319f7f0000010a000002" + "08002c6a1c2d0001",
		"empty":         "",
	}
	for name, h := range packets {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		r := wire.Decode(b, wire.Options{})
		if name == "ipv4 echo" {
			r.Input = "read as plain hex: 28 bytes"
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(js, &v); err != nil {
			t.Fatal(err)
		}
		if name != "empty" && (r.Error != "" || len(r.Fields) == 0) {
			t.Fatalf("%s: the sample did not decode (%q): fix the sample", name, r.Error)
		}
		if name == "ipv4 echo" && !bytes.Contains(js, []byte(`"bitOffset":0`)) {
			t.Fatalf("%s: no bit field with bitOffset 0 in %s: the sample no longer covers Field.MarshalJSON", name, js)
		}
		checkJSON(t, ifaces, "Report", name, v)
	}
}

type sample struct {
	Plain    string          `json:"plain"`
	Maybe    *int            `json:"maybe"`
	Omitted  uint16          `json:"omitted,omitempty"`
	Raw      []byte          `json:"raw"`
	List     []sampleChild   `json:"list"`
	ByName   map[string]bool `json:"byName"`
	Untagged float64
	Skipped  string `json:"-"`
	private  int
	Nested   map[string]*int64 `json:"nested"`
}

type sampleChild struct {
	N int `json:"n"`
}

// The generator types each Go shape as encoding/json writes it.
func TestGenerateTypesEachShapeAsJSONWritesIt(t *testing.T) {
	_ = sample{}.private
	src, err := generate([]reflect.Type{reflect.TypeFor[sample]()}, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"export interface sample {\n",
		"  plain: string;\n",
		"  maybe: number | null;\n",
		"  omitted?: number;\n",
		"  raw: string;\n",
		"  list: sampleChild[];\n",
		"  byName: Record<string, boolean>;\n",
		"  Untagged: number;\n",
		"  nested: Record<string, number | null>;\n",
		"export interface sampleChild {\n  n: number;\n}\n",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	for _, absent := range []string{"Skipped", "private"} {
		if strings.Contains(string(src), absent) {
			t.Errorf("generated file has %s, which encoding/json does not write:\n%s", absent, src)
		}
	}
}

// What JSON cannot carry, or another package's struct, is an error, not a silent any.
func TestGenerateRefusesWhatItCannotType(t *testing.T) {
	type withChan struct {
		C chan int `json:"c"`
	}
	if _, err := generate([]reflect.Type{reflect.TypeFor[withChan]()}, "."); err == nil || !strings.Contains(err.Error(), "withChan.C") {
		t.Errorf("a chan field: err = %v, want one naming withChan.C", err)
	}
	type foreign struct {
		R wire.Report `json:"r"`
	}
	if _, err := generate([]reflect.Type{reflect.TypeFor[foreign]()}, "."); err == nil || !strings.Contains(err.Error(), "outside") {
		t.Errorf("a struct of another package: err = %v, want one saying it is outside", err)
	}
}
