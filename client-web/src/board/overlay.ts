// What the canvas draws over the shapes and never stores: selection boxes with their
// handles (resize corner, arrow ends), the marquee, the drop target of an arrow end, the
// preview of a shape being drawn, and the others' named cursors. Pure DOM builders; the
// caller owns the layers. Sizes are divided by the zoom so they look the same at any zoom.

import type { Awareness } from 'y-protocols/awareness';
import { arrowEndpoints, boundsOfPoints, isAttachable } from './geometry';
import { boxOf, type Lookup } from './selection';
import type { Guide } from './snap_guides';
import type { Point, Shape } from './types';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** Replaces the `.sel` elements of `layer` with the selection's boxes and handles. */
export function drawSelection(layer: SVGGElement, selection: Set<string>, lookup: Lookup, zoom: number, editable: boolean): void {
  layer.querySelectorAll('.sel').forEach((n) => n.remove());
  const single = selection.size === 1;
  const pad = 4 / zoom;
  const dashed = (b: { x: number; y: number; w: number; h: number }, stroke: string, locked: boolean) =>
    svgEl('rect', { class: 'sel', 'data-locked': String(locked), x: b.x - pad, y: b.y - pad, width: b.w + 2 * pad, height: b.h + 2 * pad, fill: 'none', stroke, 'stroke-dasharray': '4 3', 'stroke-width': 1.5 / zoom });
  for (const id of selection) {
    const s = lookup(id);
    if (!s) continue;
    const stroke = s.locked ? '#9ca3af' : '#2563eb';
    const handles = single && editable && !s.locked;
    if (s.type === 'arrow') {
      const [a, b] = arrowEndpoints(s, lookup);
      layer.append(dashed(boundsOfPoints([a.x, a.y, b.x, b.y]), stroke, !!s.locked));
      if (handles) {
        for (const [end, pt] of [['from', a], ['to', b]] as const) {
          layer.append(svgEl('circle', { class: 'sel arrow-end', 'data-arrow-end': end, 'data-id': id, 'data-testid': `arrow-end-${end}`, cx: pt.x, cy: pt.y, r: 6 / zoom, fill: '#fff', stroke: '#2563eb', 'stroke-width': 2 / zoom }));
        }
      }
      continue;
    }
    const bb = s.type === 'freehand' && s.points?.length ? boundsOfPoints(s.points) : s;
    layer.append(dashed(bb, stroke, !!s.locked));
    if (handles) {
      const hs = 10 / zoom;
      layer.append(svgEl('rect', { class: 'sel handle', 'data-handle': id, x: s.x + s.w - hs / 2, y: s.y + s.h - hs / 2, width: hs, height: hs, fill: '#fff', stroke: '#2563eb', 'stroke-width': 1.5 / zoom }));
    }
    if (s.locked) {
      const t = svgEl('text', { class: 'sel', x: bb.x + bb.w, y: bb.y - 6 / zoom, 'font-size': 11 / zoom, 'font-family': 'system-ui, sans-serif', fill: '#6b7280', 'text-anchor': 'end' });
      t.textContent = 'locked';
      layer.append(t);
    }
  }
}

/** Draws (or with `from` null, removes) one overlay element of class `cls`. */
function replace(layer: SVGGElement, cls: string, el: SVGElement | null): void {
  layer.querySelector(`.${cls}`)?.remove();
  if (el) layer.append(el);
}

export function drawMarquee(layer: SVGGElement, a: Point | null, b: Point, zoom: number): void {
  if (!a) return replace(layer, 'marquee', null);
  const r = boxOf(a, b);
  replace(layer, 'marquee', svgEl('rect', { class: 'marquee', 'data-testid': 'board-marquee', x: r.x, y: r.y, width: r.w, height: r.h, fill: '#2563eb14', stroke: '#2563eb', 'stroke-width': 1 / zoom }));
}

/** Highlights the shape an arrow end would attach to if dropped now. */
export function drawDropTarget(layer: SVGGElement, s: Shape | undefined, zoom: number): void {
  if (!isAttachable(s) || s.type === 'frame') return replace(layer, 'drop-target', null);
  const pad = 6 / zoom;
  replace(layer, 'drop-target', svgEl('rect', { class: 'drop-target', 'data-testid': 'drop-target', x: s.x - pad, y: s.y - pad, width: s.w + 2 * pad, height: s.h + 2 * pad, rx: 6 / zoom, fill: 'none', stroke: '#16a34a', 'stroke-width': 3 / zoom }));
}

