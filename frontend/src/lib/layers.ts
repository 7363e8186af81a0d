// One colour per layer, in the order layers first appear in the field map, shared by the field
// table and the hex dump. Colour only helps the eye: the layer is also written in the table
// and in each byte's description.

import type { Field } from './wire/types';

const PALETTE_SIZE = 5;

/** Layer names in order of first appearance ("IPv4", "ICMPv4", "Quoted IPv4", ...). */
export function layerOrder(fields: readonly Field[]): string[] {
  const seen: string[] = [];
  for (const field of fields) if (!seen.includes(field.layer)) seen.push(field.layer);
  return seen;
}

/** CSS class "layer-1" ... "layer-5" for a layer, "layer-none" for bytes outside any field. */
export function layerClass(order: readonly string[], layer: string): string {
  const index = order.indexOf(layer);
  if (layer === '' || index < 0) return 'layer-none';
  return `layer-${(index % PALETTE_SIZE) + 1}`;
}
