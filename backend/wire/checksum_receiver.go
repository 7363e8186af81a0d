package wire

import (
	"fmt"
	"slices"
)

// receiverChecks completes every ChecksumReport with the receiver's view: the sum of all
// covered words with the checksum included (RFC 1071 section 1: a receiver checks that it
// is all ones). When the bytes are a message as written to a socket whose kernel fills the
// checksum, a 0 there is worded as left for the kernel, with the value the wire carries.
func (d *decoder) receiverChecks() {
	for i := range d.r.Checksums {
		c := &d.r.Checksums[i]
		topICMP := c.Layer == LayerICMPv4 || c.Layer == LayerICMPv6
		if d.opts.KernelChecksum && topICMP && c.Verifiable && c.Received == 0 && !c.Correct {
			d.kernelFilled(c)
		}
		onWire := c.Received
		if c.KernelFilled {
			onWire = c.Computed
		}
		c.ReceiverSum = Fold(uint32(c.Trace.Sum) + uint32(onWire))
	}
}

// kernelFilled rewords the checksum field and drops the "wrong" warning for a checksum
// that the kernel fills on its way out.
func (d *decoder) kernelFilled(c *ChecksumReport) {
	c.KernelFilled = true
	for i := range d.r.Fields {
		f := &d.r.Fields[i]
		if f.Layer == c.Layer && f.Name == "Checksum" && f.Offset == c.FieldOffset {
			f.Meaning = fmt.Sprintf("checksum 0x0000: left 0 for the kernel to fill; on the wire it is 0x%04x", c.Computed)
		}
	}
	wrong := fmt.Sprintf("%s checksum 0x%04x is wrong: should be 0x%04x", c.Layer, c.Received, c.Computed)
	d.r.Warnings = slices.DeleteFunc(d.r.Warnings, func(w string) bool { return w == wrong })
}
