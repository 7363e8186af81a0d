package service

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventFirstPaint is emitted by the page once, after the first frame with the Ping view and
// its Target field focused was drawn (the frame after mount). The payload says what had focus.
const EventFirstPaint EventName = "app:firstpaint"

// TraceStartupEnv, set to 1, makes the app print one line on stderr when the page reports its
// first paint (FirstPaintLine says what is in it). scripts/bench.sh firstpaint reads it and
// subtracts the time it launched the process.
const TraceStartupEnv = "ECHOSCOPE_TRACE_STARTUP"

// FirstPaintPayload is the app:firstpaint payload. The page's times are its performance.now()
// at each step: ms since its navigation began.
type FirstPaintPayload struct {
	// Focus is the data-testid (or id) of the focused element when the frame was drawn.
	Focus string `json:"focus"`
	// NavStartUnixMs is the page's performance.timeOrigin: the wall clock when its navigation
	// began (the webview asked for index.html).
	NavStartUnixMs float64 `json:"navStart"`
	// PageMs: the first frame has been drawn (the task after its requestAnimationFrame).
	PageMs float64 `json:"pageMs"`
	// ScriptMs: the page's script began to run (HTML and bundle fetched, parsed, the first
	// frame's imports evaluated).
	ScriptMs float64 `json:"scriptMs"`
	// MountedMs: Svelte's mount() returned (the DOM of the first frame built).
	MountedMs float64 `json:"mountedMs"`
	// EffectsMs: the components' mount effects (onMount) have run.
	EffectsMs float64 `json:"effectsMs"`
	// FrameMs: the first frame began (requestAnimationFrame): style, layout and paint follow.
	FrameMs float64 `json:"frameMs"`
}

// StartupTimes are the Go side's marks, from when main began.
type StartupTimes struct {
	// SinceMain is when the first-paint event arrived.
	SinceMain time.Duration
	// Window is when Wails had created the GTK window and its WebKit view (OnStartup runs
	// right after, before the window is shown and the page is loaded).
	Window time.Duration
}

// TraceFirstPaint, when TraceStartupEnv is 1, listens for the page's first-paint event and
// prints the line FirstPaintLine describes to w. mainStarted is when main began; call it from
// OnStartup, which Wails runs once the window exists.
func TraceFirstPaint(ctx context.Context, mainStarted time.Time, w io.Writer) {
	if os.Getenv(TraceStartupEnv) != "1" {
		return
	}
	window := time.Since(mainStarted)
	runtime.EventsOnce(ctx, string(EventFirstPaint), func(data ...any) {
		now := time.Now()
		p := firstPaintPayload(data)
		fmt.Fprintln(w, FirstPaintLine(now, mainStarted, StartupTimes{SinceMain: now.Sub(mainStarted), Window: window}, p))
	})
}

// firstPaintPayload reads the event's data (a JSON object decoded by Wails); missing or
// mistyped fields stay zero.
func firstPaintPayload(data []any) FirstPaintPayload {
	var p FirstPaintPayload
	if len(data) == 0 {
		return p
	}
	m, ok := data[0].(map[string]any)
	if !ok {
		return p
	}
	p.Focus, _ = m["focus"].(string)
	p.NavStartUnixMs, _ = m["navStart"].(float64)
	p.PageMs, _ = m["pageMs"].(float64)
	p.ScriptMs, _ = m["scriptMs"].(float64)
	p.MountedMs, _ = m["mountedMs"].(float64)
	p.EffectsMs, _ = m["effectsMs"].(float64)
	p.FrameMs, _ = m["frameMs"].(float64)
	return p
}

// FirstPaintLine is the trace line TraceFirstPaint prints, name=value words:
//
//	unix_ms        wall clock when the first-paint event reached Go
//	since_main_ms  from main to then
//	window_ms      from main to the window created (OnStartup)
//	nav_ms         from main to the page's navigation start (-1: the page did not say)
//	page_ms, script_ms, mounted_ms, effects_ms, frame_ms
//	               the page's steps from its navigation start (FirstPaintPayload)
//	focus          what had focus (- for nothing)
func FirstPaintLine(at, mainStarted time.Time, t StartupTimes, p FirstPaintPayload) string {
	focus := p.Focus
	if focus == "" {
		focus = "-"
	}
	nav := int64(-1)
	if p.NavStartUnixMs > 0 {
		nav = int64(math.Round(p.NavStartUnixMs)) - mainStarted.UnixMilli()
	}
	return fmt.Sprintf("echoscope: first paint unix_ms=%d since_main_ms=%d window_ms=%d nav_ms=%d page_ms=%.0f script_ms=%.0f mounted_ms=%.0f effects_ms=%.0f frame_ms=%.0f focus=%s",
		at.UnixMilli(), t.SinceMain.Milliseconds(), t.Window.Milliseconds(), nav, p.PageMs, p.ScriptMs, p.MountedMs, p.EffectsMs, p.FrameMs, focus)
}
