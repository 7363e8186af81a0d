package probe

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	base := Options{Target: "127.0.0.1"}
	with := func(f func(*Options)) Options { o := base; f(&o); return o }
	cases := []struct {
		name   string
		opts   Options
		policy Policy
		want   error
	}{
		{"defaults", base, UserPolicy(), nil},
		{"no target", Options{}, RootPolicy(), ErrInvalidOption},
		{"negative count", with(func(o *Options) { o.Count = -1 }), RootPolicy(), ErrInvalidOption},
		{"size 0", with(func(o *Options) { o.Size, o.SizeSet = 0, true }), UserPolicy(), nil},
		{"size max IPv4", with(func(o *Options) { o.Size = MaxPayloadIPv4 }), UserPolicy(), nil},
		{"size above IPv4 max", with(func(o *Options) { o.Size = MaxPayloadIPv4 + 1 }), RootPolicy(), ErrInvalidOption},
		{"size max IPv6", with(func(o *Options) { o.Size, o.Family = MaxPayloadIPv6, Family6 }), RootPolicy(), nil},
		{"pattern 16", with(func(o *Options) { o.Pattern = make([]byte, 16) }), UserPolicy(), nil},
		{"pattern 17", with(func(o *Options) { o.Pattern = make([]byte, 17) }), UserPolicy(), ErrInvalidOption},
		{"ttl 256", with(func(o *Options) { o.TTL = 256 }), RootPolicy(), ErrInvalidOption},
		{"tos 256", with(func(o *Options) { o.TOS = 256 }), RootPolicy(), ErrInvalidOption},
		{"bad family", with(func(o *Options) { o.Family = 5 }), RootPolicy(), ErrInvalidOption},
		{"user 2ms", with(func(o *Options) { o.Interval = 2 * time.Millisecond }), UserPolicy(), nil},
		{"user 1ms", with(func(o *Options) { o.Interval = time.Millisecond }), UserPolicy(), ErrPolicy},
		{"root 1ms", with(func(o *Options) { o.Interval = time.Millisecond }), RootPolicy(), nil},
		{"user flood", with(func(o *Options) { o.Flood = true }), UserPolicy(), ErrPolicy},
		{"root flood", with(func(o *Options) { o.Flood = true }), RootPolicy(), nil},
		{"size cap", with(func(o *Options) { o.Size = 2000 }), Policy{Name: "capped", MaxSize: 1500}, ErrPolicy},
		{"count cap", with(func(o *Options) { o.Count = 0 }), Policy{Name: "capped", MaxCount: 10}, ErrPolicy},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate(tc.policy)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Validate = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestNewSessionBroadcastNeedsFlag(t *testing.T) {
	_, err := NewSession(Options{Target: "255.255.255.255"}, RootPolicy(), nil)
	if !errors.Is(err, ErrBroadcast) {
		t.Fatalf("err = %v, want ErrBroadcast", err)
	}
	if _, err := NewSession(Options{Target: "255.255.255.255", Broadcast: true}, RootPolicy(), nil); err != nil {
		t.Fatalf("with the flag: %v", err)
	}
}

func TestResolve(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		host string
		fam  Family
		want string
		err  error
	}{
		{"127.0.0.1", FamilyAuto, "127.0.0.1", nil},
		{"::1", FamilyAuto, "::1", nil},
		{"[::1]", Family6, "::1", nil},
		{"::ffff:127.0.0.1", FamilyAuto, "127.0.0.1", nil},
		{"127.0.0.1", Family6, "", ErrResolve},
		{"::1", Family4, "", ErrResolve},
		{"localhost", Family4, "127.0.0.1", nil},
		{"", FamilyAuto, "", ErrResolve},
		{"no such host.invalid", FamilyAuto, "", ErrResolve},
	}
	for _, tc := range cases {
		got, err := Resolve(ctx, tc.host, tc.fam)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Resolve(%q, %v) err = %v, want %v", tc.host, tc.fam, err, tc.err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("Resolve(%q, %v) = %v, %v; want %s", tc.host, tc.fam, got, err, tc.want)
		}
	}
}

func TestParseWords(t *testing.T) {
	for _, w := range []string{"do", "dont", "want", "probe"} {
		m, err := ParsePMTUMode(w)
		if err != nil || m.String() != w {
			t.Errorf("ParsePMTUMode(%q) = %v, %v", w, m, err)
		}
	}
	if _, err := ParsePMTUMode("sometimes"); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("bad pmtu word: %v", err)
	}
	for _, w := range []string{"auto", "raw", "datagram", "windows"} {
		k, err := ParseSocketKind(w)
		if err != nil || k.String() != w {
			t.Errorf("ParseSocketKind(%q) = %v, %v", w, k, err)
		}
	}
}
