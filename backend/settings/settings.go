// Package settings keeps what the user chose between runs (the last target, the ping options,
// the window's size and place, the split shares) in one JSON file in the data directory. Each
// field is checked on load: an out-of-range value falls back to its default, and a file that
// cannot be read or parsed resets everything to the defaults with a notice for the page, so a
// bad file never costs the user a window.
package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
)

// FileName is the settings file's name inside the data directory.
const FileName = "settings.json"

// Options are the ping view's option fields (frontend lib/ping/request.ts OptionsForm).
type Options struct {
	Count        int     `json:"count"`
	IntervalMs   float64 `json:"intervalMs"`
	TimeoutMs    float64 `json:"timeoutMs"`
	Size         int     `json:"size"`
	Pattern      string  `json:"pattern"`
	TTL          int     `json:"ttl"`
	DontFragment bool    `json:"dontFragment"`
	Family       int     `json:"family"`
	Source       string  `json:"source"`
}

// Window is the main window's size and, when Placed, its position on screen.
type Window struct {
	Width  int  `json:"width"`
	Height int  `json:"height"`
	X      int  `json:"x"`
	Y      int  `json:"y"`
	Placed bool `json:"placed"`
}

// Split is the table's share of the table/inspector split, side by side and stacked.
type Split struct {
	RowFraction    float64 `json:"rowFraction"`
	ColumnFraction float64 `json:"columnFraction"`
}

// Settings is the whole file.
type Settings struct {
	Target  string  `json:"target"`
	Options Options `json:"options"`
	Window  Window  `json:"window"`
	Split   Split   `json:"split"`
}

// Bounds of the window: the minimum is main.go's; the maximum is a sanity limit far past any
// screen, so a corrupted number cannot ask for a gigantic window.
const (
	MinWidth  = 900
	MinHeight = 600
	maxExtent = 16384
	// maxText bounds free-text fields (a host name is at most 253 characters).
	maxText = 253
)

// Defaults are the values of a first run (the ping defaults are iputils').
func Defaults() Settings {
	return Settings{
		Options: Options{IntervalMs: 1000, TimeoutMs: 2000, Size: 56},
		Window:  Window{Width: 1280, Height: 820},
		Split:   Split{RowFraction: 0.55, ColumnFraction: 0.5},
	}
}

// Validate returns s with every out-of-range field replaced by its default, and the names of
// the fields it replaced.
func Validate(s Settings) (Settings, []string) {
	d := Defaults()
	var fixed []string
	fix := func(name string, bad bool, apply func()) {
		if bad {
			apply()
			fixed = append(fixed, name)
		}
	}
	o := &s.Options
	fix("target", len(s.Target) > maxText, func() { s.Target = "" })
	fix("count", o.Count < 0, func() { o.Count = d.Options.Count })
	fix("intervalMs", !finite(o.IntervalMs) || o.IntervalMs <= 0 || o.IntervalMs > 3.6e6, func() { o.IntervalMs = d.Options.IntervalMs })
	fix("timeoutMs", !finite(o.TimeoutMs) || o.TimeoutMs <= 0 || o.TimeoutMs > 3.6e6, func() { o.TimeoutMs = d.Options.TimeoutMs })
	fix("size", o.Size < 0 || o.Size > 65527, func() { o.Size = d.Options.Size })
	fix("pattern", len(o.Pattern) > 48, func() { o.Pattern = "" })
	fix("ttl", o.TTL < 0 || o.TTL > 255, func() { o.TTL = d.Options.TTL })
	fix("family", o.Family != 0 && o.Family != 4 && o.Family != 6, func() { o.Family = 0 })
	fix("source", len(o.Source) > maxText, func() { o.Source = "" })
	w := &s.Window
	fix("window", w.Width < MinWidth || w.Width > maxExtent || w.Height < MinHeight || w.Height > maxExtent,
		func() { w.Width, w.Height = d.Window.Width, d.Window.Height })
	fix("position", w.Placed && (abs(w.X) > maxExtent || abs(w.Y) > maxExtent), func() { w.X, w.Y, w.Placed = 0, 0, false })
	fix("rowFraction", !share(s.Split.RowFraction), func() { s.Split.RowFraction = d.Split.RowFraction })
	fix("columnFraction", !share(s.Split.ColumnFraction), func() { s.Split.ColumnFraction = d.Split.ColumnFraction })
	return s, fixed
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
func share(v float64) bool  { return finite(v) && v > 0 && v < 1 }
func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// Loaded is what Load found: the settings to use, and Notice, a sentence for the page when the
// file was unusable and the defaults (or some of them) were used instead ("" when all is well).
type Loaded struct {
	Settings Settings
	Notice   string
}

// Load reads the file at path. A missing file is a first run (defaults, no notice); an
// unreadable or unparsable one gives the defaults and a notice; out-of-range fields get their
// defaults and a notice naming them.
func Load(path string) Loaded {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return Loaded{Settings: Defaults()}
	}
	if err != nil {
		return Loaded{Settings: Defaults(), Notice: fmt.Sprintf("Your settings could not be read (%v), so the defaults are in use.", err)}
	}
	s := Defaults()
	if err := json.Unmarshal(data, &s); err != nil {
		return Loaded{Settings: Defaults(), Notice: fmt.Sprintf("Your settings file %s is damaged (%v), so the defaults are in use; it is replaced at the next change.", path, err)}
	}
	s, fixed := Validate(s)
	if len(fixed) > 0 {
		return Loaded{Settings: s, Notice: fmt.Sprintf("Some remembered settings were out of range and are back to their defaults: %v.", fixed)}
	}
	return Loaded{Settings: s}
}

// Save validates s and writes it to path atomically: to a temporary file in the same
// directory, synced, then renamed over the old file, so a crash mid-write leaves the old file
// or the new one, never half of one.
func Save(path string, s Settings) error {
	s, _ = Validate(s)
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("settings: encode: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("settings: create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, FileName+".*.tmp")
	if err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("settings: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("settings: sync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("settings: close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("settings: replace %s: %w", path, err)
	}
	return nil
}
