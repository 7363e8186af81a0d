package service

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventFirstPaint is emitted by the page once, after the first frame with the Ping view and
// its Target field focused was drawn (the frame after mount). The payload says what had focus.
const EventFirstPaint EventName = "app:firstpaint"

// TraceStartupEnv, set to 1, makes the app print one line on stderr when the page reports its
// first paint: "echoscope: first paint unix_ms=<wall clock> since_main_ms=<since main>
// page_ms=<since the page's navigation began> script_ms=<its script began> mounted_ms=<app
// mounted> focus=<id>" (the three page times from the page's navigation start).
// scripts/bench.sh firstpaint reads it and subtracts the time it launched the process.
const TraceStartupEnv = "ECHOSCOPE_TRACE_STARTUP"

// FirstPaintPayload is the app:firstpaint payload.
type FirstPaintPayload struct {
	// Focus is the data-testid (or id) of the focused element when the frame was drawn.
	Focus string `json:"focus"`
	// PageMs is the page's performance.now() then: ms since its navigation began (loading
	// and running the page's own script and styles, and drawing).
	PageMs float64 `json:"pageMs"`
	// ScriptMs and MountedMs are the page's performance.now() when its script began to run
	// (the bundle fetched, parsed and its imports evaluated) and when the app was mounted.
	ScriptMs  float64 `json:"scriptMs"`
	MountedMs float64 `json:"mountedMs"`
}

// TraceFirstPaint, when TraceStartupEnv is 1, listens for the page's first-paint event and
// prints the line described there to w. mainStarted is when main began.
func TraceFirstPaint(ctx context.Context, mainStarted time.Time, w io.Writer) {
	if os.Getenv(TraceStartupEnv) != "1" {
		return
	}
	runtime.EventsOnce(ctx, string(EventFirstPaint), func(data ...any) {
		now := time.Now()
		var p FirstPaintPayload
		if len(data) > 0 {
			if m, ok := data[0].(map[string]any); ok {
				p.Focus, _ = m["focus"].(string)
				p.PageMs, _ = m["pageMs"].(float64)
				p.ScriptMs, _ = m["scriptMs"].(float64)
				p.MountedMs, _ = m["mountedMs"].(float64)
			}
		}
		fmt.Fprintln(w, FirstPaintLine(now, now.Sub(mainStarted), p))
	})
}

// FirstPaintLine is the trace line TraceFirstPaint prints.
func FirstPaintLine(at time.Time, sinceMain time.Duration, p FirstPaintPayload) string {
	focus := p.Focus
	if focus == "" {
		focus = "-"
	}
	return fmt.Sprintf("echoscope: first paint unix_ms=%d since_main_ms=%d page_ms=%.0f script_ms=%.0f mounted_ms=%.0f focus=%s",
		at.UnixMilli(), sinceMain.Milliseconds(), p.PageMs, p.ScriptMs, p.MountedMs, focus)
}
