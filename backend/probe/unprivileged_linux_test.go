//go:build linux

package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"echoscope/backend/testnet"
)

// The helper test runs only when re-executed by TestUnprivilegedUser, as user nobody.
const helperEnv = "ECHOSCOPE_PROBE_HELPER" // "kind target"

// TestHelperPingAsUser pings as whatever user runs it and prints one RESULT line.
func TestHelperPingAsUser(t *testing.T) {
	spec := os.Getenv(helperEnv)
	if spec == "" {
		t.Skip("helper for TestUnprivilegedUser")
	}
	kindWord, target, _ := strings.Cut(spec, " ")
	kind, err := ParseSocketKind(kindWord)
	if err != nil {
		t.Fatal(err)
	}
	var rule MatchRule
	s, err := NewSession(Options{Target: target, Socket: kind, Count: 3, Interval: 10 * time.Millisecond,
		Timeout: 5 * time.Second}, PolicyForCurrentUser(), func(ev Event) {
		if ev.Kind == EventReply {
			rule = ev.Rule
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Run(context.Background())
	switch {
	case errors.Is(err, ErrPrivilegeRequired):
		fmt.Printf("RESULT privilege-required hint=%v\n", strings.Contains(err.Error(), "setcap cap_net_raw=ep"))
	case err != nil:
		fmt.Printf("RESULT error %v\n", err)
	default:
		fmt.Printf("RESULT received=%d privilege=%s rule=%s\n", sum.Received, sum.Privilege, rule)
	}
}

// TestUnprivilegedUser re-runs this test binary as nobody: datagram sockets work inside a
// namespace whose ping_group_range is open, and are refused (with the fix named) where it
// is closed; raw sockets are refused everywhere.
func TestUnprivilegedUser(t *testing.T) {
	requireRoot(t)
	if _, err := exec.LookPath("runuser"); err != nil {
		t.Skip("no runuser")
	}
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	bin := copyTestBinary(t)
	type unprivCase struct{ name, bin, ns, kind, target, want string }
	peer := h.PeerV4.String()
	cases := []unprivCase{
		{"datagram in an open namespace", bin, h.ClientNS, "datagram", peer,
			"RESULT received=3 privilege=unprivileged rule=" + string(RuleSeqTokenRewritten)},
		{"raw in an open namespace", bin, h.ClientNS, "raw", peer, "RESULT privilege-required hint=true"},
		{"auto in an open namespace", bin, h.ClientNS, "auto", peer,
			"RESULT received=3 privilege=unprivileged rule=" + string(RuleSeqTokenRewritten)},
	}
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range"); err == nil && string(b) == "1\t0\n" {
		cases = append(cases, unprivCase{"datagram where ping_group_range is closed", bin, "", "datagram",
			"127.0.0.1", "RESULT privilege-required hint=true"})
	}
	if _, err := exec.LookPath("setcap"); err == nil {
		capBin := copyTestBinary(t)
		if out, err := exec.Command("setcap", "cap_net_raw=ep", capBin).CombinedOutput(); err != nil {
			t.Fatalf("setcap: %v: %s", err, out)
		}
		cases = append(cases, unprivCase{"raw with cap_net_raw", capBin, "", "raw", "127.0.0.1",
			"RESULT received=3 privilege=cap_net_raw rule=" + string(RuleIDSeqToken)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"runuser", "-u", "nobody", "--", tc.bin, "-test.run", "^TestHelperPingAsUser$", "-test.count=1"}
			if tc.ns != "" {
				args = append([]string{"ip", "netns", "exec", tc.ns}, args...)
			}
			cmd := exec.Command(args[0], args[1:]...)
			cmd.Env = append(os.Environ(), helperEnv+"="+tc.kind+" "+tc.target)
			out, _ := cmd.CombinedOutput()
			if !strings.Contains(string(out), tc.want+"\n") {
				t.Errorf("as nobody: want %q in\n%s", tc.want, out)
			}
		})
	}
}

// copyTestBinary puts a copy of this test binary where user nobody may run it.
func copyTestBinary(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "echoscope-probe-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	path := filepath.Join(dir, "probe.test")
	dst, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
