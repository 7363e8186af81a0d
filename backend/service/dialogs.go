package service

import (
	"context"
	"errors"
	"fmt"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ErrNoWindow: a native dialog was asked for while there is no window (before start-up,
// after shutdown, or in a process without one).
var ErrNoWindow = errors.New("no window to open a dialog in")

// FileFilter is one entry of a dialog's file type list; Pattern is "*.pcap;*.pcapng".
type FileFilter struct {
	DisplayName string
	Pattern     string
}

// Dialogs are the native file dialogs. A cancelled dialog returns "" and no error. The
// services use this interface so that their tests need no window.
type Dialogs interface {
	SaveFile(title, defaultName string, filters []FileFilter) (string, error)
	OpenFile(title string, filters []FileFilter) (string, error)
}

// RuntimeDialogs opens the dialogs through the Wails runtime, with the context Wails gave
// at start-up (the runtime calls log.Fatalf without it, so it is checked first).
type RuntimeDialogs struct {
	ctx func() context.Context
}

// NewRuntimeDialogs returns dialogs that use the context ctx returns (nil: no window yet).
func NewRuntimeDialogs(ctx func() context.Context) *RuntimeDialogs { return &RuntimeDialogs{ctx: ctx} }

func wailsFilters(fs []FileFilter) []runtime.FileFilter {
	out := make([]runtime.FileFilter, 0, len(fs))
	for _, f := range fs {
		out = append(out, runtime.FileFilter{DisplayName: f.DisplayName, Pattern: f.Pattern})
	}
	return out
}

// SaveFile implements Dialogs.
func (d *RuntimeDialogs) SaveFile(title, defaultName string, filters []FileFilter) (string, error) {
	ctx := d.ctx()
	if ctx == nil {
		return "", ErrNoWindow
	}
	path, err := runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: defaultName,
		Filters: wailsFilters(filters), CanCreateDirectories: true})
	if err != nil {
		return "", fmt.Errorf("save dialog: %w", err)
	}
	return path, nil
}

// OpenFile implements Dialogs.
func (d *RuntimeDialogs) OpenFile(title string, filters []FileFilter) (string, error) {
	ctx := d.ctx()
	if ctx == nil {
		return "", ErrNoWindow
	}
	path, err := runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title, Filters: wailsFilters(filters)})
	if err != nil {
		return "", fmt.Errorf("open dialog: %w", err)
	}
	return path, nil
}

// noDialogs is what a service without a window has.
type noDialogs struct{}

func (noDialogs) SaveFile(string, string, []FileFilter) (string, error) { return "", ErrNoWindow }
func (noDialogs) OpenFile(string, []FileFilter) (string, error)         { return "", ErrNoWindow }
