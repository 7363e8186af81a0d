// In-page layout checks, run by both engines (each function is sent to the page as source, so
// it must not use anything from this module's scope).

/**
 * Everything wrong with the layout on screen, in words: the document scrolls (only panes may),
 * a text is cut with an ellipsis (scrollWidth > clientWidth where text-overflow is ellipsis;
 * unless the element's title is its whole text) or clipped without one, a pane scrolls sideways, something sticks out of the window, or a grid
 * item's content runs under the item beside it.
 */
export function layoutProblems() {
  const problems = [];
  const vw = innerWidth;
  const vh = innerHeight;
  const root = document.scrollingElement ?? document.documentElement;
  if (root.scrollHeight > vh + 1) problems.push(`the document scrolls: ${root.scrollHeight} px tall in a ${vh} px window`);
  if (root.scrollWidth > vw + 1) problems.push(`the document scrolls sideways: ${root.scrollWidth} px wide in a ${vw} px window`);
  const name = (el) => {
    const id = el.getAttribute('data-testid') ?? el.id;
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter((c) => !c.startsWith('svelte-')).join('.') : '';
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id ? ` #${id}` : ''}${cls ? ` .${cls}` : ''}> "${text}"`;
  };
  // Screen-reader-only text (1 px, clipped) is meant to be invisible.
  const srOnly = (el, cs) => el.clientWidth <= 1 && el.clientHeight <= 1 && (cs.clip !== 'auto' || cs.clipPath !== 'none' || cs.overflow === 'hidden');
  const clips = (cs) => cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getClientRects().length === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || srOnly(el, cs) || el.closest('[aria-hidden="true"], svg, canvas')) continue;
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    // A cut text whose whole is its own tooltip (the packet table's Note) is cut by design.
    const wholeInTitle = el.getAttribute('title') === (el.textContent ?? '').trim();
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth) {
      if (!wholeInTitle) problems.push(`cut with an ellipsis: ${name(el)} (${el.scrollWidth} px of text in ${el.clientWidth} px)`);
    } else if (hasText && (cs.overflowX === 'hidden' || cs.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`text clipped: ${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    if ((cs.overflowX === 'auto' || cs.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1 && !el.closest('[data-scrolls-sideways]')) {
      // Name the outermost descendant that sticks out: that is what needs the room.
      const edge = el.getBoundingClientRect().right;
      const wide = [...el.querySelectorAll('*')].find((d) => d.getBoundingClientRect().right > edge + 1);
      problems.push(`scrolls sideways: ${name(el)} (${el.scrollWidth} px in ${el.clientWidth} px${wide ? `, because of ${name(wide)}, ${Math.round(wide.getBoundingClientRect().width)} px wide` : ''})`);
    }
    // Outside the window and not inside a pane that clips it: nobody can ever see it.
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.right <= vw + 1 && r.bottom <= vh + 1 && r.left >= -1 && r.top >= -1)) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      const acs = getComputedStyle(a);
      if (!clips(acs)) continue;
      const ar = a.getBoundingClientRect();
      if (ar.right <= vw + 1 && ar.bottom <= vh + 1) {
        clipped = true;
        break;
      }
    }
    if (!clipped) problems.push(`outside the window: ${name(el)} (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)} in ${vw}x${vh})`);
  }
  // A grid item whose content is wider than its track runs under the item beside it (a table
  // too wide for its column drawn over the hex dump next to it): nothing clips it, so the
  // checks above do not see it.
  for (const grid of document.body.querySelectorAll('*')) {
    const display = getComputedStyle(grid).display;
    if (display !== 'grid' && display !== 'inline-grid') continue;
    const items = [...grid.children].filter((c) => c.getClientRects().length > 0);
    for (const a of items) {
      const ar = a.getBoundingClientRect();
      const reach = ar.left + a.scrollWidth;
      if (reach <= ar.right + 1 || clips(getComputedStyle(a))) continue;
      for (const b of items) {
        const br = b.getBoundingClientRect();
        if (b !== a && br.left >= ar.right - 1 && br.left < reach - 1 && br.top < ar.bottom && br.bottom > ar.top) {
          problems.push(`runs under its neighbour: ${name(a)} is ${a.scrollWidth} px wide in a ${Math.round(ar.width)} px column, over ${name(b)}`);
        }
      }
    }
  }
  // Text or a bordered box pressed against the border of the box that holds it (a view's
  // frame once drew around its own bordered panels and labels with no room inside): its
  // content must start at least 2 px inside the nearest ancestor with a border on that side.
  const px = (v) => parseFloat(v) || 0;
  const bordered = (cs, side) => px(cs[`border${side}Width`]) > 0 && cs[`border${side}Style`] !== 'none' && cs[`border${side}Color`] !== 'rgba(0, 0, 0, 0)';
  for (const el of document.body.querySelectorAll('*')) {
    if (el.getClientRects().length === 0 || el.closest('[aria-hidden="true"], svg, canvas, [role="grid"], table')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || srOnly(el, cs)) continue;
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    const boxed = bordered(cs, 'Left') && bordered(cs, 'Right');
    if (!hasText && !boxed) continue;
    const r = el.getBoundingClientRect();
    for (const side of ['Left', 'Right']) {
      // Text is measured where it starts (inside the element's own border and padding); a
      // bordered box by its border.
      const edge = side === 'Left'
        ? r.left + (boxed ? 0 : px(cs.borderLeftWidth) + px(cs.paddingLeft))
        : r.right - (boxed ? 0 : px(cs.borderRightWidth) + px(cs.paddingRight));
      let a = el.parentElement;
      while (a && a !== document.body && !bordered(getComputedStyle(a), side)) a = a.parentElement;
      if (!a || a === document.body) continue;
      const acs = getComputedStyle(a);
      const ar = a.getBoundingClientRect();
      const room = side === 'Left' ? edge - (ar.left + px(acs.borderLeftWidth)) : ar.right - px(acs.borderRightWidth) - edge;
      if (room >= -1 && room < 2) problems.push(`touches the ${side.toLowerCase()} border of ${name(a)}: ${name(el)}`);
    }
  }
  // Grids drawn as rows of CSS grids: each header must stand over its column.
  for (const grid of document.querySelectorAll('[role="grid"]')) {
    const heads = [...grid.querySelectorAll('[role="columnheader"]')].filter((c) => c.getClientRects().length > 0);
    const row = [...grid.querySelectorAll('[role="row"]')].find((r) => r.querySelector('[role="gridcell"]') && r.getClientRects().length > 0 && r.querySelectorAll('[role="gridcell"]').length >= heads.length);
    if (!row || heads.length === 0) continue;
    const cells = [...row.querySelectorAll(':scope > [role="gridcell"]')].filter((c) => c.getClientRects().length > 0);
    if (cells.length !== heads.length) continue;
    heads.forEach((h, i) => {
      const a = h.getBoundingClientRect();
      const b = cells[i].getBoundingClientRect();
      if (Math.abs(a.left - b.left) > 2 || Math.abs(a.right - b.right) > 2) problems.push(`header not over its column: ${name(h)} at ${Math.round(a.left)}-${Math.round(a.right)} px, its cells at ${Math.round(b.left)}-${Math.round(b.right)} px`);
    });
  }
  return [...new Set(problems)];
}

