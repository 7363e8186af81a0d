package main

import (
	"fmt"
	"reflect"
	"testing"

	"echoscope/backend/wire"
)

// labSteps is the ICMP checksum's steps of a result.
func labSteps(t *testing.T, r labResult) []wire.ChecksumStep {
	t.Helper()
	for _, c := range r.Analysis.Report.Checksums {
		if c.IsICMPMessageChecksum() {
			return c.Trace.Steps
		}
	}
	t.Fatal("no ICMP checksum in the report")
	return nil
}

func TestLabWindowHoldsOnlyTheRowsInView(t *testing.T) {
	for _, c := range []struct {
		name, spec string
		pseudo     int // pseudo-header words before the message's
	}{
		{"v4 1500 bytes", `{"family":4,"type":8,"id":1,"seq":1,"mode":"correct","payloadKind":"pattern","payload":"a5","size":1492`, 0},
		{"v6 odd length", `{"family":6,"type":128,"id":1,"seq":1,"mode":"correct","src":"::1","dst":"::1","payloadKind":"pattern","payload":"a5","size":101`, 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			full := decodeLab(t, labBuild(c.spec+`}`))
			steps := labSteps(t, full)
			classic := full.Analysis.ClassicRun.Steps
			if full.Analysis.Windows != nil || len(steps) < 50 {
				t.Fatalf("unwindowed call: windows %+v, %d steps", full.Analysis.Windows, len(steps))
			}
			if got := len(steps) - len(classic); got < c.pseudo {
				t.Fatalf("%d steps, %d classic steps", len(steps), len(classic))
			}
			win := decodeLab(t, labBuild(c.spec+`,"window":{"steps":{"from":10,"to":28},"compare":{"from":30,"to":48}}}`))
			w := win.Analysis.Windows
			if w == nil {
				t.Fatal("a windowed call returned no windows")
			}
			if w.Steps != (labStepsWindow{From: 10, Total: len(steps)}) || !reflect.DeepEqual(labSteps(t, win), steps[10:28]) {
				t.Errorf("walkthrough window %+v, steps %v", w.Steps, labSteps(t, win))
			}
			message := steps[c.pseudo:]
			if w.Compare.From != 30 || w.Compare.Total != max(len(message), len(classic)) ||
				!reflect.DeepEqual(w.Compare.RFC, message[30:48]) || !reflect.DeepEqual(w.Compare.Classic, classic[30:48]) {
				t.Errorf("comparison window from %d of %d: rfc %v classic %v", w.Compare.From, w.Compare.Total, w.Compare.RFC, w.Compare.Classic)
			}
			if len(win.Analysis.ClassicRun.Steps) != 0 {
				t.Errorf("the classic trace still holds %d steps", len(win.Analysis.ClassicRun.Steps))
			}
			// Everything else is the unwindowed call's.
			a, b := *full.Analysis.LabAnalysis, *win.Analysis.LabAnalysis
			a.Report.Checksums, b.Report.Checksums, a.ClassicRun.Steps, b.ClassicRun.Steps = nil, nil, nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Errorf("the windowed analysis differs beyond its rows")
			}
			if fa, fb := full.Analysis.Report.Checksums[0], win.Analysis.Report.Checksums[0]; fa.Trace.Sum != fb.Trace.Sum || fa.Computed != fb.Computed || !reflect.DeepEqual(fa.Trace.Folds, fb.Trace.Folds) {
				t.Errorf("checksum summary differs: %+v / %+v", fa, fb)
			}
		})
	}
}

func TestLabWindowClipsRowsOutsideTheTable(t *testing.T) {
	for _, c := range []struct {
		window   string
		from, to int // the rows expected of the 8-byte lesson's 4 words
	}{
		{`{"steps":{"from":-5,"to":2},"compare":{"from":-5,"to":2}}`, 0, 2},
		{`{"steps":{"from":3,"to":100},"compare":{"from":3,"to":100}}`, 3, 4},
		{`{"steps":{"from":9,"to":12},"compare":{"from":9,"to":12}}`, 4, 4},
		{`{"steps":{"from":3,"to":1},"compare":{"from":3,"to":1}}`, 3, 3},
	} {
		full := decodeLab(t, labAnalyze(`{"hex":"0800f7cd000d0025","family":4}`))
		r := decodeLab(t, labAnalyze(fmt.Sprintf(`{"hex":"0800f7cd000d0025","family":4,"window":%s}`, c.window)))
		if r.Error != "" {
			t.Fatalf("%s: %s", c.window, r.Error)
		}
		steps := labSteps(t, full)
		if got := labSteps(t, r); r.Analysis.Windows.Steps.From != c.from || !reflect.DeepEqual(got, steps[c.from:c.to]) {
			t.Errorf("%s: steps from %d: %v", c.window, r.Analysis.Windows.Steps.From, got)
		}
		if cw := r.Analysis.Windows.Compare; cw.From != c.from || cw.Total != 4 || len(cw.RFC) != c.to-c.from || len(cw.Classic) != max(0, min(c.to, 3)-c.from) {
			t.Errorf("%s: compare %+v", c.window, cw)
		}
	}
}
