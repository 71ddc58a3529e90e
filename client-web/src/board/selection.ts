// Which shapes a click, a marquee or Ctrl+A selects, and what a selection drags along.
// Pure functions over plain shapes (docs/board-model.md): groups are selected as one,
// frames are picked by their outline or name (clicking inside a frame reaches what is in
// it, or starts a marquee), and moving a frame moves the shapes lying inside it.

import { arrowEndpoints, boundsOfPoints, distToSegment, hitTest, pointInBox } from './geometry';
import type { Point, Shape } from './types';

export type Lookup = (id: string) => Shape | undefined;
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The box a shape occupies on screen (arrows: their drawn endpoints). */
export function shapeBox(s: Shape, lookup: Lookup): Box {
  if (s.type === 'arrow') {
    const [a, b] = arrowEndpoints(s, lookup);
    return boundsOfPoints([a.x, a.y, b.x, b.y]);
  }
  if (s.type === 'freehand' && s.points?.length) return boundsOfPoints(s.points);
  return { x: s.x, y: s.y, w: s.w, h: s.h };
}

export function boxOf(a: Point, b: Point): Box {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

export function boxInside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;
}

export function unionBox(boxes: Box[]): Box | undefined {
  if (!boxes.length) return undefined;
  const pts: number[] = [];
  for (const b of boxes) pts.push(b.x, b.y, b.x + b.w, b.y + b.h);
  return boundsOfPoints(pts);
}

/** Height above a frame's top edge where its name is drawn (and clickable). */
export const FRAME_LABEL_H = 22;

function frameHit(p: Point, f: Shape, tol: number): boolean {
  if (p.x >= f.x && p.x <= f.x + Math.max(f.w, 80) && p.y >= f.y - FRAME_LABEL_H && p.y <= f.y) return true;
  const c = [
    { x: f.x, y: f.y },
    { x: f.x + f.w, y: f.y },
    { x: f.x + f.w, y: f.y + f.h },
    { x: f.x, y: f.y + f.h },
  ];
  for (let i = 0; i < 4; i++) if (distToSegment(p, c[i]!, c[(i + 1) % 4]!) <= tol) return true;
  return false;
}

/** The topmost shape under `p`: any non-frame shape first, then a frame by its outline or name. */
export function pickShape(p: Point, sorted: Shape[], lookup: Lookup, tol: number): Shape | undefined {
  const hit = hitTest(p, sorted.filter((s) => s.type !== 'frame'), lookup, tol);
  if (hit) return hit;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i]!;
    if (s.type === 'frame' && frameHit(p, s, tol)) return s;
  }
  return undefined;
}

/** Adds every member of the groups of `ids` (a group is selected as one). */
export function expandGroups(ids: Iterable<string>, all: Shape[]): Set<string> {
  const out = new Set(ids);
  const groups = new Set<string>();
  for (const s of all) if (out.has(s.id) && s.groupId) groups.add(s.groupId);
  if (groups.size) for (const s of all) if (s.groupId && groups.has(s.groupId)) out.add(s.id);
  return out;
}

/** Shapes lying wholly inside the marquee, groups completed; locked shapes are not picked up. */
export function marqueeSelect(box: Box, all: Shape[], lookup: Lookup): Set<string> {
  const ids = all.filter((s) => !s.locked && boxInside(shapeBox(s, lookup), box)).map((s) => s.id);
  return expandGroups(ids, all);
}

/** Every shape that is not locked (Ctrl+A). */
export function selectAll(all: Shape[]): Set<string> {
  return new Set(all.filter((s) => !s.locked).map((s) => s.id));
}

/**
 * What dragging `ids` moves: the unlocked selected shapes plus, for each selected frame, the
 * unlocked shapes lying inside it when the drag starts (frame membership is geometric).
 */
export function dragSet(ids: Iterable<string>, all: Shape[], lookup: Lookup): string[] {
  const byId = new Map(all.map((s) => [s.id, s]));
  const out = new Set<string>();
  for (const id of ids) {
    const s = byId.get(id);
    if (!s || s.locked) continue;
    out.add(id);
    if (s.type === 'frame') for (const c of frameContents(s, all, lookup)) out.add(c.id);
  }
  return [...out];
}

/** Unlocked, non-frame shapes wholly inside frame `f`. */
export function frameContents(f: Shape, all: Shape[], lookup: Lookup): Shape[] {
  return all.filter((s) => s.id !== f.id && s.type !== 'frame' && !s.locked && boxInside(shapeBox(s, lookup), f));
}

export const GRID = 20;

export function snap(v: number, on: boolean, grid = GRID): number {
  return on ? Math.round(v / grid) * grid : v;
}

/** Whether `p` lies on a selected shape (for starting a move on an already selected group). */
export function onSelection(p: Point, sel: Set<string>, lookup: Lookup): boolean {
  for (const id of sel) {
    const s = lookup(id);
    if (s && s.type !== 'arrow' && s.type !== 'frame' && pointInBox(p, s)) return true;
  }
  return false;
}
