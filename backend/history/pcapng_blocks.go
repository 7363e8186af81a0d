package history

// pcapng block and option codes (draft-ietf-opsawg-pcapng) the capture reader needs; the
// writer in backend/export keeps its own copy of the ones it writes.
const (
	blockSHB = 0x0A0D0D0A
	blockIDB = 0x00000001
	blockSPB = 0x00000003
	blockEPB = 0x00000006

	byteOrderMagic = 0x1A2B3C4D

	optEndOfOpt  = 0
	optIfTsresol = 9
)
