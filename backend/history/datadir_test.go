package history

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDataDirPerPlatform(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		name, goos, home string
		env              map[string]string
		want             string
	}{
		{"linux xdg", "linux", "/home/a", map[string]string{"XDG_DATA_HOME": "/x/data"}, filepath.Join("/x/data", "echoscope")},
		{"linux default", "linux", "/home/a", nil, filepath.Join("/home/a", ".local", "share", "echoscope")},
		{"linux relative xdg ignored", "linux", "/home/a", map[string]string{"XDG_DATA_HOME": "rel"}, filepath.Join("/home/a", ".local", "share", "echoscope")},
		{"freebsd as xdg", "freebsd", "/home/a", nil, filepath.Join("/home/a", ".local", "share", "echoscope")},
		{"windows appdata", "windows", `C:\Users\a`, map[string]string{"AppData": `C:\Users\a\AppData\Roaming`}, filepath.Join(`C:\Users\a\AppData\Roaming`, "Echoscope")},
		{"macos", "darwin", "/Users/a", nil, filepath.Join("/Users/a", "Library", "Application Support", "Echoscope")},
		{"override wins", "darwin", "/Users/a", map[string]string{DataDirEnv: "/tmp/e"}, "/tmp/e"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := dataDirFor(c.goos, env(c.env), c.home)
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	if _, err := dataDirFor("linux", env(nil), ""); !errors.Is(err, ErrNoDataDir) {
		t.Fatalf("no home: %v, want ErrNoDataDir", err)
	}
}

func TestOpenUsesDataDirEnv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	t.Setenv(DataDirEnv, dir)
	s, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := filepath.Join(dir, DatabaseFile)
	if s.Path() != want {
		t.Fatalf("path %q, want %q", s.Path(), want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Fatal(err)
	}
}
