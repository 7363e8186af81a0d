//go:build linux

package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// The privilege paths, as an unprivileged user (nobody) running a copy of echoscope-ping in a
// directory nobody can reach. Root only (CI runs as root); skipped elsewhere.

type nobodyCopies struct {
	uid, gid int
	plain    string // no capability
	capped   string // setcap cap_net_raw=ep
}

// prepareNobody copies the binary twice into a fresh world-readable directory on a filesystem
// that keeps extended attributes (file capabilities live in security.capability), and gives
// one copy CAP_NET_RAW. It skips, saying why, when that is impossible here.
func prepareNobody(t *testing.T) nobodyCopies {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("privilege tests need root (to switch to nobody and to setcap)")
	}
	for _, tool := range []string{"runuser", "setcap", "getcap"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s here: %v", tool, err)
		}
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	var reasons []string
	for _, base := range []string{os.TempDir(), "/var/tmp", "/dev/shm"} {
		dir, err := os.MkdirTemp(base, "echoscope-priv-")
		if err != nil {
			reasons = append(reasons, base+": "+err.Error())
			continue
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		// MkdirTemp makes 0700; nobody must be able to enter it (and base is 1777 or 0755).
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		c := nobodyCopies{uid: uid, gid: gid, plain: filepath.Join(dir, "plain", "echoscope-ping"), capped: filepath.Join(dir, "capped", "echoscope-ping")}
		for _, p := range []string{c.plain, c.capped} {
			if err := copyExecutable(bin, p); err != nil {
				t.Fatal(err)
			}
		}
		if out, err := exec.Command("setcap", "cap_net_raw=ep", c.capped).CombinedOutput(); err != nil {
			reasons = append(reasons, base+": setcap: "+strings.TrimSpace(string(out)))
			continue
		}
		out, err := exec.Command("getcap", c.capped).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "cap_net_raw") {
			reasons = append(reasons, base+": the filesystem did not keep the capability xattr: "+strings.TrimSpace(string(out)))
			continue
		}
		return c
	}
	t.Skipf("no directory here keeps file capabilities: %s", strings.Join(reasons, "; "))
	return nobodyCopies{}
}

func copyExecutable(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// asNobody runs the command as nobody (runuser), optionally inside network namespace ns.
func asNobody(t *testing.T, ns string, args ...string) result {
	t.Helper()
	cmdline := append([]string{"runuser", "-u", "nobody", "--"}, args...)
	if ns != "" {
		cmdline = append([]string{"ip", "netns", "exec", ns}, cmdline...)
	}
	return run(t, cmdline[0], cmdline[1:]...)
}

func TestAsNobodyWithoutCapabilityTheErrorNamesTheFix(t *testing.T) {
	c := prepareNobody(t)
	if r, err := os.ReadFile("/proc/sys/net/ipv4/ping_group_range"); err == nil && strings.Fields(string(r))[0] == "0" {
		t.Skipf("datagram ICMP is open to all groups on this host (%s); nothing fails", strings.TrimSpace(string(r)))
	}
	r := asNobody(t, "", c.plain, "-c", "1", "127.0.0.1")
	if r.code != 2 || r.stdout != "" {
		t.Fatalf("want exit 2 and no output, got\n%s", r)
	}
	for _, want := range []string{"sudo setcap cap_net_raw=ep " + c.plain, `net.ipv4.ping_group_range="0 2147483647"`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the error lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestAsNobodyWithCapabilityRawReplies(t *testing.T) {
	c := prepareNobody(t)
	r := asNobody(t, "", c.capped, "-c", "2", "-i", "0.05", "127.0.0.1")
	if r.code != 0 || !strings.Contains(r.stdout, "2 packets transmitted, 2 received, 0% packet loss") {
		t.Fatal(r)
	}
	// The policy is the user's, whatever the binary may do: no flood, no 1 ms interval.
	r = asNobody(t, "", c.capped, "-f", "-c", "2", "127.0.0.1")
	if r.code != 2 || !strings.Contains(r.stderr, "cannot flood; minimal interval allowed for user is 2ms") {
		t.Errorf("flood as nobody:\n%s", r)
	}
	r = asNobody(t, "", c.capped, "--json", "-c", "1", "127.0.0.1")
	var start struct {
		Type      string          `json:"type"`
		Socket    string          `json:"socket"`
		Privilege probe.Privilege `json:"privilege"`
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if err := json.Unmarshal([]byte(lines[0]), &start); err != nil || start.Type != "start" ||
		start.Socket != "raw" || start.Privilege != probe.PrivilegeNetRaw {
		t.Errorf("start as nobody with the capability: %+v (%v)\n%s", start, err, r)
	}
}

func TestAsNobodyDatagramInANamespaceWithPingGroupOpen(t *testing.T) {
	c := prepareNobody(t)
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true, OpenPingGroup: true})
	r := asNobody(t, h.ClientNS, c.plain, "-c", "2", "-i", "0.05", h.PeerV4.String())
	if r.code != 0 || !strings.Contains(r.stdout, "2 packets transmitted, 2 received") ||
		!strings.Contains(r.stderr, "the kernel rewrites the echo identifier") {
		t.Fatalf("datagram path in %s:\n%s", h.ClientNS, r)
	}
	r = asNobody(t, h.ClientNS, c.plain, "--json", "-c", "1", h.PeerV4.String())
	var reply struct {
		Type string          `json:"type"`
		Rule probe.MatchRule `json:"rule"`
	}
	var sum struct {
		IdentifierRewritten bool   `json:"identifier_rewritten"`
		Socket              string `json:"socket"`
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	for _, l := range lines[1 : len(lines)-1] {
		var ev struct {
			Type string          `json:"type"`
			Rule probe.MatchRule `json:"rule"`
		}
		if json.Unmarshal([]byte(l), &ev) == nil && ev.Type == "reply" {
			reply = ev
		}
	}
	// The start object says how the session runs.
	if err := json.Unmarshal([]byte(lines[0]), &sum); err != nil || !sum.IdentifierRewritten ||
		sum.Socket != "datagram" || reply.Rule != probe.RuleSeqTokenRewritten {
		t.Errorf("want a datagram session whose reply matched on %q, got reply %+v summary %+v (%v)\n%s",
			probe.RuleSeqTokenRewritten, reply, sum, err, r)
	}
}

// asNobodyCmd makes the agent client start the helper as nobody.
func asNobodyCmd(c nobodyCopies) func(*exec.Cmd) {
	return func(cmd *exec.Cmd) {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.gid)}}
		cmd.Dir = "/"
	}
}

