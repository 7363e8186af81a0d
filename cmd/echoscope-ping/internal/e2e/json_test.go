//go:build linux

package e2e

import (
	"bufio"
	"encoding/json"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"echoscope/backend/testnet"
)

// schemaPath is docs/cli-json.schema.json, from this package's directory.
var schemaPath = filepath.Join("..", "..", "..", "..", "docs", "cli-json.schema.json")

// loadSchema compiles the published schema of --json.
func loadSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	abs, err := filepath.Abs(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	s, err := c.Compile(abs)
	if err != nil {
		t.Fatalf("compiling %s: %v", schemaPath, err)
	}
	return s
}

// validateLines checks every line of out against the schema and returns the types seen,
// in order.
func validateLines(t *testing.T, s *jsonschema.Schema, out string) []string {
	t.Helper()
	var types []string
	for i, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		if err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, line)
		}
		if err := s.Validate(v); err != nil {
			t.Fatalf("line %d does not match the schema: %v\n%s", i+1, err, line)
		}
		types = append(types, v.(map[string]any)["type"].(string))
	}
	return types
}

// Every line of real runs, of every kind of object, validates against
// docs/cli-json.schema.json.
func TestJSONLinesMatchTheSchema(t *testing.T) {
	s := loadSchema(t)
	plain := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	bcast := plain.LocalV4.As4()
	bcast[3] = 255
	silent := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	errs := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	testnet.NewResponderT(t, errs, testnet.Chaos{Fault: testnet.FaultUnreachable})
	dups := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	testnet.NewResponderT(t, dups, testnet.Chaos{Fault: testnet.FaultDuplicate})
	for _, c := range []struct {
		name  string
		ns    string
		args  []string
		types []string // each must appear
	}{
		{"replies", plain.ClientNS, []string{"--json", "-c", "3", "-i", "0.05", plain.PeerV4.String()}, []string{"start", "send", "reply", "summary"}},
		{"IPv6 with bytes", plain.ClientNS, []string{"--json=full", "-c", "2", "-i", "0.05", plain.PeerV6.String()}, []string{"start", "send", "reply", "summary"}},
		{"interim statistics", plain.ClientNS, []string{"--json", "--json-bytes", "--stats-interval", "0.05", "-c", "5", "-i", "0.05", plain.PeerV4.String()}, []string{"statistics", "summary"}},
		{"datagram socket", plain.ClientNS, []string{"--json", "--socket", "datagram", "-c", "1", plain.PeerV4.String()}, []string{"reply"}},
		{"losses", silent.ClientNS, []string{"--json", "-c", "2", "-i", "0.05", "-W", "0.2", silent.PeerV4.String()}, []string{"loss", "summary"}},
		{"icmp errors", errs.ClientNS, []string{"--json", "-c", "2", "-i", "0.05", errs.PeerV4.String()}, []string{"icmp_error", "summary"}},
		{"duplicates", dups.ClientNS, []string{"--json", "-c", "2", "-i", "0.05", dups.PeerV4.String()}, []string{"reply", "summary"}},
		{"local errors", plain.ClientNS, []string{"--json", "-M", "do", "-s", "2000", "-c", "2", "-i", "0.05", plain.PeerV4.String()}, []string{"send", "summary"}},
		{"broadcast refused", plain.ClientNS, []string{"--json", "-c", "1", netip.AddrFrom4(bcast).String()}, []string{"failure"}},
		{"no such host", "", []string{"--json", "-c", "1", "nosuch.invalid"}, []string{"failure"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			name, args := bin, c.args
			if c.ns != "" {
				name, args = "ip", append([]string{"netns", "exec", c.ns, bin}, c.args...)
			}
			r := runLimited(t, 10*time.Second, name, args...)
			got := validateLines(t, s, r.stdout)
			for _, want := range c.types {
				if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+want+" ") {
					t.Errorf("no %q object in %v:\n%s", want, got, r.stdout)
				}
			}
			if last := got[len(got)-1]; last != "summary" && last != "failure" {
				t.Errorf("last object is %q", last)
			}
		})
	}
}

