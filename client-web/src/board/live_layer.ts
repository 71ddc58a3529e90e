// The shapes layer of the live canvas: one <g data-shape-id> per shape that intersects the
// visible area (plus a margin, so a short pan needs no new nodes), keyed by id. A frame
// rebuilds only the shapes that changed or came into view, parsed in one batch from
// render.ts markup (so the canvas draws exactly what the exports draw), and reorders the
// nodes only when the stacking order or the visible set changed. UI thread only.

import { arrowEndpoints, boundsOfPoints } from './geometry';
import { renderShape } from './render';
import type { Box, Lookup } from './selection';
import type { Shape } from './types';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The area a shape may paint, with room for strokes, arrowheads and a frame's name. */
function paintBox(s: Shape, lookup: Lookup): Box {
  let b: Box;
  if (s.type === 'arrow') {
    const [a, e] = arrowEndpoints(s, lookup);
    b = boundsOfPoints([a.x, a.y, e.x, e.y]);
  } else if (s.type === 'text' && s.w <= 8) {
    b = { x: s.x, y: s.y, w: 4000, h: s.h }; // auto-width text: as wide as its longest line
  } else b = s;
  const pad = 16 + (s.strokeWidth ?? 2);
  const top = s.type === 'frame' ? 24 : 0;
  return { x: b.x - pad, y: b.y - pad - top, w: b.w + 2 * pad, h: b.h + 2 * pad + top };
}

function intersects(a: Box, b: Box): boolean {
  return a.x <= b.x + b.w && b.x <= a.x + a.w && a.y <= b.y + b.h && b.y <= a.y + a.h;
}

export class LiveLayer {
  private nodes = new Map<string, Element>();
  private order: string[] = [];
  private scratch = document.createElementNS(SVG_NS, 'g');

  constructor(private readonly layer: SVGGElement) {}

  /** Number of shapes currently in the DOM. */
  get drawn(): number {
    return this.nodes.size;
  }

  draw(sorted: Shape[], lookup: Lookup, view: Box, redraw: Set<string> | 'all', orderChanged: boolean): void {
    const want: string[] = [];
    const build: Shape[] = [];
    for (const s of sorted) {
      if (!intersects(paintBox(s, lookup), view)) continue;
      want.push(s.id);
      if (redraw === 'all' || !this.nodes.has(s.id) || redraw.has(s.id)) build.push(s);
    }
    // Parse every new or changed shape in one go.
    if (build.length) {
      this.scratch.innerHTML = build.map((s) => renderShape(s, lookup)).join('');
      const fresh = [...this.scratch.children];
      build.forEach((s, i) => {
        const old = this.nodes.get(s.id);
        const el = fresh[i]!;
        if (old?.parentNode === this.layer) old.replaceWith(el);
        this.nodes.set(s.id, el);
      });
      this.scratch.replaceChildren();
    }
    const wanted = new Set(want);
    for (const [id, el] of this.nodes) {
      if (!wanted.has(id)) {
        el.remove();
        this.nodes.delete(id);
      }
    }
    const same = !orderChanged && want.length === this.order.length && want.every((id, i) => id === this.order[i]) && this.layer.childElementCount === want.length;
    if (!same) {
      this.layer.replaceChildren(...want.map((id) => this.nodes.get(id)!));
      this.order = want;
    }
  }
}
