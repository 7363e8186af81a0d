package service

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"echoscope/backend/history"
	"echoscope/backend/history/seed"
	"echoscope/backend/probe"
)

func historyFixture(name string) string {
	return filepath.Join("..", "capture", "testdata", name)
}

// A capture (tcpdump/Wireshark style, IPv4 and IPv6 pings on loopback) opens like any
// session: listed as imported, its chart, rows and inspector complete.
func TestImportedCaptureOpensInTheInspector(t *testing.T) {
	dir := t.TempDir()
	dlg := &fakeDialogs{openPath: historyFixture("loopback.pcapng")}
	svc := newServiceWithDialogs(t, dir, dlg)
	res, err := svc.importNow(t)
	if err != nil {
		t.Fatal(err)
	}
	if res.Cancelled || res.SessionID == "" || res.Packets != 20 || res.Target != "2 targets" ||
		res.Path != dlg.openPath || res.Warnings == nil {
		t.Fatalf("import %+v", res)
	}
	if !strings.Contains(dlg.filters[0][0].Pattern, "*.pcapng") || dlg.filters[0][1].Pattern != "*" {
		t.Fatalf("open dialog filters %+v", dlg.filters)
	}
	list, err := svc.Sessions("loopback", 0)
	if err != nil || len(list) != 1 || !list[0].Imported || list[0].ImportedFrom != "loopback.pcapng" ||
		list[0].Engine != EngineImported || list[0].Interrupted || list[0].Sent != 10 || list[0].Received != 10 {
		t.Fatalf("listed as %+v, %v", list, err)
	}
	view, err := svc.openNow(t, res.SessionID)
	if err != nil || !view.Info.Imported || view.Info.ImportedFrom != "loopback.pcapng" || view.Info.Engine != EngineImported ||
		view.TotalRows != 20 || len(view.Points) != 10 || view.Stats == nil || view.Stats.Received != 10 {
		t.Fatalf("opened as %+v, %v", view, err)
	}
	page, err := svc.Rows(res.SessionID, 0, 100)
	if err != nil || len(page.Rows) != 20 {
		t.Fatalf("rows %d, %v", len(page.Rows), err)
	}
	replies := 0
	for _, r := range page.Rows {
		d, err := svc.Packet(res.SessionID, int(r.N))
		if err != nil {
			t.Fatal(err)
		}
		if d.Engine != EngineImported || d.RequestHex == "" {
			t.Fatalf("row %d detail %+v", r.N, d)
		}
		// The request is shown as sent: its ICMP message, never the captured IP header.
		if first := d.RequestHex[:2]; first != "08" && first != "80" {
			t.Fatalf("row %d request %s... is not an echo request", r.N, d.RequestHex[:8])
		}
		if r.Kind == "reply" {
			replies++
			if d.Class != "on-time" || d.Rule == "" || d.Rule == string(probe.RuleNone) || d.ReplyHex == "" ||
				!d.ReplyIncludesIPHeader || d.RTTMs == nil || d.SentAt == "" || d.ReceivedClock != string(history.CaptureClock) {
				t.Fatalf("reply row %d detail %+v", r.N, d)
			}
		}
	}
	if replies != 10 {
		t.Fatalf("%d replies inspected", replies)
	}
	dlg.openPath = ""
	if c, err := svc.importNow(t); err != nil || !c.Cancelled {
		t.Fatalf("cancelled: %+v, %v", c, err)
	}
}

// Broken or irrelevant files are refused in words, and nothing is stored.
func TestImportRefusesCorruptCapturesAndStoresNothing(t *testing.T) {
	dir, files := t.TempDir(), t.TempDir()
	good, err := os.ReadFile(historyFixture("loopback.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A pcap of one UDP datagram: a capture, but no ICMP in it.
	udp := append([]byte(nil), good[:24+16]...)
	ip := append([]byte(nil), good[24+16:24+16+28]...)
	ip[9] = 17
	udp[24+8], udp[24+9], udp[24+10], udp[24+11] = 28, 0, 0, 0
	udp[24+12], udp[24+13], udp[24+14], udp[24+15] = 28, 0, 0, 0
	udp = append(udp, ip...)
	cases := map[string]struct {
		path string
		want []string
		is   error
	}{
		"not a capture": {write("notes.txt", []byte("these are not packets")), []string{"notes.txt", "not a pcap or pcapng file"}, history.ErrCapture},
		"no icmp":       {write("udp.pcap", udp), []string{"no ICMP echo or ICMP error packets in udp.pcap"}, history.ErrNoICMP},
		"missing":       {filepath.Join(files, "absent.pcap"), []string{"absent.pcap"}, os.ErrNotExist},
	}
	svc := newServiceWithDialogs(t, dir, &fakeDialogs{})
	for name, c := range cases {
		_, err := svc.importCaptureFrom(c.path)
		if !errors.Is(err, ErrImport) || !errors.Is(err, c.is) {
			t.Errorf("%s: %v, want ErrImport and %v", name, err, c.is)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", name, err, w)
			}
		}
	}
	if list, _ := svc.Sessions("", 0); len(list) != 0 {
		t.Fatalf("refused imports stored %d sessions", len(list))
	}
	// A capture cut short is imported up to its last complete record, and says where it
	// was cut.
	res, err := svc.importCaptureFrom(write("cut.pcap", good[:len(good)-5]))
	if err != nil || res.Packets == 0 || !slices.ContainsFunc(res.Warnings, func(w string) bool {
		return strings.Contains(w, "cut short at byte") && strings.Contains(w, "complete records before the cut were read")
	}) {
		t.Fatalf("cut capture: %+v, %v", res, err)
	}
}

// Exporting a session and importing the capture gives the same judgement: the importer
// uses the engine's rules, recognises Echoscope's payload token, and finds the same losses,
// out-of-order replies and foreign message.
func TestExportThenImportJudgesAsLive(t *testing.T) {
	dir := t.TempDir()
	res := seedAt(t, dir, seed.Options{Rows: 4001, LossEvery: 25})
	svc := newServiceWithDialogs(t, dir, &fakeDialogs{})
	id := strconv.FormatInt(res.SessionID, 10)
	file := filepath.Join(t.TempDir(), "seeded.pcapng")
	if _, err := svc.exportSessionTo(id, "pcapng", file); err != nil {
		t.Fatal(err)
	}
	imp, err := svc.importCaptureFrom(file)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := svc.openNow(t, id)
	back, err := svc.openNow(t, imp.SessionID)
	if err != nil {
		t.Fatal(err)
	}
	o, b := orig.Stats, back.Stats
	if b.Sent != o.Sent || b.Received != o.Received || b.Lost != o.Lost || b.OutOfOrder != o.OutOfOrder ||
		b.Foreign != o.Foreign || b.OutOfOrder == 0 || b.Foreign != 1 || imp.Packets != 4001 {
		t.Fatalf("imported stats %+v\noriginal %+v", b, o)
	}
	classes := map[string]int{}
	for off := 0; off < 4001; off += MaxPageRows {
		page, err := svc.Rows(imp.SessionID, off, MaxPageRows)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Rows {
			classes[r.Kind+":"+r.Class]++
		}
	}
	if classes["loss:"] != 80 || classes["reply:on-time"]+classes["reply:out-of-order"] != 1920 {
		t.Fatalf("imported rows by class %v", classes)
	}
	d, err := svc.Packet(imp.SessionID, 1)
	if err != nil || d.Rule != string(probe.RuleIDSeqToken) {
		t.Fatalf("an imported Echoscope reply matched by %q (%v), want the token rule", d.Rule, err)
	}
}
