package probe

import (
	"net/netip"
	"testing"
	"time"

	"echoscope/backend/wire"
)

// Expiry's work grows with the requests recorded, not with the request numbers between
// them: a recording repeating one identifier and sequence numbers its requests 65,536 apart,
// and the expiry walk used to step over every number in between (35,690 such requests took
// 2 to 11 s; a million would have taken hours). Counted, not timed.
func TestOfflineExpiryWorkIsProportionalToRequests(t *testing.T) {
	target := netip.MustParseAddr("198.18.0.2")
	const requests = 200_000
	s, err := NewOfflineStream(OfflineStreamConfig{
		OfflineConfig: OfflineConfig{Target: target, Identifier: 7, Timeout: time.Second},
		PayloadSize:   8, Ring: 1 << 16}, func(Event) {})
	if err != nil {
		t.Fatal(err)
	}
	req := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoRequest, wire.Echo{ID: 7, Seq: 1, Data: []byte("12345678")}, nil)
	rep := wire.AppendEcho(nil, wire.IPv4, wire.ICMPv4EchoReply, wire.Echo{ID: 7, Seq: 1, Data: []byte("12345678")}, nil)
	t0 := time.Unix(1_700_000_000, 0)
	onTime, lost := 0, 0
	for i := range requests {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		if _, err := s.Add(OfflineMessage{Sent: true, At: Timestamp{Time: at}, Bytes: req, To: target, TTL: -1}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			continue // no reply: lost at its timeout
		}
		ev, err := s.Add(OfflineMessage{At: Timestamp{Time: at.Add(100 * time.Microsecond)}, Bytes: rep, From: target, TTL: 64})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Class == ClassOnTime {
			onTime++
		}
	}
	st := s.Finish()
	lost = int(st.Lost)
	if onTime != requests*9/10 || st.Sent != requests || lost != requests/10 {
		t.Fatalf("%d on time, stats %+v", onTime, st)
	}
	if steps := s.ExpireSteps(); steps > 3*requests {
		t.Fatalf("expiry looked at %d requests for %d recorded: not proportional", steps, requests)
	}
}
