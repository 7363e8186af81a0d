package capture

// pcapng block types and option codes (draft-ietf-opsawg-pcapng sections 4 and 3.5).
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockSPB = 0x00000003
	blockEPB = 0x00000006

	// byteOrderMagic, written in the section's byte order, tells that order.
	byteOrderMagic = 0x1A2B3C4D

	optEndOfOpt   = 0
	optComment    = 1
	optIfName     = 2
	optShbUserApp = 4
	optIfTsresol  = 9
	optIfTsoffset = 14
)

// Classic pcap magic numbers as read in the file's own byte order.
const (
	pcapMagicMicro = 0xa1b2c3d4
	pcapMagicNano  = 0xa1b23c4d
)

// maxRecord bounds one record (or parsed block) the reader holds in memory, so a corrupt
// length field gives an error naming it instead of an allocation of gigabytes. Real
// packets are at most 262,144 bytes (tcpdump's largest snap length).
const maxRecord = 1 << 24
