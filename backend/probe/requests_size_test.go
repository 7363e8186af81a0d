package probe

import (
	"testing"
	"unsafe"
)

// TestRequestIsOneCacheLine: a flood writes one ring slot per packet, cold since its last
// use; at 64 bytes (and the ring's slots page-aligned) that is one cache line, not two.
func TestRequestIsOneCacheLine(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("the padding is laid out for 64-bit platforms")
	}
	if n := unsafe.Sizeof(request{}); n != 64 {
		t.Fatalf("request is %d bytes, want 64 (one cache line)", n)
	}
}
