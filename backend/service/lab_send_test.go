package service

import (
	"strings"
	"testing"
	"time"
)

// TestLabSendsTheLessonPackets: the Lab's two lesson packets through the service (in-process
// raw engine, root): the RFC 1071 one is answered by 127.0.0.1 with identifier 13 and
// sequence 37, the classic example's one times out; an echo reply is refused in words.
func TestLabSendsTheLessonPackets(t *testing.T) {
	svc, _ := newTestService(t)
	res, err := svc.SendCrafted(LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "0800f7cd000d0025", TimeoutMs: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if res.TimedOut || !strings.HasPrefix(res.Reply, "0000") || res.Reply[8:16] != "000d0025" || res.Addr != "127.0.0.1" {
		t.Fatalf("RFC 1071 packet: %+v", res)
	}
	time.Sleep(time.Second) // crafted packets are spaced like a ping session (1 s for root)
	res, err = svc.SendCrafted(LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "08 00 f2 ff 00 0d 00 25", TimeoutMs: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.Reply != "" {
		t.Fatalf("the classic example's packet was answered: %+v", res)
	}
	for _, c := range []struct {
		req  LabSendRequest
		want string
	}{
		{LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "0000ffff00000000", TimeoutMs: 1000}, "only echo requests can be sent: type 0 (Echo Reply)"},
		{LabSendRequest{Target: "224.0.0.1", Family: 4, Hex: "0800f7cd000d0025", TimeoutMs: 1000}, "not one unicast destination"},
		{LabSendRequest{Target: "127.0.0.1", Family: 5, Hex: "08", TimeoutMs: 1000}, "family must be 4 or 6"},
		{LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "zz", TimeoutMs: 1000}, "the packet's hex"},
	} {
		if _, err := svc.SendCrafted(c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.req, err, c.want)
		}
	}
}

// TestLabSendOpensInTheInspector: each crafted send carries the inspector's PacketDetail:
// the RFC 1071 packet's reply tied to the request (identifier 13, sequence 37), the classic
// example's packet as a lost request whose note names the wrong checksum.
func TestLabSendOpensInTheInspector(t *testing.T) {
	svc, _ := newTestService(t)
	res, err := svc.SendCrafted(LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "0800f7cd000d0025", TimeoutMs: 2000})
	if err != nil {
		t.Fatal(err)
	}
	d := res.Detail
	if d.Kind != "reply" || d.Class != "on-time" || d.Rule != RuleLabIDSeqData || d.ID != 13 || d.Seq != 37 ||
		d.RequestHex != "0800f7cd000d0025" || d.ReplyHex != res.Reply || d.RTTMs == nil || d.Target != "127.0.0.1" || d.Family != 4 {
		t.Fatalf("reply detail: %+v", d)
	}
	time.Sleep(time.Second)
	res, err = svc.SendCrafted(LabSendRequest{Target: "127.0.0.1", Family: 4, Hex: "0800f2ff000d0025", TimeoutMs: 300})
	if err != nil {
		t.Fatal(err)
	}
	d = res.Detail
	if d.Kind != "loss" || d.ReplyHex != "" || d.RequestHex != "0800f2ff000d0025" || d.TimeoutMs != 300 ||
		!strings.Contains(d.Note, "0xf2ff, is wrong") || d.Seq != 37 {
		t.Fatalf("timeout detail: %+v", d)
	}
}
