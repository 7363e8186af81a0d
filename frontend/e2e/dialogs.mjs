// Answers the app's native GTK file dialogs (save and open) on its Xvfb display with xdotool,
// the way a person would: wait for the dialog window, focus it, type the path, press Return.
// There is no window manager under xvfb-run, so focus is set directly (XSetInputFocus) and the
// keys go through XTEST to the focused window.

import { execFileSync } from 'node:child_process';

/** A failure deadline for the dialog to appear, not a timing assertion. */
const DIALOG_DEADLINE_MS = 30_000;

/** display: the app's X environment, { DISPLAY, XAUTHORITY } (harness startApp().display). */
function xdotool(display, args) {
  return execFileSync('xdotool', args, { env: { ...process.env, ...display }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Visible top-level windows and their titles. */
function windows(display) {
  let ids = [];
  try {
    ids = xdotool(display, ['search', '--onlyvisible', '--name', '.']).split('\n').filter(Boolean);
  } catch {
    return []; // xdotool search exits 1 when nothing matches
  }
  return ids.map((id) => {
    let name = '';
    try {
      name = xdotool(display, ['getwindowname', id]);
    } catch {
      // gone meanwhile
    }
    return { id, name };
  });
}

/**
 * Waits for a visible window whose title matches title (the dialog's, e.g. /Export|Import/),
 * and returns its id.
 */
export async function waitForDialog(display, title) {
  const start = Date.now();
  for (;;) {
    const found = windows(display).find((w) => title.test(w.name));
    if (found) return found.id;
    if (Date.now() - start > DIALOG_DEADLINE_MS) {
      throw new Error(`no dialog titled ${title} within ${DIALOG_DEADLINE_MS} ms on ${display.DISPLAY}; windows: ${JSON.stringify(windows(display))}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Types path into the file dialog titled title and confirms. In an open dialog Ctrl+L brings
 * up the location field; in a save dialog the name field has the focus and takes a whole path.
 */
export async function answerFileDialog(display, title, path, { save = false } = {}) {
  const id = await waitForDialog(display, title);
  xdotool(display, ['windowfocus', '--sync', id]);
  await new Promise((r) => setTimeout(r, 300)); // GTK maps the dialog's widgets after the window
  if (save) xdotool(display, ['key', '--clearmodifiers', 'ctrl+a']);
  else xdotool(display, ['key', '--clearmodifiers', 'ctrl+l']);
  xdotool(display, ['type', '--delay', '15', path]);
  await new Promise((r) => setTimeout(r, 300)); // let the location field's completion settle
  xdotool(display, ['key', '--clearmodifiers', 'Return']);
  return id;
}

/** Presses Escape in the dialog: the app must treat it as cancelled. */
export async function cancelFileDialog(display, title) {
  const id = await waitForDialog(display, title);
  xdotool(display, ['windowfocus', '--sync', id]);
  xdotool(display, ['key', '--clearmodifiers', 'Escape']);
}
