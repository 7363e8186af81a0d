package service

import (
	"regexp"
	"testing"
	"time"
)

// scripts/bench-firstpaint.sh reads this line with sed: unix_ms, since_main_ms, page_ms and focus as
// name=value words.
func TestFirstPaintLineIsWhatTheBenchReads(t *testing.T) {
	at := time.UnixMilli(1_796_646_901_167)
	want := regexp.MustCompile(`^echoscope: first paint unix_ms=1796646901167 since_main_ms=1929 page_ms=312 script_ms=250 mounted_ms=290 focus=ping-target$`)
	if got := FirstPaintLine(at, 1929*time.Millisecond+400*time.Microsecond, FirstPaintPayload{Focus: "ping-target", PageMs: 311.6, ScriptMs: 250.2, MountedMs: 290}); !want.MatchString(got) {
		t.Fatalf("line %q", got)
	}
	if got := FirstPaintLine(at, time.Second, FirstPaintPayload{}); got != "echoscope: first paint unix_ms=1796646901167 since_main_ms=1000 page_ms=0 script_ms=0 mounted_ms=0 focus=-" {
		t.Fatalf("no focus: %q", got)
	}
}