/** Marks the locked shape under the pointer (with `s` undefined, removes the mark): a locked shape cannot be selected, so this is how one learns why. */
export function drawLockHint(layer: SVGGElement, s: Shape | undefined, lookup: Lookup, zoom: number): void {
  if (!s) return replace(layer, 'lock-hint', null);
  const b = s.type === 'arrow' ? boundsOfPoints(arrowEndpoints(s, lookup).flatMap((p) => [p.x, p.y])) : s.type === 'freehand' && s.points?.length ? boundsOfPoints(s.points) : s;
  const pad = 4 / zoom;
  const g = svgEl('g', { class: 'lock-hint', 'data-testid': 'lock-hint', 'data-id': s.id, 'pointer-events': 'none' });
  g.append(svgEl('rect', { x: b.x - pad, y: b.y - pad, width: b.w + 2 * pad, height: b.h + 2 * pad, fill: 'none', stroke: '#9ca3af', 'stroke-dasharray': `${3 / zoom} ${3 / zoom}`, 'stroke-width': 1 / zoom }));
  const t = svgEl('text', { x: b.x + b.w + pad, y: b.y - 6 / zoom, 'font-size': 11 / zoom, 'font-family': 'system-ui, sans-serif', fill: '#6b7280', 'text-anchor': 'end' });
  t.textContent = 'locked - right-click to unlock';
  g.append(t);
  replace(layer, 'lock-hint', g);
}

/** The snap guides of a drag (snap_guides.ts); an empty list removes them. */
export function drawGuides(layer: SVGGElement, guides: Guide[], zoom: number): void {
  layer.querySelectorAll('.snap-guide').forEach((n) => n.remove());
  for (const g of guides) {
    const [x1, y1, x2, y2] = g.axis === 'x' ? [g.at, g.from, g.at, g.to] : [g.from, g.at, g.to, g.at];
    layer.append(svgEl('line', { class: 'snap-guide', 'data-testid': 'snap-guide', 'data-axis': g.axis, x1, y1, x2, y2, stroke: '#ec4899', 'stroke-width': 1 / zoom, 'stroke-dasharray': `${4 / zoom} ${3 / zoom}`, 'pointer-events': 'none' }));
  }
}

export function drawPreview(layer: SVGGElement, arrow: boolean, a: Point | null, b: Point, color: string): void {
  if (!a) return replace(layer, 'preview', null);
  const g = svgEl('g', { class: 'preview', opacity: 0.6 });
  if (arrow) g.append(svgEl('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: color, 'stroke-width': 2 }));
  else {
    const r = boxOf(a, b);
    g.append(svgEl('rect', { x: r.x, y: r.y, width: r.w, height: r.h, fill: 'none', stroke: color, 'stroke-dasharray': '6 4', 'stroke-width': 2 }));
  }
  replace(layer, 'preview', g);
}

/** The other participants' pointers (awareness `pointer`) with their names. */
export function drawCursors(layer: SVGGElement, awareness: Awareness, zoom: number): void {
  const parts: SVGElement[] = [];
  awareness.getStates().forEach((st, id) => {
    if (id === awareness.clientID) return;
    const s = st as { user?: { name?: string; color?: string }; pointer?: Point | null };
    if (!s.pointer || !s.user) return;
    const color = s.user.color ?? '#555';
    const g = svgEl('g', { transform: `translate(${s.pointer.x} ${s.pointer.y}) scale(${1 / zoom})`, 'data-testid': 'remote-cursor' });
    g.append(svgEl('path', { d: 'M0,0 L0,16 L4.5,12 L8,19 L10.5,18 L7,11 L13,11 Z', fill: color, stroke: '#fff', 'stroke-width': 1 }));
    const label = svgEl('text', { x: 14, y: 24, 'font-size': 12, 'font-family': 'system-ui, sans-serif', fill: color });
    label.textContent = s.user.name ?? '';
    g.append(label);
    parts.push(g);
  });
  layer.replaceChildren(...parts);
}
