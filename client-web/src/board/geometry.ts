// Pure geometry for the whiteboard: arrow endpoints attached to shapes, hit tests and
// bounding boxes. Shared by the live canvas, the SVG export and the unit tests; it follows
// the rules in docs/board-model.md so the server's renderer draws the same picture.

import type { Point, Shape } from './types';

export function center(s: Shape): Point {
  return { x: s.x + s.w / 2, y: s.y + s.h / 2 };
}

/**
 * Where the ray from the centre of `s` towards `toward` leaves the shape's bounding box.
 * Returns the centre when `toward` lies inside the box (the shapes overlap).
 */
export function boxExit(s: Shape, toward: Point): Point {
  const c = center(s);
  const dx = toward.x - c.x;
  const dy = toward.y - c.y;
  const hw = s.w / 2;
  const hh = s.h / 2;
  if (dx === 0 && dy === 0) return c;
  // Scale factor to reach the box edge along (dx, dy).
  const tx = dx !== 0 ? hw / Math.abs(dx) : Infinity;
  const ty = dy !== 0 ? hh / Math.abs(dy) : Infinity;
  const t = Math.min(tx, ty);
  if (t >= 1) return c; // target inside the box
  return { x: c.x + dx * t, y: c.y + dy * t };
}

export function isAttachable(s: Shape | undefined): s is Shape {
  return !!s && s.type !== 'arrow';
}

/** The arrow's drawn endpoints: attached ends follow their shapes, free ends use `points`. */
export function arrowEndpoints(a: Shape, lookup: (id: string) => Shape | undefined): [Point, Point] {
  const p = a.points ?? [];
  let s: Point = { x: p[0] ?? a.x, y: p[1] ?? a.y };
  let e: Point = { x: p[2] ?? a.x + a.w, y: p[3] ?? a.y + a.h };
  const from = a.from ? lookup(a.from) : undefined;
  const to = a.to ? lookup(a.to) : undefined;
  const fromShape = isAttachable(from) ? from : undefined;
  const toShape = isAttachable(to) ? to : undefined;
  const startRef = fromShape ? center(fromShape) : s;
  const endRef = toShape ? center(toShape) : e;
  if (fromShape) s = boxExit(fromShape, endRef);
  if (toShape) e = boxExit(toShape, startRef);
  return [s, e];
}

/** The midpoint of the side of `b` that faces `toward`: left/right when `horizontal`, else top/bottom. */
function sideMid(b: Shape, toward: Point, horizontal: boolean): Point {
  const c = center(b);
  if (horizontal) return { x: toward.x >= c.x ? b.x + b.w : b.x, y: c.y };
  return { x: c.x, y: toward.y >= c.y ? b.y + b.h : b.y };
}

/**
 * The arrow's drawn polyline: [start, end] for a straight arrow; for an elbow arrow four
 * points S, bend, bend, E with a horizontal-vertical-horizontal path when the ends are
 * further apart in x than in y (else vertical-horizontal-vertical), attached ends at the
 * middle of the facing side.
 */
export function arrowPath(a: Shape, lookup: (id: string) => Shape | undefined): Point[] {
  const [s0, e0] = arrowEndpoints(a, lookup);
  if (a.route !== 'elbow') return [s0, e0];
  const p = a.points ?? [];
  let s: Point = { x: p[0] ?? a.x, y: p[1] ?? a.y };
  let e: Point = { x: p[2] ?? a.x + a.w, y: p[3] ?? a.y + a.h };
  const from = a.from ? lookup(a.from) : undefined;
  const to = a.to ? lookup(a.to) : undefined;
  const fromShape = isAttachable(from) ? from : undefined;
  const toShape = isAttachable(to) ? to : undefined;
  const startRef = fromShape ? center(fromShape) : s;
  const endRef = toShape ? center(toShape) : e;
  const horizontal = Math.abs(endRef.x - startRef.x) >= Math.abs(endRef.y - startRef.y);
  if (fromShape) s = sideMid(fromShape, endRef, horizontal);
  if (toShape) e = sideMid(toShape, startRef, horizontal);
  if (horizontal) {
    const mx = (s.x + e.x) / 2;
    return [s, { x: mx, y: s.y }, { x: mx, y: e.y }, e];
  }
  const my = (s.y + e.y) / 2;
  return [s, { x: s.x, y: my }, { x: e.x, y: my }, e];
}

export function pointInBox(p: Point, s: Pick<Shape, 'x' | 'y' | 'w' | 'h'>, pad = 0): boolean {
  return p.x >= s.x - pad && p.x <= s.x + s.w + pad && p.y >= s.y - pad && p.y <= s.y + s.h + pad;
}

export function distToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The topmost shape under `p` (shapes sorted ascending by z), or undefined. */
export function hitTest(p: Point, sorted: Shape[], lookup: (id: string) => Shape | undefined, tolerance = 6): Shape | undefined {
  for (let i = sorted.length - 1; i >= 0; i--) {
    const s = sorted[i]!;
    if (s.type === 'arrow') {
      const path = arrowPath(s, lookup);
      for (let j = 0; j + 1 < path.length; j++) if (distToSegment(p, path[j]!, path[j + 1]!) <= tolerance) return s;
    } else if (s.type === 'freehand') {
      const pts = s.points ?? [];
      for (let j = 0; j + 3 < pts.length; j += 2) {
        if (distToSegment(p, { x: pts[j]!, y: pts[j + 1]! }, { x: pts[j + 2]!, y: pts[j + 3]! }) <= tolerance) return s;
      }
    } else if (pointInBox(p, s)) {
      return s;
    }
  }
  return undefined;
}

export function boundsOfPoints(pts: number[]): { x: number; y: number; w: number; h: number } {
  if (pts.length < 2) return { x: 0, y: 0, w: 0, h: 0 };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < pts.length; i += 2) {
    minX = Math.min(minX, pts[i]!);
    maxX = Math.max(maxX, pts[i]!);
    minY = Math.min(minY, pts[i + 1]!);
    maxY = Math.max(maxY, pts[i + 1]!);
  }
  return { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

/** Bounding box of everything drawn (for export and "zoom to fit"). */
export function boardBounds(shapes: Shape[], lookup: (id: string) => Shape | undefined): { x: number; y: number; w: number; h: number } {
  const pts: number[] = [];
  for (const s of shapes) {
    if (s.type === 'arrow') {
      for (const q of arrowPath(s, lookup)) pts.push(q.x, q.y);
    } else if (s.type === 'freehand' && s.points?.length) {
      pts.push(...s.points);
    } else {
      pts.push(s.x, s.y, s.x + s.w, s.y + s.h);
    }
  }
  return boundsOfPoints(pts);
}

export function sortByZ(shapes: Shape[]): Shape[] {
  return shapes.slice().sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
