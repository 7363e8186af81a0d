package seed

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"echoscope/backend/history"
	"echoscope/backend/probe"
	"echoscope/backend/wire"
)

func openStore(t *testing.T) *history.Store {
	t.Helper()
	st, err := history.OpenWith(history.OpenOptions{Path: filepath.Join(t.TempDir(), history.DatabaseFile)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func allRows(t *testing.T, st *history.Store, id int64) []history.Packet {
	t.Helper()
	var out []history.Packet
	for p, err := range st.AllPackets(context.Background(), id) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// The seeded rows must be judged by the engine's own offline rules exactly as the seeder
// labelled them: same classes, same counts. That is what "realistic" means here.
func TestSeededSessionIsWhatTheEngineWouldHaveStored(t *testing.T) {
	for _, target := range []string{"198.18.0.1", "2001:db8::1"} {
		t.Run(target, func(t *testing.T) {
			st := openStore(t)
			ctx := context.Background()
			res, err := Seed(ctx, st, Options{Rows: 2001, Target: target, LossEvery: 7})
			if err != nil {
				t.Fatal(err)
			}
			if res.Rows != 2001 {
				t.Fatalf("rows %d", res.Rows)
			}
			ss, err := st.Session(ctx, res.SessionID)
			if err != nil || ss.Packets != 2001 || ss.Ended.IsZero() || ss.Stats == nil || ss.Engine != "in-process-raw" || ss.Socket != "raw" {
				t.Fatalf("session %+v, %v", ss, err)
			}
			rows := allRows(t, st, res.SessionID)
			checkRows(t, rows, ss)
			fam, addr := wire.IPv4, rows[0].To
			if addr.Is6() {
				fam = wire.IPv6
			}
			var msgs []probe.OfflineMessage
			var classes []probe.Class
			for _, p := range rows {
				if p.Kind == probe.EventLoss {
					continue
				}
				msgs = append(msgs, probe.OfflineMessage{Sent: p.Kind == probe.EventSend, At: p.Time,
					Bytes: p.Bytes, IncludesIPHeader: p.IncludesIPHeader, From: p.From, To: p.To, TTL: p.TTL})
				classes = append(classes, p.Class)
			}
			var tok uint64
			for i := range 8 {
				tok = tok<<8 | uint64(rows[0].Bytes[wire.EchoHeaderLen+i])
			}
			judged, err := probe.ClassifyOffline(probe.OfflineConfig{Target: addr, Identifier: Identifier,
				Token: tok, Timeout: Timeout}, msgs)
			if err != nil {
				t.Fatal(err)
			}
			for i, ev := range judged.Events {
				if ev.Kind != probe.EventSend && ev.Class != classes[i] {
					t.Fatalf("%s message %d: seeded %q, engine says %q (%s)", fam, i, classes[i], ev.Class, ev.Note)
				}
			}
			got, want := judged.Stats, *ss.Stats
			if got.Sent != want.Sent || got.Received != want.Received || got.Lost != want.Lost ||
				got.OutOfOrder != want.OutOfOrder || got.Foreign != want.Foreign || want.Sent != 1000 || want.Lost != 1000/7 {
				t.Fatalf("engine stats %+v\nseeded %+v", got, want)
			}
			if want.P50 <= 0 || want.P50 > want.P99 || want.Min > want.P50 || want.P99 > want.Max {
				t.Fatalf("RTT figures out of order: %+v", want)
			}
			// The same accumulator on both sides: the offline engine measures from the send
			// rows' user-space times, the seeder from the kernel's, txDelay later; the spread
			// and the loss window agree exactly.
			if got.Min != want.Min+txDelay || got.P50 != want.P50+txDelay || got.P99 != want.P99+txDelay ||
				got.Max != want.Max+txDelay || (got.Mdev-want.Mdev).Abs() > 1 || got.Jitter != want.Jitter ||
				got.WindowSize != want.WindowSize || got.WindowLossPercent != want.WindowLossPercent ||
				got.LossPercent != want.LossPercent {
				t.Fatalf("engine stats %+v\nseeded %+v", got, want)
			}
		})
	}
}

// checkRows: dense positions, valid checksums, real echo bytes, raw IPv4 headers on replies,
// message times in order.
func checkRows(t *testing.T, rows []history.Packet, ss history.Session) {
	t.Helper()
	var last probe.Timestamp
	kinds := map[probe.EventKind]int{}
	for i, p := range rows {
		kinds[p.Kind]++
		if p.N != int64(i) {
			t.Fatalf("row %d has position %d", i, p.N)
		}
		fam := wire.IPv4
		if p.To.Is6() {
			fam = wire.IPv6
		}
		icmp := p.Bytes
		if p.IncludesIPHeader {
			if !wire.VerifyIPv4HeaderChecksum(p.Bytes) {
				t.Fatalf("row %d: bad IPv4 header checksum", i)
			}
			_, payload, err := wire.SplitIPv4(p.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			icmp = payload
		} else if p.Kind == probe.EventReply && fam == wire.IPv4 {
			t.Fatalf("row %d: IPv4 reply without its IP header", i)
		}
		src, dst := p.From, p.To
		if p.Kind == probe.EventSend || p.Kind == probe.EventLoss {
			src, dst = localFor(p.To), p.To
		}
		if !wire.VerifyChecksum(fam, icmp, &wire.PseudoHeader{Src: src, Dst: dst}) {
			t.Fatalf("row %d (%s): bad ICMP checksum", i, p.Kind)
		}
		if p.Kind == probe.EventLoss {
			continue // a loss row carries its request's time
		}
		if p.Time.Time.Before(last.Time) {
			t.Fatalf("row %d at %v, before row %d's %v", i, p.Time.Time, i-1, last.Time)
		}
		last = p.Time
	}
	if kinds[probe.EventSend] != 1000 || kinds[probe.EventLoss] != 1000/7 || kinds[probe.EventReply] != 1000-1000/7+1 {
		t.Fatalf("row kinds %v", kinds)
	}
	if ss.Ended.Before(last.Time) {
		t.Fatalf("session ends %v, before its last row %v", ss.Ended, last.Time)
	}
}

func TestSeedRefusesUnusableOptions(t *testing.T) {
	st := openStore(t)
	for _, o := range []Options{{Rows: 1}, {Rows: 10, Target: "not an address"}, {Rows: 10, LossEvery: -1}} {
		if _, err := Seed(context.Background(), st, o); !errors.Is(err, ErrOptions) {
			t.Errorf("Seed(%+v) = %v, want ErrOptions", o, err)
		}
	}
	if list, _ := st.ListSessions(context.Background(), history.SessionFilter{}); len(list) != 0 {
		t.Fatalf("refused seeds left %d sessions", len(list))
	}
}
