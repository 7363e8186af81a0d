package main

import (
	"strconv"
	"strings"
	"testing"
)

func TestMeasureFindsTheGaps(t *testing.T) {
	// Two flows interleaved, one of them (0x1234) with a 500 ms stall among 10 ms gaps.
	var b strings.Builder
	tm := 100.0
	for i := range 101 {
		if i == 50 {
			tm += 0.49
		}
		b.WriteString(strings.Join([]string{ftoa(tm), "0x1234"}, " ") + "\n")
		b.WriteString(ftoa(tm+0.001) + " 77\n")
		tm += 0.01
	}
	flows, err := readFlows(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	s := measure(flows[0x1234])
	if s.Requests != 101 || s.Max < 499 || s.Max > 501 || s.P50Ms < 9.9 || s.P50Ms > 10.1 {
		t.Fatalf("stalled flow %+v", s)
	}
	o := measure(flows[77])
	if o.Requests != 101 || o.ID != 77 {
		t.Fatalf("other flow %+v", o)
	}
}

func TestReadFlowsSaysWhichLineIsBad(t *testing.T) {
	_, err := readFlows(strings.NewReader("1.0 5\nnonsense\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("error %v, want one naming line 2", err)
	}
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }
