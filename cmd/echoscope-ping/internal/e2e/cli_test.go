package e2e

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"echoscope/backend/probe"
)

// needICMP skips when this process cannot open any ICMP socket (the binary inherits that).
func needICMP(t *testing.T) {
	t.Helper()
	if probe.DetectCapabilities().Best == probe.SocketAuto {
		t.Skip("no ICMP socket available to this user here")
	}
}

// signalAfterReplies starts cmd (its stdout piped here), sends sig once n reply lines have
// been printed, and returns the rest of stdout up to its end, one "\n" per line. The caller
// sets cmd.Stderr first and waits for cmd afterwards.
func signalAfterReplies(t *testing.T, cmd *exec.Cmd, n int, sig os.Signal) string {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for replies := 0; replies < n && sc.Scan(); {
		if replyLine.MatchString(sc.Text()) {
			replies++
		}
	}
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var rest strings.Builder
	for sc.Scan() {
		rest.WriteString(sc.Text() + "\n")
	}
	return rest.String()
}

var replyLine = regexp.MustCompile(`^64 bytes from (127\.0\.0\.1|::1): icmp_seq=(\d+) ttl=\d+ time=\d+\.\d+ ms$`)
var rttLine = regexp.MustCompile(`^rtt min/avg/max/mdev = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms$`)

func TestPingLoopbackLikeIputils(t *testing.T) {
	needICMP(t)
	for _, c := range []struct{ name, addr, header string }{
		{"IPv4", "127.0.0.1", "PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data."},
		{"IPv6", "::1", "PING ::1(::1) 56 data bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, bin, "-c", "3", "-i", "0.05", c.addr)
			if r.code != 0 {
				t.Fatal(r)
			}
			lines := strings.Split(r.stdout, "\n")
			if len(lines) != 9 || lines[0] != c.header || lines[4] != "" || lines[8] != "" {
				t.Fatalf("layout differs from iputils:\n%s", r)
			}
			for i := 1; i <= 3; i++ {
				m := replyLine.FindStringSubmatch(lines[i])
				if m == nil || m[2] != string(rune('0'+i)) {
					t.Errorf("line %d %q is not reply %d", i, lines[i], i)
				}
			}
			if lines[5] != "--- "+c.addr+" ping statistics ---" ||
				!strings.HasPrefix(lines[6], "3 packets transmitted, 3 received, 0% packet loss, time ") ||
				!rttLine.MatchString(lines[7]) {
				t.Errorf("statistics differ from iputils:\n%s", r)
			}
		})
	}
}

// Every packet's bytes in --json must be explained by `echoscope-ping decode`.
func TestJSONBytesDecode(t *testing.T) {
	needICMP(t)
	for _, c := range []struct{ addr, request, reply string }{
		{"127.0.0.1", "ICMPv4 Echo Request", "ICMPv4 Echo Reply"},
		{"::1", "ICMPv6 Echo Request", "ICMPv6 Echo Reply"},
	} {
		r := run(t, bin, "--json-bytes", "--json", "-c", "2", "-i", "0.05", c.addr)
		if r.code != 0 {
			t.Fatal(r)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		var sawReply, sawSend bool
		for i, line := range lines {
			var obj struct {
				Type             string `json:"type"`
				Class            string `json:"class"`
				Bytes            string `json:"bytes_hex"`
				IncludesIPHeader bool   `json:"includes_ip_header"`
				Statistics       struct {
					Received int `json:"received"`
				} `json:"statistics"`
				ExitCode int `json:"exit_code"`
			}
			if err := json.Unmarshal([]byte(line), &obj); err != nil {
				t.Fatalf("line %d is not JSON: %v\n%s", i, err, line)
			}
			switch obj.Type {
			case "start":
				continue
			case "summary":
				if i != len(lines)-1 || obj.Statistics.Received != 2 || obj.ExitCode != 0 {
					t.Errorf("summary: %s", line)
				}
				continue
			}
			if (obj.Type != "send" && obj.Type != "reply") || obj.Bytes == "" {
				t.Fatalf("line %d: %s", i, line)
			}
			if obj.Class == "foreign" {
				continue // another process's ping on the shared loopback: not what is checked here
			}
			args := []string{"decode", "--json"}
			if !obj.IncludesIPHeader && strings.Contains(c.addr, ":") {
				args = append(args, "-6")
			}
			d := run(t, bin, append(args, obj.Bytes)...)
			var rep struct {
				Summary string `json:"summary"`
				Error   string `json:"error"`
			}
			if d.code != 0 || json.Unmarshal([]byte(d.stdout), &rep) != nil || rep.Error != "" {
				t.Fatalf("decode of %s bytes failed:\n%s", obj.Type, d)
			}
			want := c.request
			if obj.Type == "reply" {
				want, sawReply = c.reply, true
			} else {
				sawSend = true
			}
			if !strings.Contains(rep.Summary, want) {
				t.Errorf("decode summary %q lacks %q", rep.Summary, want)
			}
		}
		if !sawReply || !sawSend {
			t.Errorf("%s: no send or no reply events:\n%s", c.addr, r.stdout)
		}
	}
}

func TestErrorsExitTwo(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-c", "1", "nosuch.invalid"}, "echoscope-ping: nosuch.invalid: Name or service not known\n"},
		{[]string{}, "echoscope-ping: usage error: Destination address required\n"},
		{[]string{"-c", "1", "255.255.255.255"}, "echoscope-ping: Do you want to ping broadcast? Then -b. If not, check your local firewall rules\n"},
	} {
		r := run(t, bin, c.args...)
		if r.code != 2 || r.stderr != c.want || r.stdout != "" {
			t.Errorf("%v: want exit 2 and %q, got\n%s", c.args, c.want, r)
		}
	}
	// A bad number exits 1, as iputils' strtol_or_err.
	r := run(t, bin, "-c", "0", "127.0.0.1")
	if r.code != 1 || r.stderr != "echoscope-ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n" {
		t.Errorf("-c 0: %s", r)
	}
	r = run(t, bin, "--json", "-c", "1", "nosuch.invalid")
	if r.code != 2 || !regexp.MustCompile(`^\{"schema":1,"type":"failure","time":"[^"]+","error":"nosuch.invalid: Name or service not known","exit_code":2\}\n$`).MatchString(r.stdout) {
		t.Errorf("--json failure: %s", r)
	}
	r = run(t, bin, "-V")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "echoscope-ping from Echoscope ") {
		t.Errorf("-V: %s", r)
	}
}

