// The hand-off from the Decode tab (and later the inspector) to the Lab, where a packet can
// be edited and sent. The Lab is not built yet: it will call onOpenInLab when it mounts and
// switch to its tab when a packet arrives. Until a handler is registered, labAvailable() is
// false and the Decode tab shows no "Open in Lab" button, so nothing pretends to work.

/** What the Lab receives: the decoded bytes and where they came from. */
export interface LabPacket {
  /** The bytes, lowercase hex without spaces (Report.hex). */
  hex: string;
  /** One line naming the packet (Report.summary). */
  summary: string;
  /** Where the bytes came from: "Decode tab: read as xxd output: 84 bytes". */
  origin: string;
}

export type LabHandler = (packet: LabPacket) => void;

let handler: LabHandler | undefined;
const listeners = new Set<() => void>();

/** The Lab registers itself; the returned function unregisters it (on unmount). */
export function onOpenInLab(h: LabHandler): () => void {
  handler = h;
  listeners.forEach((l) => l());
  return () => {
    if (handler === h) handler = undefined;
    listeners.forEach((l) => l());
  };
}

/** Whether a Lab is there to take a packet. */
export function labAvailable(): boolean {
  return handler !== undefined;
}

/** Called when labAvailable() may have changed (the Decode tab shows or hides its button). */
export function watchLab(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Hands the packet to the Lab; false when there is no Lab to take it. */
export function openInLab(packet: LabPacket): boolean {
  if (!handler) return false;
  handler(packet);
  return true;
}
