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
)

// The built frontend (npm run build). frontend/dist/.gitkeep keeps this compiling on a fresh
// clone before the frontend is built; such a binary shows an empty window.
//
//go:embed all:frontend/dist
var assets embed.FS

// Window sizes: the default fits field table and hex dump side by side; the minimum still
// shows a full 16-byte hex dump row.
const (
	defaultWidth  = 1280
	defaultHeight = 820
	minWidth      = 900
	minHeight     = 600
)

func main() {
	giveWebviewALanguage()
	app := NewApp()
	err := wails.Run(&options.App{
		Title:     service.ProductName,
		Width:     defaultWidth,
		Height:    defaultHeight,
		MinWidth:  minWidth,
		MinHeight: minHeight,
		// The handler serves what the embedded assets do not have: the frames of running
		// sessions, fetched by the page (service.FrameFeed).
		AssetServer:      &assetserver.Options{Assets: assets, Handler: app.frames},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnShutdown:       app.shutdown,
		Bind:             app.bound(),
		// Files dropped on the window reach Go (service.BindFileDrop), not the page.
		DragAndDrop: &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Linux:       &linux.Options{ProgramName: "echoscope", WindowIsTranslucent: false},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "echoscope:", err)
		os.Exit(1)
	}
}
