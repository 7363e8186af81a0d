// Keyboard focus across view switches. A view that is hidden keeps the focus of the field that had
// it unless something moves it: typing would then go into a field nobody sees, and WebKitGTK keeps
// that field's native suggestion popup (the Ping target's recent-targets list) open on top of the
// view that replaced it.

/**
 * When the focused element sits inside a hidden element, moves the focus to the panel with id
 * `panelId` (a tabpanel with tabindex -1), or to nothing if there is none. Returns whether it moved.
 */
export function moveFocusOutOfHidden(doc: Document, panelId: string): boolean {
  const active = doc.activeElement;
  if (!(active instanceof HTMLElement) || !active.closest('[hidden]')) return false;
  active.blur();
  doc.getElementById(panelId)?.focus({ preventScroll: true });
  return true;
}
