package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"echoscope/backend/probe"
)

func TestDNSErrorIsOneSentenceThenTheDetail(t *testing.T) {
	notFound := fmt.Errorf("%w: nosuch.invalid: %w", probe.ErrResolve,
		&net.DNSError{Err: "no such host", Name: "nosuch.invalid", Server: "127.0.0.1:53", IsNotFound: true})
	timeout := fmt.Errorf("%w: slow.test: %w", probe.ErrResolve,
		&net.DNSError{Err: "i/o timeout", Name: "slow.test", IsTimeout: true})
	family := fmt.Errorf("%w: v4only.test has no IPv6 address", probe.ErrResolve)
	other := fmt.Errorf("%w: odd.test: %w", probe.ErrResolve, errors.New("server misbehaving"))
	for _, c := range []struct {
		host     string
		err      error
		sentence string
	}{
		{"nosuch.invalid", notFound, "Could not find the host nosuch.invalid: the name does not exist (DNS)."},
		{"slow.test", timeout, "Could not find the host slow.test: the name server did not answer in time (DNS)."},
		{"slow.test", fmt.Errorf("%w: %w", probe.ErrResolve, context.DeadlineExceeded), "Could not find the host slow.test: the name server did not answer in time (DNS)."},
		{"v4only.test", family, "Could not use the host v4only.test: it has no address of the chosen IP version."},
		{"odd.test", other, "Could not look up the host odd.test (DNS)."},
	} {
		err := dnsError(c.host, c.err)
		sentence, detail, ok := strings.Cut(err.Error(), "\n")
		if !ok || sentence != c.sentence {
			t.Errorf("dnsError(%v) first line = %q, want %q", c.err, sentence, c.sentence)
		}
		if detail != "DNS lookup failed: "+c.err.Error() {
			t.Errorf("dnsError(%v) detail = %q, want the whole chain", c.err, detail)
		}
		if !errors.Is(err, ErrDNS) || !errors.Is(err, probe.ErrResolve) {
			t.Errorf("dnsError(%v) lost its sentinels", c.err)
		}
	}
}
