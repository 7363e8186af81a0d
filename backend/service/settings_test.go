package service

import (
	"os"
	"path/filepath"
	"testing"

	"echoscope/backend/settings"
)

// The page's settings and the window's survive a restart (a new AppService on the same file),
// and saving one side keeps the other.
func TestSettingsSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), settings.FileName)
	first := NewAppServiceWithSettings(path)
	if err := RememberWindow(first, settings.Window{Width: 1400, Height: 900, X: 10, Y: 20, Placed: true}); err != nil {
		t.Fatal(err)
	}
	opts := settings.Options{Count: 3, IntervalMs: 250, TimeoutMs: 1000, Size: 100, TTL: 9, Family: 4}
	if err := first.SaveSettings(PageSettings{Target: "host.test", Options: opts, Split: settings.Split{RowFraction: 0.4, ColumnFraction: 0.6}}); err != nil {
		t.Fatal(err)
	}
	again := NewAppServiceWithSettings(path).Settings()
	if again.Notice != "" || again.Settings.Target != "host.test" || again.Settings.Options != opts ||
		again.Settings.Split.RowFraction != 0.4 || RememberedWindow(NewAppServiceWithSettings(path)).Width != 1400 || !again.Settings.Window.Placed {
		t.Errorf("after restart: %+v", again)
	}
}

func TestDamagedSettingsFileShowsANotice(t *testing.T) {
	path := filepath.Join(t.TempDir(), settings.FileName)
	if err := os.WriteFile(path, []byte("\x00garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	v := NewAppServiceWithSettings(path).Settings()
	if v.Notice == "" || v.Settings != settings.Defaults() {
		t.Errorf("Settings() = %+v, want defaults and a notice", v)
	}
}
