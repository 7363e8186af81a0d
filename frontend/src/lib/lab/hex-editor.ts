// The Lab's hex editor keeps one block element per line of the message (16 bytes), so typing a
// digit makes the browser lay out one line and not the whole message: in WebKitGTK a 94-line
// textarea (a 1500-byte packet) cost about 12 ms of layout per keystroke, whatever the page did.
// These functions read the text back out of what the editing commands left (lines, line breaks,
// the placeholder <br> of an empty line) and work out which lines a new text changes.

/** The part of a DOM node the reader needs (so it is unit tested without a DOM). */
export interface EditorNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<EditorNode>;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;

/**
 * The editor's text, one line per block element or line break, as a person sees it: a block
 * (a line's div, or one an editing command made) starts and ends a line, a <br> ends one, and
 * the <br> that only holds an empty line open adds nothing. Characters are taken as they are:
 * the codec reads the hex and says in words what it cannot.
 */
export function editorText(root: EditorNode): string {
  const lines: string[] = [];
  let line = '';
  let open = false;
  const endLine = () => {
    if (!open) return;
    lines.push(line);
    line = '';
    open = false;
  };
  const walk = (node: EditorNode) => {
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i]!;
      if (child.nodeType === TEXT_NODE) {
        line += child.nodeValue ?? '';
        open = true;
      } else if (child.nodeType !== ELEMENT_NODE) {
        continue;
      } else if (child.nodeName === 'BR') {
        lines.push(line);
        line = '';
        open = false;
      } else if (child.nodeName === 'DIV' || child.nodeName === 'P') {
        endLine();
        walk(child);
        endLine();
      } else {
        walk(child); // inline (a span a paste left): its text belongs to the line
      }
    }
  };
  walk(root);
  endLine();
  return lines.join('\n');
}

/**
 * The indices of the lines of `next` that differ from `shown` (the editor's current lines), or
 * undefined when the number of lines differs (the editor is then written whole).
 */
export function changedLines(shown: readonly string[], next: readonly string[]): number[] | undefined {
  if (shown.length !== next.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < next.length; i++) if (shown[i] !== next[i]) changed.push(i);
  return changed;
}
