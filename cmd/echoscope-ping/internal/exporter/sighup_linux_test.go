package exporter

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"echoscope/backend/testnet"
	"echoscope/internal/testbin"
)

// TestSIGHUPReload runs the real echoscope-ping exporter with a targets file, changes the
// file and sends SIGHUP: the target kept goes on counting where it was (no reset), the one
// removed loses its series, the one added appears; then a file with a mistake is refused
// (logged, echoscope_exporter_last_reload_successful 0) and every target goes on. The kept
// target answers after 300 ms at 10 requests per second, so about three of its requests are
// in flight at each reload: cut off, they must count as neither requests nor losses.
func TestSIGHUPReload(t *testing.T) {
	if err := testnet.Available(); err != nil {
		t.Skip(err)
	}
	slow := testnet.NewT(t, testnet.Config{SilenceKernel: true})
	testnet.NewResponderT(t, slow, testnet.Chaos{Fault: testnet.FaultDelay, Delay: 300 * time.Millisecond})
	plain := testnet.NewT(t, testnet.Config{})
	kept, removed, added := slow.PeerV4.String(), slow.PeerV6.String(), plain.PeerV4.String()

	buildStart := time.Now()
	bin, err := testbin.BuildEchoscopePing(t.TempDir(), "echoscope-ping")
	t.Logf("built echoscope-ping in %v", time.Since(buildStart).Round(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "targets")
	writeFile := func(text string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeFile("# two addresses of one slow host\n" + kept + "\n" + removed + "\n")
	cmd := exec.Command(bin, "exporter", "--listen", "127.0.0.1:0", "--interval", "100ms", "--timeout", "1s", "--targets-file", file)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := newLogWatch(stderr)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		if t.Failed() {
			t.Logf("exporter log:\n%s", log.text())
		}
	})
	addr := log.await(t, regexp.MustCompile(`address=http://([0-9.:]+)/metrics`))

	get := func(name, h string) float64 {
		_, fams := scrape(t, addr)
		v, _ := value(fams, name, host(h))
		return v
	}
	waitFor(t, 20*time.Second, "10 answered requests to each address", func() bool {
		return get("echoscope_ping_received_total", kept) >= 10 && get("echoscope_ping_received_total", removed) >= 10
	})
	sentBefore := get("echoscope_ping_sent_total", kept)

	writeFile(kept + "\n" + added + "\n")
	cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, 20*time.Second, "the reload: series of the added target, none of the removed one", func() bool {
		_, fams := scrape(t, addr)
		_, hasAdded := value(fams, "smokeping_requests_total", host(added))
		_, hasRemoved := value(fams, "smokeping_requests_total", host(removed))
		return hasAdded && !hasRemoved
	})
	waitFor(t, 20*time.Second, "10 more answered requests to the kept target", func() bool {
		return get("echoscope_ping_received_total", kept) >= sentBefore+10
	})
	_, fams := scrape(t, addr)
	checkExact := func(h string) {
		t.Helper()
		req, _ := value(fams, "smokeping_requests_total", host(h))
		rec, _ := value(fams, "echoscope_ping_received_total", host(h))
		lost, _ := value(fams, "echoscope_ping_lost_total", host(h))
		sent, _ := value(fams, "echoscope_ping_sent_total", host(h))
		if lost != 0 || rec != req || sent < req {
			t.Errorf("%s: sent %v requests %v received %v lost %v; want every request answered", h, sent, req, rec, lost)
		}
	}
	checkExact(kept)
	if ok, _ := value(fams, "echoscope_exporter_reloads_total", map[string]string{"result": "success"}); ok != 1 {
		t.Errorf("reloads_total{result=success} = %v, want 1", ok)
	}
	if n, _ := value(fams, "echoscope_exporter_targets", nil); n != 2 {
		t.Errorf("targets = %v, want 2", n)
	}

	writeFile(kept + " " + added + "\n")
	cmd.Process.Signal(syscall.SIGHUP)
	log.await(t, regexp.MustCompile(`reload failed.*line 1: .*is more than one host`))
	keptBefore, addedBefore := get("echoscope_ping_received_total", kept), get("echoscope_ping_received_total", added)
	waitFor(t, 20*time.Second, "both targets still answered after the refused file", func() bool {
		return get("echoscope_ping_received_total", kept) >= keptBefore+5 && get("echoscope_ping_received_total", added) >= addedBefore+5
	})
	_, fams = scrape(t, addr)
	checkExact(kept)
	checkExact(added)
	if v, _ := value(fams, "echoscope_exporter_last_reload_successful", nil); v != 0 {
		t.Errorf("last_reload_successful = %v after a refused file, want 0", v)
	}
	if v, _ := value(fams, "echoscope_exporter_reloads_total", map[string]string{"result": "failure"}); v != 1 {
		t.Errorf("reloads_total{result=failure} = %v, want 1", v)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("still running 10 s after SIGTERM")
	}
}

// logWatch collects a process's log lines so a test can wait for one.
type logWatch struct {
	mu    sync.Mutex
	lines []string
	added chan struct{}
}

func newLogWatch(r io.Reader) *logWatch {
	w := &logWatch{added: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.mu.Unlock()
			select {
			case w.added <- struct{}{}:
			default:
			}
		}
	}()
	return w
}

func (w *logWatch) text() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

// await waits up to 20 s for a line matching re and returns its first group (or the line).
func (w *logWatch) await(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		w.mu.Lock()
		for _, l := range w.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				w.mu.Unlock()
				if len(m) > 1 {
					return m[1]
				}
				return l
			}
		}
		w.mu.Unlock()
		select {
		case <-w.added:
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no log line matching %s in 20 s; log:\n%s", re, w.text())
		}
	}
}
