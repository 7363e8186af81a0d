package wire

import (
	"encoding/hex"
	"fmt"
)

// checkReport returns the first broken invariant of a Report for input b, or nil:
//   - Length and Hex describe b; slices are non-nil (JSON arrays, never null);
//   - every field lies inside b, has a name, a layer listed in Layers and length >= 1;
//     bit fields fit inside their bytes;
//   - depth-0 fields tile b: in order, no overlap, every bit covered exactly once (unless
//     Error is set, when there may be no fields at all);
//   - deeper fields lie inside the nearest shallower field before them;
//   - checksum reports point inside b.
func checkReport(b []byte, r Report) error {
	if r.Length != len(b) || r.Hex != hex.EncodeToString(b) {
		return fmt.Errorf("length %d / hex %q do not describe the %d input bytes", r.Length, r.Hex, len(b))
	}
	if r.Layers == nil || r.Fields == nil || r.Checksums == nil || r.Warnings == nil {
		return fmt.Errorf("nil slice in report")
	}
	if r.Summary == "" {
		return fmt.Errorf("empty summary")
	}
	layers := map[string]bool{}
	for _, l := range r.Layers {
		if layers[l] {
			return fmt.Errorf("layer %q listed twice", l)
		}
		layers[l] = true
	}
	bitPos := 0 // next uncovered bit, for depth-0 tiling
	var parents []Field
	for i, f := range r.Fields {
		if f.Name == "" || !layers[f.Layer] {
			return fmt.Errorf("field %d %+v: no name or unlisted layer", i, f)
		}
		if f.Length < 1 || f.Offset < 0 || f.Offset+f.Length > len(b) {
			return fmt.Errorf("field %d %q [%d,+%d) outside the %d bytes", i, f.Name, f.Offset, f.Length, len(b))
		}
		start, end := f.Offset*8, (f.Offset+f.Length)*8
		if f.BitLength > 0 {
			if f.BitOffset < 0 || f.BitOffset > 7 || f.BitOffset+f.BitLength > f.Length*8 || f.BitOffset+f.BitLength <= (f.Length-1)*8 {
				return fmt.Errorf("field %d %q: bits %d+%d do not fit %d bytes snugly", i, f.Name, f.BitOffset, f.BitLength, f.Length)
			}
			start, end = f.Offset*8+f.BitOffset, f.Offset*8+f.BitOffset+f.BitLength
		}
		if f.Depth < 0 || f.Depth > len(parents) {
			return fmt.Errorf("field %d %q: depth %d without a parent", i, f.Name, f.Depth)
		}
		parents = parents[:f.Depth]
		if f.Depth == 0 {
			if start != bitPos {
				return fmt.Errorf("field %d %q starts at bit %d, want %d (gap or overlap)", i, f.Name, start, bitPos)
			}
			bitPos = end
		} else {
			p := parents[f.Depth-1]
			if f.Offset < p.Offset || f.Offset+f.Length > p.Offset+p.Length {
				return fmt.Errorf("field %d %q lies outside its parent %q", i, f.Name, p.Name)
			}
		}
		parents = append(parents, f)
	}
	if r.Error == "" && bitPos != len(b)*8 {
		return fmt.Errorf("depth-0 fields cover %d of %d bits", bitPos, len(b)*8)
	}
	for _, c := range r.Checksums {
		if c.Start < 0 || c.Start > c.End || c.End > len(b) || c.FieldOffset < c.Start || c.FieldOffset+2 > len(b) {
			return fmt.Errorf("checksum %+v outside the bytes", c)
		}
		for _, s := range c.Trace.Steps {
			if s.Offset < -1 || s.Offset >= len(b) {
				return fmt.Errorf("checksum step at %d outside the bytes", s.Offset)
			}
		}
		if c.Trace.Result != ^c.Trace.Sum {
			return fmt.Errorf("trace result %#x is not the complement of sum %#x", c.Trace.Result, c.Trace.Sum)
		}
	}
	return nil
}
