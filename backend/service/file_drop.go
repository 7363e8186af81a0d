package service

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventCaptureDropped carries a DropResult for each file dropped on the window.
const EventCaptureDropped EventName = "history:dropped"

// DropResult is what became of one file dropped on the window: imported as a session
// (Result), or why not (Error, in words).
type DropResult struct {
	// Name is the file's base name (the page is not told full paths it did not choose).
	Name   string       `json:"name"`
	Result ImportResult `json:"result"`
	Error  string       `json:"error"`
}

// captureExtensions are the files a drop imports; anything else is refused by name.
var captureExtensions = map[string]bool{".pcap": true, ".pcapng": true, ".cap": true}

// BindFileDrop imports the pcap and pcapng files dropped on the window. The paths come from
// Wails' drop event on the Go side (main.go enables it), never from the page: no bound
// method takes a path to import.
func BindFileDrop(ctx context.Context, s *PingService) {
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		go s.importDropped(paths)
	})
}

// importDropped imports each dropped file in turn and emits its DropResult.
func (s *PingService) importDropped(paths []string) {
	for _, path := range paths {
		name := filepath.Base(path)
		r := DropResult{Name: name}
		if !captureExtensions[strings.ToLower(filepath.Ext(name))] {
			r.Error = name + " is not a capture: drop a .pcap or .pcapng file"
		} else if res, err := s.importCaptureFrom(path); err != nil {
			r.Error = err.Error()
		} else {
			res.Path = name
			r.Result = res
		}
		s.cfg.Emitter.Emit(EventCaptureDropped, r)
	}
}
