// Command emptywindow is the start-up baseline of scripts/bench.sh firstpaint: a Wails
// WebKitGTK window of Echoscope's size whose page is one line of text and reports its first
// frame the way Echoscope's page does (app:firstpaint, printed under
// ECHOSCOPE_TRACE_STARTUP=1). What it takes is what Wails and WebKitGTK cost before any of
// the app's own work.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"

	"echoscope/backend/service"
)

//go:embed index.html
var assets embed.FS

var mainStarted = time.Now()

func main() {
	err := wails.Run(&options.App{
		Title:       "emptywindow",
		Width:       1280,
		Height:      820,
		AssetServer: &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			service.TraceFirstPaint(ctx, mainStarted, os.Stderr)
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "emptywindow:", err)
		os.Exit(1)
	}
}
