/**
 * Icons drawn as SVG paths (components/Icon.svelte), not as text glyphs: WebKitGTK draws "ℹ",
 * "⚙" or "✓" with whatever font it finds (a plain "i" in the app window), SVG looks the same in
 * every engine. Paths are on a 16×16 grid, stroked with currentColor.
 */
export const ICON_PATHS = {
  ok: 'M3 8.5l3 3 7-7',
  bad: 'M4 4l8 8M12 4l-8 8',
  close: 'M4 4l8 8M12 4l-8 8',
  warn: 'M8 2L15 14H1z M8 6.5v3.5 M8 11.8v0.4',
  info: 'M8 1.5a6.5 6.5 0 1 0 0.01 0z M8 7v4.5 M8 4.6v0.4',
  gear: 'M8 5.5a2.5 2.5 0 1 0 0.01 0z M8 1v2 M8 13v2 M1 8h2 M13 8h2 M3 3l1.5 1.5 M11.5 11.5L13 13 M13 3l-1.5 1.5 M4.5 11.5L3 13',
  late: 'M8 1.5a6.5 6.5 0 1 0 0.01 0z M8 4v4l3 2',
  reorder: 'M5 2v12 M2 5l3-3 3 3 M11 14V2 M8 11l3 3 3-3',
  duplicate: 'M1 5h11 M9 2l3 3-3 3 M1 11h11 M9 8l3 3-3 3',
  unknown: 'M5.5 6a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .8-1 1.5v.7 M8 12.8v.4',
  differs: 'M3 6h10 M3 10h10 M11 2.5L5 13.5',
  send: 'M2 8h11 M9 4l4 4-4 4',
  receive: 'M14 8H3 M7 4L3 8l4 4',
} as const;

export type IconName = keyof typeof ICON_PATHS;