// SIGINT prints the statistics and exits as iputils: 0 when replies came.
func TestSIGINTPrintsStatistics(t *testing.T) {
	needICMP(t)
	cmd := exec.Command(bin, "-i", "0.05", "127.0.0.1")
	cmd.Stderr = os.Stderr
	rest := signalAfterReplies(t, cmd, 2, syscall.SIGINT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v\n%s", err, rest)
	}
	if !strings.Contains(rest, "\n--- 127.0.0.1 ping statistics ---\n") || !strings.Contains(rest, "rtt min/avg/max/mdev") {
		t.Errorf("no statistics after SIGINT:\n%s", rest)
	}
}

// SIGQUIT prints iputils' status line on stderr and the ping goes on.
func TestSIGQUITPrintsAStatusLine(t *testing.T) {
	needICMP(t)
	cmd := exec.Command(bin, "-i", "0.05", "-c", "6", "127.0.0.1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	rest := signalAfterReplies(t, cmd, 2, syscall.SIGQUIT)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGQUIT: %v\n%s", err, rest)
	}
	status := regexp.MustCompile(`\r\d/\d packets, \d+% loss, min/avg/ewma/max = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms\n`)
	if !status.MatchString(stderr.String()) || !strings.Contains(rest, "6 packets transmitted, 6 received") {
		t.Errorf("stderr %q, rest of stdout:\n%s", stderr.String(), rest)
	}
}

// A quiet flood (statistics only in the engine) still answers SIGQUIT with iputils' status
// line, runs until SIGINT, and ends with the flood statistics (ipg/ewma from the engine).
func TestQuietFloodStatusAndStatistics(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("flood is for root")
	}
	cmd := exec.Command(bin, "-f", "-q", "127.0.0.1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck // a no-op once it exited
	out := bufio.NewReader(stdout)
	if head, err := out.ReadString('\n'); err != nil || !strings.HasPrefix(head, "PING 127.0.0.1 ") {
		t.Fatalf("header %q: %v", head, err)
	}
	if err := cmd.Process.Signal(syscall.SIGQUIT); err != nil {
		t.Fatal(err)
	}
	status, err := bufio.NewReader(stderr).ReadString('\n')
	if err != nil || !regexp.MustCompile(`^\r\d+/\d+ packets, \d+% loss(, min/avg/ewma/max = \d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3}/\d+\.\d{3} ms)?\n$`).MatchString(status) {
		t.Fatalf("status line %q: %v", status, err)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGINT: %v\n%s", err, rest)
	}
	stats := regexp.MustCompile(`\n--- 127\.0\.0\.1 ping statistics ---\n(\d+) packets transmitted, (\d+) received.*\nrtt min/avg/max/mdev = [0-9./]+ ms, ipg/ewma \d+\.\d{3}/\d+\.\d{3} ms\n$`)
	if m := stats.FindStringSubmatch(string(rest)); m == nil || m[2] == "0" {
		t.Errorf("statistics after SIGINT:\n%q", rest)
	}
}

func TestFloodAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("flood is for root")
	}
	r := run(t, bin, "-f", "-c", "200", "127.0.0.1")
	if r.code != 0 {
		t.Fatal(r)
	}
	// A dot per request, each erased by its reply, then the statistics. (Other processes
	// flooding the shared loopback can cost a reply or two: count what the statistics say.)
	m := regexp.MustCompile(`\n200 packets transmitted, (\d+) received`).FindStringSubmatch(r.stdout)
	if m == nil {
		t.Fatalf("no statistics:\n%q", r.stdout)
	}
	received, _ := strconv.Atoi(m[1])
	if received == 0 || strings.Count(r.stdout, "\b \b") != received || strings.Count(r.stdout, ".") < 200 {
		t.Errorf("flood output:\n%q", r.stdout)
	}
}