// SIGQUIT under --json is a "status" object on stdout (point 13), and the run goes on.
func TestJSONStatusOnSIGQUIT(t *testing.T) {
	s := loadSchema(t)
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	cmd := exec.Command("ip", "netns", "exec", h.ClientNS, bin, "--json", "-c", "6", "-i", "0.05", h.PeerV4.String())
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(stdout)
	signalled := false
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if !signalled && strings.Contains(sc.Text(), `"type":"reply"`) {
			// ip netns exec execs the binary: the process started is echoscope-ping.
			if err := cmd.Process.Signal(syscall.SIGQUIT); err != nil {
				t.Fatal(err)
			}
			signalled = true
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGQUIT: %v\n%s", err, strings.Join(lines, "\n"))
	}
	types := validateLines(t, s, strings.Join(lines, "\n"))
	if !strings.Contains(strings.Join(types, " "), "status") || types[len(types)-1] != "summary" {
		t.Errorf("types %v", types)
	}
}

// -j writes upstream iputils' shape exactly (ping_json.c): per reply
// {"bytes": N, "host": "...", "seq": N, "ttl": N, "time": "0.045"} and a statistics object.
// iputils 20221126 has no -j to compare with, so the shape is checked against upstream's.
func TestIputilsJSONShape(t *testing.T) {
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	reply := regexp.MustCompile(`^\{"bytes": 64, "host": "` + regexp.QuoteMeta(h.PeerV4.String()) + `", "seq": [12], "ttl": 64, "time": "\d+\.\d+"\}$`)
	stats := regexp.MustCompile(`^\{"host": "` + regexp.QuoteMeta(h.PeerV4.String()) + `", "transmitted": 2, "received": 2, "duplicates": 0, "corrupted": 0, "errors": 0, "loss": 0, "time": \d+, "rtt": \{"min": "\d+\.\d{3}", "avg": "\d+\.\d{3}", "max": "\d+\.\d{3}", "mdev": "\d+\.\d{3}"\}\}$`)
	r := runLimited(t, 8*time.Second, "ip", "netns", "exec", h.ClientNS, bin, "-j", "-c", "2", "-i", "0.05", h.PeerV4.String())
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	if r.code != 0 || len(lines) != 3 || !reply.MatchString(lines[0]) || !reply.MatchString(lines[1]) || !stats.MatchString(lines[2]) {
		t.Fatalf("-j output differs from iputils':\n%s", r)
	}
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("not JSON: %s", l)
		}
	}
	// Flood: ipg and ewma appended; no reply objects (iputils prints dots, not JSON).
	r = runLimited(t, 8*time.Second, "ip", "netns", "exec", h.ClientNS, bin, "-j", "-f", "-c", "20", h.PeerV4.String())
	if !regexp.MustCompile(`^\{"host": .*"rtt": \{[^}]*\}, "ipg": "\d+\.\d{3}", "ewma": "\d+\.\d{3}"\}\n$`).MatchString(r.stdout) {
		t.Errorf("-j -f: %s", r)
	}
	// No reply: no statistics object (iputils builds it with the rtt line); setup failure.
	silent := testnet.NewT(t, testnet.Config{ClientNamespace: true, SilenceKernel: true})
	r = runLimited(t, 8*time.Second, "ip", "netns", "exec", silent.ClientNS, bin, "-j", "-c", "1", "-W", "0.2", silent.PeerV4.String())
	if r.code != 1 || r.stdout != "" {
		t.Errorf("-j without replies: %s", r)
	}
	r = run(t, bin, "-j", "-c", "1", "nosuch.invalid")
	if r.code != 2 || r.stdout != `{"error": "nosuch.invalid: Name or service not known"}`+"\n" {
		t.Errorf("-j failure: %s", r)
	}
}
