package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"echoscope/backend/service"
	"echoscope/backend/settings"
)

// App is the thin lifecycle glue between Wails and the services: it hands the Wails context to
// the emitter and tells services when the page is ready. Logic lives in backend/.
type App struct {
	ctx     context.Context
	emitter *service.RuntimeEmitter
	appSvc  *service.AppService
	pingSvc *service.PingService
}

// NewApp wires the services together.
func NewApp() *App {
	emitter := service.NewRuntimeEmitter()
	return &App{emitter: emitter, appSvc: service.NewAppService(),
		pingSvc: service.NewPingService(service.PingConfig{Emitter: emitter})}
}

// mainStarted is when the process reached Go's package initialisation: the start of the
// first-paint trace (ECHOSCOPE_TRACE_STARTUP=1, scripts/bench.sh firstpaint).
var mainStarted = time.Now()

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.emitter.Bind(ctx)
	service.TraceFirstPaint(ctx, mainStarted, os.Stderr)
	// Captures dropped on the window are imported from the drop event's paths, on the Go side.
	service.BindFileDrop(ctx, a.pingSvc)
}

// domReady tells the page the backend is up; the frontend may also ask AppService.Info.
func (a *App) domReady(ctx context.Context) {
	// The remembered place; the size was given to options.App (main.go) before the window existed.
	if w := service.RememberedWindow(a.appSvc); w.Placed {
		runtime.WindowSetPosition(ctx, w.X, w.Y)
	}
	a.emitter.Emit(service.EventAppReady, a.appSvc.Info())
}

// beforeClose remembers the window's size and place while the window still exists. A
// maximised or full-screen window keeps the size it had before, so the next start is not stuck
// at the screen's size. It never vetoes the close.
func (a *App) beforeClose(ctx context.Context) bool {
	if runtime.WindowIsMaximised(ctx) || runtime.WindowIsFullscreen(ctx) {
		return false
	}
	w := settings.Window{Placed: true}
	w.Width, w.Height = runtime.WindowGetSize(ctx)
	w.X, w.Y = runtime.WindowGetPosition(ctx)
	if err := service.RememberWindow(a.appSvc, w); err != nil {
		fmt.Fprintln(os.Stderr, "echoscope: window size not remembered:", err)
	}
	return false
}

// shutdown stops running sessions (their summaries are stored), the helper and the store.
func (a *App) shutdown(context.Context) {
	service.ClosePingService(a.pingSvc)
	a.emitter.Unbind()
}

// bound lists the structs whose exported methods the frontend may call.
func (a *App) bound() []any {
	return []any{a.appSvc, a.pingSvc}
}