/** How many packet table rows are wholly visible in its viewport. */
export function visibleTableRows() {
  const viewport = document.querySelector('[data-testid="packet-table"] .viewport');
  if (!viewport) return 0;
  const box = viewport.getBoundingClientRect();
  return [...viewport.querySelectorAll('[role="row"][data-row]')].filter((row) => {
    const r = row.getBoundingClientRect();
    return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  }).length;
}

/** The packet table's column headers on screen, by their text. */
export function tableHeaders() {
  return [...document.querySelectorAll('[data-testid="packet-table"] [role="columnheader"]')]
    .filter((h) => h.getClientRects().length > 0)
    .map((h) => (h.textContent ?? '').trim());
}

/**
 * Where the packet table's rows end, as a fraction of the table's width: the rightmost edge of
 * any cell's text in the visible rows (a wide table whose columns left its right quarter blank
 * said about 0.75).
 */
export function tableTextReach() {
  const table = document.querySelector('[data-testid="packet-table"]');
  if (!table) return 0;
  const box = table.getBoundingClientRect();
  let right = box.left;
  for (const cell of table.querySelectorAll('[role="row"][data-row] > [role="gridcell"]')) {
    if (cell.getClientRects().length === 0 || (cell.textContent ?? '').trim() === '') continue;
    const range = document.createRange();
    range.selectNodeContents(cell);
    right = Math.max(right, Math.min(range.getBoundingClientRect().right, cell.getBoundingClientRect().right));
  }
  return (right - box.left) / box.width;
}

/** Resolves after two animation frames: the layout of the last change is on screen. */
export function settled() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))));
}
