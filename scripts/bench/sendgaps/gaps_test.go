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

// Whatever tshark (or a damaged file) gives, the reader returns flows or an error, never a
// panic, and measure copes with every flow it returns.
func FuzzReadFlows(f *testing.F) {
	f.Add("1765100000.000001 0x1234\n1765100000.010002 0x1234\n")
	f.Add("1.5 77,77\n\n2.5 77\n")
	f.Add("x y z\n")
	f.Fuzz(func(t *testing.T, text string) {
		flows, err := readFlows(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, fl := range flows {
			if s := measure(fl); s.Requests != len(fl.Times) {
				t.Fatalf("measure counted %d of %d requests", s.Requests, len(fl.Times))
			}
		}
	})
}
