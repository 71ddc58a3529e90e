// The toolbar's shape library: a "Shapes" pop-over with a search box and one button per
// SHAPE_LIBRARY entry (generic shapes, arrow variants, the system-design icons). A click
// places the entry's preset in the middle of the view and selects it (one undo step).
// DOM only; the view supplies where the view's centre is and how to select.

import { h } from '../lib/dom';
import { closeOnOutside } from './board_menu';
import type { BoardModel } from './model';
import { searchLibrary, type LibraryEntry } from './shapes_library';
import type { Point } from './types';

export interface LibraryHost {
  /** The centre of the visible board area, in board units. */
  viewCentre(): Point;
  /** Called with the new shape's id (the view selects it). */
  placed(id: string): void;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Small preview glyphs for the generic entries (24x24 grid), icons use their own paths. */
const GENERIC_GLYPHS: Record<string, string[]> = {
  rect: ['M3 6h18v12H3z'],
  ellipse: ['M12 6c5 0 9 2.7 9 6s-4 6-9 6-9-2.7-9-6 4-6 9-6z'],
  diamond: ['M12 3l9 9-9 9-9-9z'],
  sticky: ['M4 4h16v12l-4 4H4z', 'M16 20v-4h4'],
  text: ['M5 5h14', 'M12 5v14'],
  line: ['M3 12h18'],
  arrow: ['M3 12h17', 'M15 7l5 5-5 5'],
  arrow2: ['M4 12h16', 'M9 7l-5 5 5 5', 'M15 7l5 5-5 5'],
  elbow: ['M3 6h9v12h8', 'M16 14l4 4-4 4'],
  'dashed-arrow': ['M3 12h3', 'M9 12h3', 'M15 12h5', 'M15 7l5 5-5 5'],
  'dashed-line': ['M3 12h3', 'M9 12h3', 'M15 12h3', 'M21 12h0'],
  frame: ['M3 7h18v13H3z', 'M3 4h7'],
};

function glyph(e: LibraryEntry): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '22');
  svg.setAttribute('aria-hidden', 'true');
  for (const d of e.paths ?? GENERIC_GLYPHS[e.id] ?? ['M4 4h16v16H4z']) {
    const p = document.createElementNS(SVG_NS, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '1.5');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    svg.append(p);
  }
  return svg;
}

/** Adds `e` centred on `c`; returns the new id. */
export function placeEntry(model: BoardModel, e: LibraryEntry, c: Point): string {
  let x = Math.round(c.x - e.w / 2);
  const y = Math.round(c.y - e.h / 2);
  // Beside, not on top of, what is already in the middle of the view (frames aside).
  const others = model.all().filter((s) => s.type !== 'frame');
  const hits = (px: number) => others.some((s) => px < s.x + s.w && px + e.w > s.x && y < s.y + s.h + 1 && y + e.h + 1 > s.y);
  for (let i = 0; i < 12 && hits(x); i++) x += e.w + 24;
  const { type, ...rest } = e.preset;
  let id: string;
  if (type === 'arrow') {
    const points = e.preset.route === 'elbow' ? [x, y, x + e.w, y + e.h] : [x, y + e.h / 2, x + e.w, y + e.h / 2];
    id = model.add({ type, ...rest, x, y, w: e.w, h: e.h, points });
  } else {
    id = model.add({ type, ...rest, x, y, w: e.w, h: e.h, ...(type === 'text' ? { text: 'Text' } : {}) });
  }
  model.undo.stopCapturing();
  return id;
}

export function libraryMenu(model: BoardModel, host: LibraryHost): HTMLElement {
  const list = h('div', { class: 'board-library-list', role: 'list' });
  const search = h('input', { type: 'search', placeholder: 'Search shapes (e.g. database, kafka)', 'aria-label': 'Search shapes', 'data-testid': 'library-search' }) as HTMLInputElement;
  const menu = h('details', { class: 'board-library', 'data-testid': 'board-library' }) as HTMLDetailsElement;
  const fill = () => {
    list.replaceChildren(
      ...searchLibrary(search.value).map((e) => {
        const b = h('button', { type: 'button', role: 'listitem', title: e.label, 'aria-label': `Add ${e.label}`, 'data-testid': `library-${e.id}`, onclick: () => {
          host.placed(placeEntry(model, e, host.viewCentre()));
          menu.open = false;
        } });
        b.append(glyph(e), h('span', {}, e.label));
        return b;
      }),
    );
  };
  search.addEventListener('input', fill);
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') (list.querySelector('button') as HTMLButtonElement | null)?.click();
    if (ev.key === 'Escape') menu.open = false;
    ev.stopPropagation(); // typing here is not a board shortcut
  });
  menu.addEventListener('toggle', () => {
    if (menu.open) {
      search.value = '';
      fill();
      search.focus();
    }
  });
  closeOnOutside(menu);
  menu.append(h('summary', { title: 'Shape library: system-design components, lines and arrows', 'aria-label': 'Shape library', 'data-testid': 'library-open' }, 'Shapes'), h('div', { class: 'board-library-panel' }, search, list));
  return menu;
}
