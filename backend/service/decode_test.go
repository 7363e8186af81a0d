package service

import (
	"errors"
	"strings"
	"testing"

	"echoscope/backend/wire"
)

func TestDecodeUsesTheWireCodec(t *testing.T) {
	svc := NewAppService()
	// The textbook echo request: type 8, code 0, checksum 0x92bf, id 13, seq 37, "echoscope lesson".
	report, err := svc.Decode("08 00 92 bf 00 0d 00 25 6563686f73636f7065206c6573736f6e")
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if report.Error != "" || report.Length != 24 {
		t.Fatalf("report error=%q length=%d, want a 24-byte decode", report.Error, report.Length)
	}
	var typ, id *wire.Field
	for i := range report.Fields {
		switch report.Fields[i].Name {
		case "Type":
			typ = &report.Fields[i]
		case "Identifier":
			id = &report.Fields[i]
		}
	}
	if typ == nil || typ.Meaning != "Echo Request" {
		t.Errorf("Type field %+v, want meaning Echo Request", typ)
	}
	if id == nil || id.Offset != 4 {
		t.Errorf("Identifier field %+v, want offset 4", id)
	}
	if len(report.Checksums) != 1 || !report.Checksums[0].Correct {
		t.Errorf("checksums %+v, want one correct ICMP checksum", report.Checksums)
	}
}

func TestDecodeRejectsBadHex(t *testing.T) {
	_, err := NewAppService().Decode("08 00 zz")
	if !errors.Is(err, wire.ErrBadHex) {
		t.Fatalf("Decode(bad hex) error = %v, want wire.ErrBadHex", err)
	}
	if strings.Contains(err.Error(), "wire:") || !strings.HasPrefix(err.Error(), "Invalid hex character") {
		t.Errorf("Decode(bad hex) error = %q, want words without the package name", err)
	}
}
