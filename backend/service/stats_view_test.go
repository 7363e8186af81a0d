package service

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"echoscope/backend/probe"
)

// The engine's schedule and delivery counters reach the page's frames (the stat cards).
func TestStatsViewCarriesTheSendersSchedule(t *testing.T) {
	v := statsView(probe.Stats{Sent: 10, SendsLate: 3, SendLateMax: 42500 * time.Microsecond, EventsDropped: 2, StatsCoalesced: 5})
	if v.SendsLate != 3 || v.SendLateMaxMs != 42.5 || v.EventsDropped != 2 || v.StatsCoalesced != 5 {
		t.Fatalf("view %+v", v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"sendsLate":3`, `"sendLateMaxMs":42.5`, `"eventsDropped":2`, `"statsCoalesced":5`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("frame JSON %s lacks %s", b, key)
		}
	}
}
