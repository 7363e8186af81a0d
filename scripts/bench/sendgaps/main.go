package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	esp := flag.Uint("echoscope-id", 0, "the Echoscope session's identifier on the wire")
	minRate := flag.Float64("min-rate", 0, "goal: Echoscope sent at least this many requests per second (0: no such goal)")
	jsonOut := flag.String("json", "", "also write the figures to this file")
	flag.Parse()
	flows, err := readFlows(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "sendgaps:", err)
		os.Exit(1)
	}
	own := flows[uint16(*esp)]
	if own == nil {
		fmt.Fprintf(os.Stderr, "sendgaps: no request with identifier %d in the capture\n", *esp)
		os.Exit(1)
	}
	// iputils is the other flow with the most requests (the capture is on a test host of
	// its own, so there are at most the two).
	var other *flow
	for id, fl := range flows {
		if id != own.ID && (other == nil || len(fl.Times) > len(other.Times)) {
			other = fl
		}
	}
	e := measure(own)
	figures := map[string]gapStats{"echoscope": e}
	if other != nil {
		p := measure(other)
		figures["iputils"] = p
		printRow("iputils", p)
		printRow("echoscope", e)
		fmt.Printf("   goal: echoscope gap p99 %.2f <= iputils %.2f ms and max %.2f <= %.2f ms: %s\n",
			e.P99Ms, p.P99Ms, e.Max, p.Max, verdict(e.P99Ms <= p.P99Ms && e.Max <= p.Max))
	} else {
		printRow("echoscope", e)
	}
	if *minRate > 0 {
		fmt.Printf("   goal: at least %.0f requests/s sent: %.1f/s %s\n", *minRate, e.PerSecond, verdict(e.PerSecond >= *minRate))
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(figures, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "sendgaps:", err)
			os.Exit(1)
		}
	}
}

func printRow(name string, s gapStats) {
	fmt.Printf("%-10s id %5d  %6d requests in %6.1f s = %7.1f/s  gap p50 %6.2f ms  p99 %7.2f ms  max %8.2f ms\n",
		name, s.ID, s.Requests, s.Seconds, s.PerSecond, s.P50Ms, s.P99Ms, s.Max)
}

func verdict(ok bool) string {
	if ok {
		return "MET"
	}
	return "NOT MET"
}
