package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func decodeLab(t *testing.T, out string) labResult {
	t.Helper()
	var r labResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return r
}

func TestLabBuildTheLessonPacket(t *testing.T) {
	r := decodeLab(t, labBuild(`{"family":4,"type":8,"id":13,"seq":37,"mode":"classic"}`))
	if r.Error != "" || r.Analysis == nil {
		t.Fatalf("error %q", r.Error)
	}
	a := r.Analysis
	if a.Hex != "0800f2ff000d0025" || a.Correct != 0xf7cd || a.Classic != 0xf2ff || a.Verdict != "classic" {
		t.Fatalf("hex %s correct %#04x classic %#04x verdict %s", a.Hex, a.Correct, a.Classic, a.Verdict)
	}
	v6 := decodeLab(t, labBuild(`{"family":6,"type":128,"id":1,"seq":2,"mode":"correct","src":"::1","dst":"::1","payloadKind":"text","payload":"x"}`))
	if v6.Error != "" || v6.Analysis.Verdict != "correct" {
		t.Fatalf("v6: %+v", v6)
	}
}

func TestLabAnalyzeTypedBytes(t *testing.T) {
	r := decodeLab(t, labAnalyze(`{"hex":"08 00 f7 cd 00 0d 00 25","family":4}`))
	if r.Error != "" || r.Analysis.Verdict != "correct" || r.Analysis.Fields.Seq != 37 {
		t.Fatalf("%+v", r)
	}
}

func TestLabCallsReportBadInputInWords(t *testing.T) {
	for _, c := range []struct{ out, want string }{
		{labBuild(`{`), "Lab spec"},
		{labBuild(`{"family":4,"mode":"sometimes"}`), "Checksum mode"},
		{labBuild(`{"family":6,"type":128}`), "IPv6 addresses"},
		{labAnalyze(`{"hex":"zz","family":4}`), "Invalid hex"},
		{labAnalyze(`{"hex":"08","family":5}`), "family must be 4 or 6"},
		{labAnalyze(`{"hex":"08","family":4,"src":"nope"}`), "Lab request"},
	} {
		r := decodeLab(t, c.out)
		if r.Analysis != nil || !strings.Contains(r.Error, c.want) || strings.Contains(r.Error, "wire:") {
			t.Errorf("%s: want an error containing %q", c.out, c.want)
		}
	}
}
