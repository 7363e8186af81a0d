package service

import (
	"regexp"
	"testing"
	"time"
)

// scripts/bench-firstpaint.sh reads this line with sed: each figure as a name=value word.
func TestFirstPaintLineIsWhatTheBenchReads(t *testing.T) {
	main := time.UnixMilli(1_796_646_899_238)
	at := time.UnixMilli(1_796_646_901_167)
	times := StartupTimes{SinceMain: 1929*time.Millisecond + 400*time.Microsecond, Window: 412 * time.Millisecond}
	p := FirstPaintPayload{Focus: "ping-target", NavStartUnixMs: 1_796_646_899_938.4, PageMs: 311.6, ScriptMs: 250.2, MountedMs: 290, EffectsMs: 295.5, FrameMs: 301}
	want := regexp.MustCompile(`^echoscope: first paint unix_ms=1796646901167 since_main_ms=1929 window_ms=412 nav_ms=700 page_ms=312 script_ms=250 mounted_ms=290 effects_ms=296 frame_ms=301 focus=ping-target$`)
	if got := FirstPaintLine(at, main, times, p); !want.MatchString(got) {
		t.Fatalf("line %q", got)
	}
	// A page that says nothing: no navigation time (-1, not a time before main), no focus.
	if got := FirstPaintLine(at, main, StartupTimes{SinceMain: time.Second}, FirstPaintPayload{}); got != "echoscope: first paint unix_ms=1796646901167 since_main_ms=1000 window_ms=0 nav_ms=-1 page_ms=0 script_ms=0 mounted_ms=0 effects_ms=0 frame_ms=0 focus=-" {
		t.Fatalf("no payload: %q", got)
	}
}

// The payload arrives as Wails decodes the page's JSON: a map of float64 and string.
func TestFirstPaintPayloadFromTheEvent(t *testing.T) {
	data := []any{map[string]any{"focus": "ping-target", "navStart": 1.7e12, "pageMs": 310.0, "scriptMs": 250.0, "mountedMs": 290.0, "effectsMs": 295.0, "frameMs": 300.0}}
	want := FirstPaintPayload{Focus: "ping-target", NavStartUnixMs: 1.7e12, PageMs: 310, ScriptMs: 250, MountedMs: 290, EffectsMs: 295, FrameMs: 300}
	if got := firstPaintPayload(data); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got := firstPaintPayload([]any{"not an object"}); got != (FirstPaintPayload{}) {
		t.Fatalf("a string payload gave %+v", got)
	}
	if got := firstPaintPayload(nil); got != (FirstPaintPayload{}) {
		t.Fatalf("no payload gave %+v", got)
	}
}
