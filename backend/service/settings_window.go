package service

import (
	"context"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"echoscope/backend/settings"
)

// PlaceWindow moves the window to its remembered place (app.go calls it once the page is
// up); the size was given to options.App before the window existed.
func PlaceWindow(ctx context.Context, s *AppService) {
	if w := RememberedWindow(s); w.Placed {
		runtime.WindowSetPosition(ctx, w.X, w.Y)
	}
}

// RememberWindowAtClose reads the window's size and place while it still exists (app.go's
// OnBeforeClose; the close button and runtime.Quit both pass there). A maximised or
// full-screen window keeps the size it had before, so the next start is not stuck at the
// screen's size.
func RememberWindowAtClose(ctx context.Context, s *AppService) error {
	if runtime.WindowIsMaximised(ctx) || runtime.WindowIsFullscreen(ctx) {
		return nil
	}
	w := settings.Window{Placed: true}
	w.Width, w.Height = runtime.WindowGetSize(ctx)
	w.X, w.Y = runtime.WindowGetPosition(ctx)
	return RememberWindow(s, w)
}
