package wire

import (
	"fmt"
)

func ExampleDecode() {
	r := Decode(ping4Request, Options{})
	fmt.Println(r.Summary)
	for _, f := range r.Fields {
		if f.Name == "TTL" || f.Name == "Flags: Don't Fragment" || f.Layer == "ICMPv4" && f.Name == "Checksum" {
			fmt.Printf("%s %s: %s\n", f.Layer, f.Name, f.Meaning)
		}
	}
	// Output:
	// IPv4 127.0.0.1 > 127.0.0.1, ICMPv4 Echo Request id=0x3fa0 seq=1, 52 bytes
	// IPv4 Flags: Don't Fragment: Don't Fragment: set
	// IPv4 TTL: TTL 64
	// ICMPv4 Checksum: checksum 0x50b2 (correct)
}
