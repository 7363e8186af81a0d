package service

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"echoscope/backend/history/seed"
)

// fakeDialogs answers the native dialogs with fixed paths ("" = cancelled) and records
// what they were asked.
type fakeDialogs struct {
	savePath, openPath string
	asked              []string
	filters            [][]FileFilter
}

func (d *fakeDialogs) SaveFile(title, name string, filters []FileFilter) (string, error) {
	d.asked = append(d.asked, name)
	d.filters = append(d.filters, filters)
	return d.savePath, nil
}

func (d *fakeDialogs) OpenFile(title string, filters []FileFilter) (string, error) {
	d.asked = append(d.asked, title)
	d.filters = append(d.filters, filters)
	return d.openPath, nil
}

func newServiceWithDialogs(t *testing.T, dir string, d Dialogs) *PingService {
	t.Helper()
	svc := NewPingService(PingConfig{Emitter: newRecorder(), OpenStore: storeIn(dir), Dialogs: d})
	t.Cleanup(func() { ClosePingService(svc) })
	return svc
}

func tshark(t *testing.T, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed")
	}
	cmd := exec.Command(bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr // "Running as user root..." goes there
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

func TestExportSessionWritesWhatTsharkAndParsersRead(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 5, 6, 7, 8, 9, 0, time.Local)
	res := seedAt(t, dir, seed.Options{Rows: 301, LossEvery: 10, Start: t0})
	id := strconv.FormatInt(res.SessionID, 10)
	out := t.TempDir()
	dlg := &fakeDialogs{savePath: filepath.Join(out, "chosen.pcapng")}
	svc := newServiceWithDialogs(t, dir, dlg)

	got, err := svc.exportNow(t, id, "pcapng")
	if err != nil {
		t.Fatal(err)
	}
	if dlg.asked[0] != "echoscope-198.18.0.1-20260506-070809.pcapng" || dlg.filters[0][0].Pattern != "*.pcapng" {
		t.Fatalf("dialog asked %q with %+v", dlg.asked, dlg.filters)
	}
	fi, err := os.Stat(dlg.savePath)
	if err != nil || got.Cancelled || got.Path != dlg.savePath || got.Bytes != fi.Size() || got.Packets != 301-15 {
		t.Fatalf("export %+v (file %v, %v)", got, fi, err)
	}
	// Every echo request and reply, with checksums tshark verifies itself.
	lines := strings.Split(strings.TrimSpace(tshark(t, "-r", got.Path, "-o", "ip.check_checksum:TRUE",
		"-T", "fields", "-e", "icmp.type", "-e", "icmp.checksum.status", "-e", "ip.checksum.status")), "\n")
	requests, replies := 0, 0
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if f[1] != "1" || (f[2] != "" && f[2] != "1") {
			t.Fatalf("tshark: bad checksum in %q", l)
		}
		switch f[0] {
		case "8":
			requests++
		case "0":
			replies++
		}
	}
	if requests != 150 || replies != 150-15+1 {
		t.Fatalf("tshark lists %d requests and %d replies, want 150 and 136", requests, replies)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, ".*tmp")); len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	csvRes, err := svc.exportSessionTo(id, "csv", filepath.Join(out, "table.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(csvRes.Path)
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(records) != 302 || csvRes.Packets != 301 {
		t.Fatalf("CSV: %d records (header + rows), %d packets, %v", len(records), csvRes.Packets, err)
	}
	page, _ := svc.Rows(id, 0, 1000)
	if int64(len(records)-1) != page.TotalRows {
		t.Fatalf("CSV has %d rows, the table %d", len(records)-1, page.TotalRows)
	}

	jsonRes, err := svc.exportSessionTo(id, "json", filepath.Join(out, "session.json"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(jsonRes.Path)
	var doc struct {
		Session struct {
			Target string `json:"target"`
			Stats  struct {
				Sent uint64 `json:"sent"`
				Lost uint64 `json:"lost"`
			} `json:"stats"`
		} `json:"session"`
		Packets []json.RawMessage `json:"packets"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("JSON export does not parse: %v", err)
	}
	if doc.Session.Target != "198.18.0.1" || doc.Session.Stats.Sent != 150 || doc.Session.Stats.Lost != 15 ||
		len(doc.Packets) != 301 || jsonRes.Packets != 301 {
		t.Fatalf("JSON export %+v with %d packets", doc.Session, len(doc.Packets))
	}

	dlg.savePath = ""
	if c, err := svc.exportNow(t, id, "csv"); err != nil || !c.Cancelled {
		t.Fatalf("cancelled dialog: %+v, %v", c, err)
	}
	if _, err := svc.exportNow(t, id, "xls"); !errors.Is(err, ErrInvalidRequest) {
		t.Fatalf("unknown format: %v", err)
	}
	if _, err := svc.exportSessionTo("77", "csv", filepath.Join(out, "x.csv")); !errors.Is(err, ErrUnknownSession) {
		t.Fatalf("unknown session: %v", err)
	}
}
