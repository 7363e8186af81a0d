// Command echoscope is the Echoscope desktop app: an ICMP echo workbench (Wails + Svelte).
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"echoscope/backend/service"
	"echoscope/backend/settings"
)

// The built frontend (npm run build). frontend/dist/.gitkeep keeps this compiling on a fresh
// clone before the frontend is built; such a binary shows an empty window.
//
//go:embed all:frontend/dist
var assets embed.FS

// Window sizes: the default (settings.Defaults, 1280x820) fits field table and hex dump side by
// side; the minimum still shows a full 16-byte hex dump row. The remembered size is checked
// against the same minimum.
const (
	minWidth  = settings.MinWidth
	minHeight = settings.MinHeight
)

func main() {
	giveWebviewALanguage()
	app := NewApp()
	// The remembered size (the defaults on a first run; settings bound it to at least the minimum).
	win := service.RememberedWindow(app.appSvc)
	err := wails.Run(&options.App{
		Title:     service.ProductName,
		Width:     win.Width,
		Height:    win.Height,
		MinWidth:  minWidth,
		MinHeight: minHeight,
		// The handler serves what the embedded assets do not have: the frames of running
		// sessions, fetched by the page (service.FrameFeed).
		AssetServer:      &assetserver.Options{Assets: assets, Handler: app.frames},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		Bind:             app.bound(),
		// Files dropped on the window reach Go (service.BindFileDrop), not the page.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		// GPU policy Never, as Wails chooses when an app passes no Linux options (wails#2977:
		// blank windows with some GPU drivers). Passing Options with the field left zero meant
		// Always: WebKitGTK then sets up GL compositing before the first frame, which the
		// empty-window baseline of scripts/bench.sh firstpaint never did (docs/benchmarks.md).
		Linux: &linux.Options{ProgramName: "echoscope", WindowIsTranslucent: false, WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "echoscope:", err)
		os.Exit(1)
	}
}
