package exporter

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseTargets(t *testing.T) {
	got, err := parseTargets([]byte("# routers\n198.18.0.1\n\n  example.test   # the web\nfd00::1\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"198.18.0.1", "example.test", "fd00::1"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, c := range []struct{ in, errHas string }{
		{"a.test\nb.test c.test\n", "line 2: \"b.test c.test\" is more than one host"},
		{"ok.test\nbad\x01host\n", "line 2: host \"bad\\x01host\" has a control character"},
		{strings.Repeat("x", 254) + "\n", "line 1: host name of 254 characters"},
		{strings.Repeat("h.test\n", MaxTargets+1), "more than 4096 targets"},
	} {
		_, err := parseTargets([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.errHas) {
			t.Errorf("parseTargets(%.30q): error %v, want one containing %q", c.in, err, c.errHas)
		}
	}
}

func TestReadTargetsFileBounds(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	// Exactly the limit is read (comments only: no targets); one byte more is refused.
	data := []byte("#" + strings.Repeat("x", MaxTargetsFileBytes-2) + "\n")
	if err := os.WriteFile(big, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if hosts, err := readTargetsFile(big); err != nil || len(hosts) != 0 {
		t.Errorf("file of exactly %d bytes: %q, %v", MaxTargetsFileBytes, hosts, err)
	}
	if err := os.WriteFile(big, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readTargetsFile(big); err == nil || !strings.Contains(err.Error(), "larger than 1048576 bytes") {
		t.Errorf("file one byte over the limit: error %v", err)
	}
	if _, err := readTargetsFile(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: error %v", err)
	}
}

func TestMergeTargets(t *testing.T) {
	got, err := mergeTargets([]string{"a.test", "b.test"}, []string{"b.test", "c.test", "a.test"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.test", "b.test", "c.test"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := mergeTargets(nil, nil); err == nil || !strings.Contains(err.Error(), "no targets") {
		t.Errorf("no targets: error %v", err)
	}
	many := make([]string, MaxTargets+1)
	for i := range many {
		many[i] = strings.Repeat("h", 1+i%200) + string(rune('a'+i/200))
	}
	if _, err := mergeTargets(many); err == nil || !strings.Contains(err.Error(), "at most 4096") {
		t.Errorf("%d targets: error %v", len(many), err)
	}
}

// FuzzParseTargets: any file is either refused with an error or gives hosts that are each
// one non-empty word without control characters, at most MaxTargets of them.
func FuzzParseTargets(f *testing.F) {
	f.Add([]byte("198.18.0.1\n# c\nexample.test # x\n"))
	f.Add([]byte("a b\n"))
	f.Add([]byte("\x00\n\r\n#\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		hosts, err := parseTargets(data)
		if err != nil {
			return
		}
		if len(hosts) > MaxTargets {
			t.Fatalf("%d hosts", len(hosts))
		}
		for _, h := range hosts {
			if h == "" || strings.ContainsAny(h, " \t\n\r#") || checkHost(h) != nil {
				t.Fatalf("host %q from %q", h, data)
			}
		}
	})
}
