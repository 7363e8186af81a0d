//go:build linux

package e2e

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"echoscope/backend/agent"
	"echoscope/backend/probe"
	"echoscope/backend/testnet"
)

// Issue 10, point 6: a user running the setcap'd helper received other processes' ICMP:
// their echo replies from the same target (IPv4), their ICMPv6 echo replies, and ICMP errors
// quoting their datagrams. Here nobody runs the capped copy on a test host while root, in
// the same namespace, pings the same target with iputils and sends UDP datagrams carrying a
// secret to a closed port of it (the host answers each with a port unreachable quoting the
// secret). Nobody must see none of those bytes or addresses, in the agent's frames and in
// the CLI's --json and -v output, and must get them counted as foreign: exactly 3 replies +
// 3 errors. Root, running the same, sees them all (the control that the traffic was there).

// otherProcessMessages is what otherTraffic makes the test host send back: 3 echo replies
// to iputils' ping and 3 port unreachables.
const otherProcessMessages = 6

// ownTrafficHost builds a test host whose kernel answers pings and sends every ICMP error
// at once (no rate limit, so counts are exact).
func ownTrafficHost(t *testing.T) *testnet.Host {
	t.Helper()
	h := testnet.NewT(t, testnet.Config{ClientNamespace: true})
	for _, kv := range []string{"net.ipv4.icmp_ratelimit=0", "net.ipv6.icmp.ratelimit=0"} {
		if out, err := exec.Command("ip", "netns", "exec", h.NS, "sysctl", "-qw", kv).CombinedOutput(); err != nil {
			t.Fatalf("sysctl %s: %v %s", kv, err, out)
		}
	}
	return h
}

