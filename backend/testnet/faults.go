//go:build linux

package testnet

import (
	"fmt"
	"time"
)

// Fault is what the chaos Responder does to the requests it is told to spoil.
type Fault string

const (
	// FaultNone answers every request correctly (a user-space echo server).
	FaultNone Fault = "none"
	// FaultDelay answers after Chaos.Delay.
	FaultDelay Fault = "delay"
	// FaultDrop does not answer.
	FaultDrop Fault = "drop"
	// FaultDuplicate answers 1 + Chaos.Copies times.
	FaultDuplicate Fault = "duplicate"
	// FaultReorder holds the reply until the next request has been answered.
	FaultReorder Fault = "reorder"
	// FaultBadChecksum answers with the ICMP checksum off by one bit.
	FaultBadChecksum Fault = "bad-checksum"
	// FaultTruncate answers with only the first half of the payload (checksum correct).
	FaultTruncate Fault = "truncate"
	// FaultWrongID answers with the identifier's top bit flipped.
	FaultWrongID Fault = "wrong-id"
	// FaultWrongSeq answers with 0x4000 added to the sequence number.
	FaultWrongSeq Fault = "wrong-seq"
	// FaultOtherAddress answers from the host's second address (PeerAlt).
	FaultOtherAddress Fault = "other-address"
	// FaultUnreachable sends destination unreachable (host / address unreachable) from
	// PeerAlt, quoting the request, instead of a reply.
	FaultUnreachable Fault = "unreachable"
	// FaultTimeExceeded sends time exceeded in transit from PeerAlt, quoting the request.
	FaultTimeExceeded Fault = "time-exceeded"
	// FaultForeignFlood sends Chaos.Flood echo replies with other identifiers and random
	// payloads (as other processes' pings would look), then the correct reply.
	FaultForeignFlood Fault = "foreign-flood"
)

// Faults lists every fault, for command-line help and table tests.
func Faults() []Fault {
	return []Fault{FaultNone, FaultDelay, FaultDrop, FaultDuplicate, FaultReorder, FaultBadChecksum,
		FaultTruncate, FaultWrongID, FaultWrongSeq, FaultOtherAddress, FaultUnreachable,
		FaultTimeExceeded, FaultForeignFlood}
}

// ParseFault accepts the names above.
func ParseFault(s string) (Fault, error) {
	for _, f := range Faults() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("testnet: unknown fault %q (want one of %v)", s, Faults())
}

// Chaos configures a Responder.
type Chaos struct {
	Fault Fault `json:"fault"`
	// Every applies the fault to request n (counted from 1, per IP version) when n % Every
	// == 0; 0 or 1 spoils every request. Other requests get a correct reply.
	Every int `json:"every,omitempty"`
	// Delay for FaultDelay.
	Delay time.Duration `json:"delay,omitempty"`
	// Copies for FaultDuplicate: extra replies (0 means 1).
	Copies int `json:"copies,omitempty"`
	// Flood for FaultForeignFlood: foreign replies per request (0 means 10).
	Flood int `json:"flood,omitempty"`
}

func (c Chaos) spoils(n uint64) bool {
	return c.Every <= 1 || n%uint64(c.Every) == 0
}

func (c Chaos) copies() int {
	if c.Copies <= 0 {
		return 1
	}
	return c.Copies
}

func (c Chaos) flood() int {
	if c.Flood <= 0 {
		return 10
	}
	return c.Flood
}
