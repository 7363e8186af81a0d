package service

import (
	"path/filepath"
	"sync"

	"echoscope/backend/history"
	"echoscope/backend/settings"
)

// SettingsView is what the page gets at start: the remembered settings and, when the file was
// unusable, the sentence saying the defaults are in use.
type SettingsView struct {
	Settings settings.Settings `json:"settings"`
	Notice   string            `json:"notice"`
}

// PageSettings are the settings the page owns: the target, the options and the split shares.
// The window's size and place are the Go side's (read from the window at close).
type PageSettings struct {
	Target  string           `json:"target"`
	Options settings.Options `json:"options"`
	Split   settings.Split   `json:"split"`
}

// settingsKeeper holds the loaded settings in memory and writes them back on every change.
type settingsKeeper struct {
	mu     sync.Mutex
	path   string
	loaded settings.Loaded
}

// settingsPathDefault is the settings file in the user's data directory ("" when there is
// none: then settings live for this run only).
func settingsPathDefault() string {
	dir, err := history.DefaultDataDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, settings.FileName)
}

func newSettingsKeeper(path string) *settingsKeeper {
	k := &settingsKeeper{path: path, loaded: settings.Loaded{Settings: settings.Defaults()}}
	if path != "" {
		k.loaded = settings.Load(path)
	}
	return k
}

func (k *settingsKeeper) update(change func(*settings.Settings)) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	change(&k.loaded.Settings)
	k.loaded.Settings, _ = settings.Validate(k.loaded.Settings)
	if k.path == "" {
		return nil
	}
	return settings.Save(k.path, k.loaded.Settings)
}

// Settings returns the remembered settings and, when the file was unusable, why the defaults
// are in use.
func (s *AppService) Settings() SettingsView {
	s.settings.mu.Lock()
	defer s.settings.mu.Unlock()
	return SettingsView{Settings: s.settings.loaded.Settings, Notice: s.settings.loaded.Notice}
}

// SaveSettings remembers the page's settings (out-of-range values get their defaults) and
// writes the file; the error says why it could not be written.
func (s *AppService) SaveSettings(p PageSettings) error {
	return s.settings.update(func(st *settings.Settings) {
		st.Target, st.Options, st.Split = p.Target, p.Options, p.Split
	})
}

// RememberWindow stores the window's size and position (app.go calls it before the window
// closes). A function, not a method, so the page cannot call it.
func RememberWindow(s *AppService, w settings.Window) error {
	return s.settings.update(func(st *settings.Settings) { st.Window = w })
}

// RememberedWindow is the window to open: the remembered size and, if Placed, position.
func RememberedWindow(s *AppService) settings.Window {
	return s.Settings().Settings.Window
}
