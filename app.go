package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"echoscope/backend/service"
)

// App is the thin lifecycle glue between Wails and the services: it hands the Wails context to
// the emitter and tells services when the page is ready. Logic lives in backend/.
type App struct {
	emitter *service.RuntimeEmitter
	frames  *service.FrameFeed
	appSvc  *service.AppService
	pingSvc *service.PingService
}

// NewApp wires the services together.
func NewApp() *App {
	emitter := service.NewRuntimeEmitter()
	frames := service.NewFrameFeed(0)
	return &App{emitter: emitter, frames: frames, appSvc: service.NewAppService(),
		pingSvc: service.NewPingService(service.PingConfig{Emitter: emitter, Frames: frames})}
}

// mainStarted is when the process reached Go's package initialisation: the start of the
// first-paint trace (ECHOSCOPE_TRACE_STARTUP=1, scripts/bench.sh firstpaint).
var mainStarted = time.Now()

func (a *App) startup(ctx context.Context) {
	a.emitter.Bind(ctx)
	service.TraceFirstPaint(ctx, mainStarted, os.Stderr)
	// Captures dropped on the window are imported from the drop event's paths, on the Go side.
	service.BindFileDrop(ctx, a.pingSvc)
}

// domReady tells the page the backend is up; the frontend may also ask AppService.Info.
func (a *App) domReady(ctx context.Context) {
	service.PlaceWindow(ctx, a.appSvc)
	a.emitter.Emit(service.EventAppReady, a.appSvc.Info())
}

// beforeClose remembers the window's size and place while the window still exists. It never
// vetoes the close.
func (a *App) beforeClose(ctx context.Context) bool {
	if err := service.RememberWindowAtClose(ctx, a.appSvc); err != nil {
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