func TestAgentAsNobodyWithCapability(t *testing.T) {
	c := prepareNobody(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := agent.Spawn(ctx, c.capped, asNobodyCmd(c))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	h := client.Hello()
	if h.Privilege.UID != c.uid || !h.Privilege.CapNetRaw || h.Privilege.Effective != probe.PrivilegeNetRaw ||
		h.Capabilities.Best != probe.SocketRaw || h.Policy.Name != "user" || h.Policy.AllowFlood {
		t.Fatalf("hello as nobody with the capability: %+v", h)
	}
	s, err := client.Start(ctx, probe.Options{Target: "127.0.0.1", Count: 2, Interval: 10 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Wait(ctx)
	if err != nil || sum.Received != 2 || sum.Socket != probe.SocketRaw {
		t.Fatalf("summary %+v, %v", sum.Stats, err)
	}
	_, err = client.Start(ctx, probe.Options{Target: "127.0.0.1", Count: 2, Flood: true}, nil)
	if !errors.Is(err, probe.ErrPolicy) {
		t.Errorf("flood through the helper as nobody: got %v, want ErrPolicy", err)
	}
	_, err = client.Start(ctx, probe.Options{Target: "127.0.0.1", Count: 2, Interval: time.Millisecond}, nil)
	if !errors.Is(err, probe.ErrPolicy) {
		t.Errorf("1 ms interval through the helper as nobody: got %v, want ErrPolicy", err)
	}

	// Select picks this helper first.
	e, choice, err := agent.Select(ctx, agent.SelectConfig{HelperPath: c.capped, ConfigureHelper: asNobodyCmd(c)})
	if err != nil || choice.Kind != agent.EngineAgentRaw {
		t.Fatalf("Select: %+v, %v", choice, err)
	}
	e.Close()
}

func TestSelectAsNobodyWithoutCapabilityGivesTheFix(t *testing.T) {
	c := prepareNobody(t)
	ctx := context.Background()
	client, err := agent.Spawn(ctx, c.plain, asNobodyCmd(c))
	if err != nil {
		t.Fatal(err)
	}
	h := client.Hello()
	client.Close()
	if h.Privilege.CapNetRaw || h.Capabilities.Best == probe.SocketRaw {
		t.Fatalf("plain copy as nobody claims raw: %+v", h.Privilege)
	}
	// This test process is root; pretend it is not, so that only the helper could help.
	none := func() probe.Capabilities { return probe.Capabilities{OS: "linux", Privilege: probe.PrivilegeNone} }
	_, choice, err := agent.Select(ctx, agent.SelectConfig{HelperPath: c.plain, ConfigureHelper: asNobodyCmd(c), Detect: none})
	if !errors.Is(err, agent.ErrNoEngine) || !strings.Contains(err.Error(), "sudo setcap cap_net_raw=ep "+c.plain) {
		t.Fatalf("got %+v, %v", choice, err)
	}
	if len(choice.Tried) == 0 || !strings.Contains(choice.Tried[0], "without CAP_NET_RAW") {
		t.Errorf("choice does not say why the helper was not used: %+v", choice)
	}
}
