package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCapEffHas(t *testing.T) {
	status := "Name:\tping\nCapInh:\t0000000000000000\nCapPrm:\t0000000000002000\nCapEff:\t%s\nCapBnd:\t000001ffffffffff\n"
	cases := map[string]bool{
		"0000000000002000": true,  // cap_net_raw only (bit 13), as after setcap cap_net_raw=ep
		"000001ffffffffff": true,  // root
		"0000000000000000": false, // an ordinary user
		"0000000000001000": false, // bit 12 (cap_net_admin) is not enough
		"zz":               false,
	}
	for eff, want := range cases {
		r := strings.NewReader(strings.Replace(status, "%s", eff, 1))
		if got := capEffHas(r, capNetRawBit); got != want {
			t.Errorf("CapEff %s: got %v, want %v", eff, got, want)
		}
	}
	if capEffHas(strings.NewReader("Name: x\n"), capNetRawBit) {
		t.Error("no CapEff line must mean no capability")
	}
}

func TestFindHelperOnPath(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, HelperName())
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	got, err := FindHelper()
	if err != nil || got != p {
		t.Fatalf("got %q, %v; want %q", got, err, p)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := FindHelper(); err == nil || !strings.Contains(err.Error(), "$PATH") {
		t.Fatalf("with no helper anywhere: got %v", err)
	}
}
