package settings

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", FileName)
	want := Defaults()
	want.Target = "example.test"
	want.Options = Options{Count: 5, IntervalMs: 200, TimeoutMs: 900, Size: 1400, Pattern: "ff00", TTL: 64, DontFragment: true, Family: 6, Source: "lo"}
	want.Window = Window{Width: 1500, Height: 900, X: 40, Y: -20, Placed: true}
	want.Split = Split{RowFraction: 0.3, ColumnFraction: 0.7}
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	got := Load(path)
	if got.Notice != "" || !reflect.DeepEqual(got.Settings, want) {
		t.Fatalf("Load = %+v, want %+v", got, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 || entries[0].Name() != FileName {
		t.Errorf("data dir holds %v, want only %s (no temporary file left)", entries, FileName)
	}
}

func TestMissingFileIsAFirstRun(t *testing.T) {
	got := Load(filepath.Join(t.TempDir(), FileName))
	if got.Notice != "" || !reflect.DeepEqual(got.Settings, Defaults()) {
		t.Errorf("Load(missing) = %+v", got)
	}
}

func TestCorruptFileGivesDefaultsAndANotice(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(`{"target": "half`), 0o600); err != nil {
		t.Fatal(err)
	}
	got := Load(path)
	if !reflect.DeepEqual(got.Settings, Defaults()) || !strings.Contains(got.Notice, "damaged") {
		t.Errorf("Load(corrupt) = %+v", got)
	}
}

func TestUnreadableFileGivesDefaultsAndANotice(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.Mkdir(path, 0o700); err != nil { // a directory where the file should be
		t.Fatal(err)
	}
	got := Load(path)
	if !reflect.DeepEqual(got.Settings, Defaults()) || !strings.Contains(got.Notice, "could not be read") {
		t.Errorf("Load(unreadable) = %+v", got)
	}
}

func TestOutOfRangeFieldsFallBackOneByOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	body := `{"target":"kept.test","options":{"count":-1,"intervalMs":0,"timeoutMs":500,"size":70000,"ttl":300,"family":5},
	"window":{"width":100,"height":700,"x":1,"y":2,"placed":true},"split":{"rowFraction":1.5,"columnFraction":0.25}}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	got := Load(path)
	d := Defaults()
	s := got.Settings
	if s.Target != "kept.test" || s.Options.TimeoutMs != 500 || s.Split.ColumnFraction != 0.25 || !s.Window.Placed || s.Window.X != 1 {
		t.Errorf("valid fields lost: %+v", s)
	}
	if s.Options.Count != d.Options.Count || s.Options.IntervalMs != d.Options.IntervalMs || s.Options.Size != d.Options.Size ||
		s.Options.TTL != d.Options.TTL || s.Options.Family != 0 || s.Window.Width != d.Window.Width || s.Split.RowFraction != d.Split.RowFraction {
		t.Errorf("out-of-range fields kept: %+v", s)
	}
	for _, name := range []string{"count", "intervalMs", "size", "ttl", "family", "window", "rowFraction"} {
		if !strings.Contains(got.Notice, name) {
			t.Errorf("notice %q does not name %s", got.Notice, name)
		}
	}
}

func TestSaveRefusesOutOfRangeValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s := Defaults()
	s.Options.TTL = 999
	s.Window.Width = 5
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	got := Load(path)
	if got.Notice != "" || got.Settings.Options.TTL != 0 || got.Settings.Window.Width != Defaults().Window.Width {
		t.Errorf("saved out-of-range values: %+v", got)
	}
}

func TestSaveIntoUnwritablePlaceIsAnError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Save(filepath.Join(blocker, FileName), Defaults()); err == nil {
		t.Error("Save under a regular file succeeded")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"target":"a","options":{"ttl":3},"split":{"rowFraction":0.4}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), FileName)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got := Load(path).Settings
		if again, fixed := Validate(got); len(fixed) != 0 || !reflect.DeepEqual(again, got) {
			t.Fatalf("Load returned out-of-range settings %+v (fixed %v)", got, fixed)
		}
	})
}
