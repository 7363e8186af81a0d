package probe

import (
	"context"
	"errors"
	"net"
	"strconv"
	"testing"
)

// The IPv4 forms inet_aton accepts, which iputils ping takes as addresses.
func TestResolveInetAtonForms(t *testing.T) {
	for in, want := range map[string]string{
		"127.1":      "127.0.0.1",
		"0x7f000001": "127.0.0.1",
		"2130706433": "127.0.0.1",
		"127.0.1":    "127.0.0.1",
		"010.0.0.1":  "8.0.0.1",
		"0":          "0.0.0.0",
	} {
		a, err := Resolve(context.Background(), in, FamilyAuto)
		if err != nil || a.String() != want {
			t.Errorf("%s: got %v, %v; want %s", in, a, err, want)
		}
	}
	for _, bad := range []string{"256.1", "1.2.3.4.5", "0x", "1.0x", "4294967296", "08", "1_0", "1..2"} {
		if a, ok := parseInetAton(bad); ok {
			t.Errorf("%s: parsed as %v", bad, a)
		}
	}
}

// An IPv6 zone must name an interface of this host, by name or by index; anything else is
// refused before a packet is sent (iputils: "Name or service not known"), never dropped.
func TestResolveRefusesUnknownZones(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skip("no lo interface")
	}
	for _, ok := range []string{"fe80::1%lo", "fe80::1%" + strconv.Itoa(lo.Index), "::1%lo"} {
		a, err := Resolve(context.Background(), ok, FamilyAuto)
		if err != nil {
			t.Errorf("%s: %v", ok, err)
			continue
		}
		if ifi, err := zoneInterface(a.Zone()); err != nil || ifi.Index != lo.Index {
			t.Errorf("%s: zone names %v (%v), want interface %d", ok, ifi, err, lo.Index)
		}
	}
	for _, bad := range []string{"fe80::1%nosuchif", "fe80::1%999999", "fe80::1%0"} {
		_, err := Resolve(context.Background(), bad, FamilyAuto)
		if !errors.Is(err, ErrResolve) || !errors.Is(err, ErrUnknownZone) {
			t.Errorf("%s: got %v, want an unknown-zone error", bad, err)
		}
	}
}

// FuzzParseInetAton: never a panic; whatever parses is an IPv4 address.
func FuzzParseInetAton(f *testing.F) {
	for _, s := range []string{"127.1", "0x7f000001", "2130706433", "1.2.3.4", "0377.0xff.1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if a, ok := parseInetAton(s); ok && !a.Is4() {
			t.Fatalf("%q gave %v", s, a)
		}
	})
}
