package service

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"echoscope/backend/probe"
)

// sentenceError is an error a person reads: the first line of Error() is one sentence that
// says what happened in plain words; the lines after it hold the technical detail (the
// wrapped chain), which the page shows as a details line. errors.Is still sees every sentinel.
type sentenceError struct {
	sentence string
	detail   string // empty when the sentence already says everything
	wrapped  []error
}

func (e *sentenceError) Error() string {
	if e.detail == "" {
		return e.sentence
	}
	return e.sentence + "\n" + e.detail
}

func (e *sentenceError) Unwrap() []error { return e.wrapped }

// dnsError turns a failed probe.Resolve of host into a sentence: the name does not exist,
// the resolver did not answer, the name has no address of the asked family, or (anything
// else) the lookup failed. The resolver's own words stay in the detail line.
func dnsError(host string, err error) error {
	return &sentenceError{sentence: dnsSentence(host, err), detail: fmt.Sprintf("%v: %v", ErrDNS, err), wrapped: []error{ErrDNS, err}}
}

func dnsSentence(host string, err error) string {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return fmt.Sprintf("Could not find the host %s: the name does not exist (DNS).", host)
	case errors.As(err, &de) && de.IsTimeout, errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("Could not find the host %s: the name server did not answer in time (DNS).", host)
	case errors.Is(err, probe.ErrResolve) && strings.Contains(err.Error(), " address"):
		// "has no IPv6 address", "is not an IPv4 address": the family option excludes it.
		return fmt.Sprintf("Could not use the host %s: it has no address of the chosen IP version.", host)
	default:
		return fmt.Sprintf("Could not look up the host %s (DNS).", host)
	}
}