// otherTraffic is another process's ICMP on the client side, as root: iputils ping to
// target (3 replies), and 3 UDP datagrams carrying secret to its closed port 9. It returns
// when ping has its replies and the datagrams are sent.
func otherTraffic(t *testing.T, h *testnet.Host, target netip.Addr, secret string) {
	t.Helper()
	fam := "-4"
	if target.Is6() {
		fam = "-6"
	}
	if out, err := exec.Command("ip", "netns", "exec", h.ClientNS, "ping", fam, "-n", "-c", "3", "-i", "0.05", "-W", "5",
		target.String()).CombinedOutput(); err != nil || !strings.Contains(string(out), "3 received") {
		t.Fatalf("root's ping to %s: %v\n%s", target, err, out)
	}
	var conn *net.UDPConn
	err := h.InClient(func() error {
		var err error
		conn, err = net.ListenUDP("udp", nil) // unconnected: the errors do not fail our writes
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for range 3 {
		if _, err := conn.WriteToUDP([]byte(secret), net.UDPAddrFromAddrPort(netip.AddrPortFrom(target, 9))); err != nil {
			t.Fatal(err)
		}
	}
}

// lines reads r line by line into a channel (closed at EOF).
func lines(r io.Reader) <-chan string {
	ch := make(chan string, 1024)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

// cliAround runs the CLI in the client namespace (as nobody through setpriv, which execs, so
// the signal reaches the helper itself; or as root) around the other process's traffic: once
// its first own reply is out, the traffic runs; two more own replies later (they travel the
// same path behind the other traffic, so everything before them has been read), SIGINT ends
// it with its statistics. isReply tells an own reply's output line.
func cliAround(t *testing.T, h *testnet.Host, asNobody bool, path string, args []string, target netip.Addr, secret string,
	isReply func(string) bool) (stdout, stderr string) {
	t.Helper()
	cmdline := []string{"ip", "netns", "exec", h.ClientNS}
	if asNobody {
		cmdline = append(cmdline, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
	}
	cmdline = append(append(append(cmdline, path), args...), "-i", "0.1", "-W", "5", target.String())
	return aroundOtherTraffic(t, h, cmdline, target, secret, isReply)
}

// aroundOtherTraffic runs cmdline, sends the other traffic (root's echoes carrying secret)
// after its first own reply, and stops it with SIGINT two own replies later; isReply tells
// an own reply's output line. The command must then exit 0.
func aroundOtherTraffic(t *testing.T, h *testnet.Host, cmdline []string, target netip.Addr, secret string,
	isReply func(string) bool) (stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(cmdline[0], cmdline[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := lines(out)
	var all []string
	replies := 0
	waitReplies := func(n int) {
		for replies < n {
			l, ok := <-ch
			if !ok {
				t.Fatalf("%v ended before %d replies:\n%s\nstderr:\n%s", cmdline, n, strings.Join(all, "\n"), errb.String())
			}
			all = append(all, l)
			if isReply(l) {
				replies++
			}
		}
	}
	waitReplies(1)
	otherTraffic(t, h, target, secret)
	waitReplies(replies + 2)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for l := range ch {
		all = append(all, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%v: %v\n%s\nstderr:\n%s", cmdline, err, strings.Join(all, "\n"), errb.String())
	}
	return strings.Join(all, "\n") + "\n", errb.String()
}

// jsonRun is the --json output (docs/cli-json.md): packet objects and the summary.
type jsonRun struct {
	packets []jsonPacket
	summary jsonRunSummary
}

// jsonPacket holds the fields of a send, reply, icmp_error or loss object this test reads.
type jsonPacket struct {
	Type  string `json:"type"`
	Index uint64 `json:"index"`
	Class string `json:"class"`
}

type jsonRunSummary struct {
	Socket         string `json:"socket"`
	OwnTrafficOnly bool   `json:"own_traffic_only"`
	Statistics     struct {
		Foreign uint64 `json:"foreign"`
	} `json:"statistics"`
}

func parseJSONRun(t *testing.T, out string) jsonRun {
	t.Helper()
	var r jsonRun
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var p jsonPacket
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		switch p.Type {
		case "send", "reply", "icmp_error", "loss":
			r.packets = append(r.packets, p)
		case "summary":
			if err := json.Unmarshal([]byte(l), &r.summary); err != nil {
				t.Fatalf("summary %q: %v", l, err)
			}
		}
	}
	return r
}

func isJSONReply(l string) bool {
	return strings.Contains(l, `"type":"reply"`) && strings.Contains(l, `"class":"on-time"`)
}

func isTextReply(l string) bool {
	return strings.Contains(l, "bytes from") && strings.Contains(l, "icmp_seq=") && !strings.Contains(l, "FOREIGN")
}

// noSecret fails when the secret, as text or hex, is anywhere in out.
func noSecret(t *testing.T, what, out, secret string) {
	t.Helper()
	if strings.Contains(out, secret) || strings.Contains(out, hex.EncodeToString([]byte(secret))) {
		t.Errorf("%s carries another process's datagram (%q):\n%s", what, secret, out)
	}
}

func TestAsNobodyTheHelperShowsOnlyTheCallersOwnTraffic(t *testing.T) {
	c := prepareNobody(t)
	h := ownTrafficHost(t)
	for _, target := range []netip.Addr{h.PeerV4, h.PeerV6} {
		t.Run(fmt.Sprintf("IPv%d", map[bool]int{true: 4, false: 6}[target.Is4()]), func(t *testing.T) {
			secret := fmt.Sprintf("SECRET-of-root-%d", time.Now().UnixNano())

			t.Run("json as nobody", func(t *testing.T) {
				out, _ := cliAround(t, h, true, c.capped, []string{"--json", "--json-bytes", "-c", "1000"}, target, secret, isJSONReply)
				noSecret(t, "--json as nobody", out, secret)
				run := parseJSONRun(t, out)
				for _, p := range run.packets {
					if p.Type != "send" && (p.Index == 0 || p.Class == "foreign") {
						t.Errorf("nobody was shown a message not tied to its requests: %+v", p)
					}
				}
				if run.summary.Statistics.Foreign != otherProcessMessages || !run.summary.OwnTrafficOnly || run.summary.Socket != "raw" {
					t.Errorf("summary: foreign %d (want %d), own_traffic_only %v, socket %v", run.summary.Statistics.Foreign,
						otherProcessMessages, run.summary.OwnTrafficOnly, run.summary.Socket)
				}
			})

			t.Run("verbose as nobody", func(t *testing.T) {
				out, errOut := cliAround(t, h, true, c.capped, []string{"-v", "-c", "1000"}, target, secret, isTextReply)
				noSecret(t, "-v as nobody", out, secret)
				if strings.Contains(out, "FOREIGN") || strings.Contains(out, "Port Unreachable") {
					t.Errorf("-v as nobody shows other processes' messages:\n%s", out)
				}
				if want := fmt.Sprintf(", +%d foreign,", otherProcessMessages); !strings.Contains(out, want) {
					t.Errorf("statistics lack %q:\n%s", want, out)
				}
				if !strings.Contains(errOut, "shown to root only") {
					t.Errorf("stderr does not say why foreign messages are not shown:\n%s", errOut)
				}
			})

			t.Run("json as root", func(t *testing.T) {
				// --json-bytes: root is shown the bytes too, so the secret must be there.
				out, _ := cliAround(t, h, false, c.capped, []string{"--json", "--json-bytes", "-c", "1000"}, target, secret, isJSONReply)
				run := parseJSONRun(t, out)
				foreign := 0
				for _, p := range run.packets {
					if p.Class == "foreign" {
						foreign++
					}
				}
				if !strings.Contains(out, hex.EncodeToString([]byte(secret))) || foreign != otherProcessMessages ||
					run.summary.Statistics.Foreign != otherProcessMessages || run.summary.OwnTrafficOnly {
					t.Errorf("root sees %d foreign objects, summary foreign %d (want %d each, the secret among them), own_traffic_only %v",
						foreign, run.summary.Statistics.Foreign, otherProcessMessages, run.summary.OwnTrafficOnly)
				}
			})

			t.Run("agent as nobody", func(t *testing.T) {
				agentAround(t, c, h, target, secret)
			})
		})
	}
}

// agentAround runs a session through `echoscope-ping --agent` started as nobody in the
// client namespace, around the other process's traffic, and checks every frame it got.
func agentAround(t *testing.T, c nobodyCopies, h *testnet.Host, target netip.Addr, secret string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ipPath, err := exec.LookPath("ip")
	if err != nil {
		t.Fatal(err)
	}
	inNamespace := func(cmd *exec.Cmd) {
		cmd.Path = ipPath
		cmd.Args = []string{"ip", "netns", "exec", h.ClientNS, "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
			c.capped, "--agent"}
	}
	client, err := agent.Spawn(ctx, c.capped, inNamespace)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if hello := client.Hello(); hello.Privilege.UID != c.uid || !hello.Policy.OwnTrafficOnly {
		t.Fatalf("hello as nobody: uid %d, policy %+v", hello.Privilege.UID, hello.Policy)
	}
	var mu sync.Mutex
	var events []probe.Event
	ownReplies := make(chan struct{}, 1024)
	s, err := client.Start(ctx, probe.Options{Target: target.String(), Interval: 100 * time.Millisecond}, func(ev probe.Event) {
		mu.Lock()
		events = append(events, ev)
		mu.Unlock()
		if ev.Kind == probe.EventReply && ev.Class == probe.ClassOnTime {
			ownReplies <- struct{}{}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	<-ownReplies
	otherTraffic(t, h, target, secret)
	<-ownReplies
	<-ownReplies
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Wait(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, ev := range events {
		if ev.Kind == probe.EventSend || ev.Kind == probe.EventLoss || ev.Kind == probe.EventStats {
			continue
		}
		if ev.Index == 0 || ev.Class == probe.ClassForeign || strings.Contains(string(ev.Bytes), secret) {
			t.Errorf("the agent sent nobody a message not tied to its requests: %+v", ev)
		}
	}
	if sum.Foreign != otherProcessMessages || !sum.OwnTrafficOnly || sum.Socket != probe.SocketRaw {
		t.Errorf("agent summary: foreign %d (want %d), ownTrafficOnly %v, socket %v", sum.Foreign, otherProcessMessages,
			sum.OwnTrafficOnly, sum.Socket)
	}
}

// The definition of a caller with a privilege of its own: nobody holding CAP_NET_RAW as an
// ambient capability (given by the caller, not by the binary, which here has no file
// capability) keeps the user's limits but sees all traffic; the setcap'd copy run by the
// same user sees only its own.
func TestOwnTrafficOnlyFollowsWhereTheCapabilityCameFrom(t *testing.T) {
	c := prepareNobody(t)
	setprivPath, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip(err)
	}
	cases := []struct {
		name, path string
		caps       []string
		wantOwn    bool
	}{
		{"ambient capability of its own", c.plain, []string{"--inh-caps", "+net_raw", "--ambient-caps", "+net_raw"}, false},
		{"file capability of the binary", c.capped, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			client, err := agent.Spawn(context.Background(), tc.path, func(cmd *exec.Cmd) {
				cmd.Path = setprivPath
				cmd.Args = append(append([]string{"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"}, tc.caps...),
					tc.path, "--agent")
			})
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			h := client.Hello()
			if h.Privilege.UID != c.uid || !h.Privilege.CapNetRaw || h.Policy.Name != "user" || h.Policy.OwnTrafficOnly != tc.wantOwn {
				t.Errorf("hello: uid %d capNetRaw %v policy %+v, want ownTrafficOnly %v", h.Privilege.UID, h.Privilege.CapNetRaw, h.Policy, tc.wantOwn)
			}
		})
	}
}
