package cli

import (
	"fmt"
	"time"

	"echoscope/backend/probe"
)

// The SIGQUIT status line comes from the engine's own statistics: runPing asks the session
// for an EventStats (probe.Session.RequestStats) and words it here. There is no second
// count in this package to drift from the engine's.

// statsStatus is iputils' status() from the engine's statistics: "3/4 packets, 25% loss,
// min/avg/ewma/max = ..." with iputils' RTT figures, which count duplicates too.
func statsStatus(st *probe.Stats) string {
	w := st.WithDuplicates
	return statusLine(int64(st.Received), int64(st.Sent), st.Received > 0 && w.Max > 0, w.Min, w.Avg, w.EWMA, w.Max)
}

// statusLine words iputils' status(): "3/4 packets, 25% loss, min/avg/ewma/max = ...".
func statusLine(received, sent int64, timed bool, minRTT, avg, ewma, maxRTT time.Duration) string {
	loss := int64(0)
	if sent > 0 {
		loss = (sent - min(received, sent)) * 100 / sent
	}
	s := fmt.Sprintf("%d/%d packets, %d%% loss", received, sent, loss)
	if timed {
		s += fmt.Sprintf(", min/avg/ewma/max = %s/%s/%s/%s ms", msec3(minRTT), msec3(avg), msec3(ewma), msec3(maxRTT))
	}
	return s
}
