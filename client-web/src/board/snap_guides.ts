// Object snapping while dragging: the moving selection's box lines up its left edge, centre
// or right edge (top, middle or bottom) with those of other shapes when within a tolerance,
// and the matches are returned as guide lines for the overlay. Pure functions over boxes;
// the view collects the targets once when a drag starts. Grid snap (selection.ts `snap`) is
// separate: an axis that snaps to a shape ignores the grid.

import type { Box, Lookup } from './selection';
import { shapeBox } from './selection';
import type { Shape } from './types';

/** Most shapes a drag snaps to (the nearest to the view's centre are kept). */
export const MAX_SNAP_TARGETS = 400; // default
/** Snap distance in screen pixels (divided by the zoom for board units). */
export const SNAP_PX = 6; // default

/** A guide line: vertical (`axis` x, at x = `at`, from y `from` to `to`) or horizontal. */
export interface Guide {
  axis: 'x' | 'y';
  at: number;
  from: number;
  to: number;
}

const xs = (b: Box) => [b.x, b.x + b.w / 2, b.x + b.w];
const ys = (b: Box) => [b.y, b.y + b.h / 2, b.y + b.h];

/** Boxes of the shapes a drag of `moving` may snap to: in `view`, not moving, not arrows. */
export function snapTargets(all: Shape[], moving: Set<string>, lookup: Lookup, view: Box): Box[] {
  const out: Box[] = [];
  for (const s of all) {
    if (moving.has(s.id) || s.type === 'arrow') continue;
    const b = shapeBox(s, lookup);
    if (b.x > view.x + view.w || b.y > view.y + view.h || b.x + b.w < view.x || b.y + b.h < view.y) continue;
    out.push(b);
  }
  if (out.length <= MAX_SNAP_TARGETS) return out;
  const cx = view.x + view.w / 2, cy = view.y + view.h / 2;
  const d = (b: Box) => Math.abs(b.x + b.w / 2 - cx) + Math.abs(b.y + b.h / 2 - cy);
  return out.sort((a, b) => d(a) - d(b)).slice(0, MAX_SNAP_TARGETS);
}

/** The smallest shift (per axis, within `tol`) that lines `box` up with a target, or 0 when none. */
function bestShift(mine: number[], targets: Box[], lines: (b: Box) => number[], tol: number): number | undefined {
  let best: number | undefined;
  for (const t of targets) {
    for (const v of lines(t)) {
      for (const m of mine) {
        const d = v - m;
        if (Math.abs(d) <= tol && (best === undefined || Math.abs(d) < Math.abs(best))) best = d;
      }
    }
  }
  return best;
}

/**
 * Where `box` snaps among `targets`: the shift per axis (undefined when nothing is within
 * `tol`) and the guide lines through every line the shifted box shares with a target.
 */
export function snapBox(box: Box, targets: Box[], tol: number): { dx?: number; dy?: number; guides: Guide[] } {
  const dx = bestShift(xs(box), targets, xs, tol);
  const dy = bestShift(ys(box), targets, ys, tol);
  const b = { x: box.x + (dx ?? 0), y: box.y + (dy ?? 0), w: box.w, h: box.h };
  const guides: Guide[] = [];
  const add = (axis: 'x' | 'y', at: number, t: Box) => {
    const [lo, hi] = axis === 'x' ? [Math.min(b.y, t.y), Math.max(b.y + b.h, t.y + t.h)] : [Math.min(b.x, t.x), Math.max(b.x + b.w, t.x + t.w)];
    const g = guides.find((q) => q.axis === axis && Math.abs(q.at - at) < 0.01);
    if (g) {
      g.from = Math.min(g.from, lo);
      g.to = Math.max(g.to, hi);
    } else guides.push({ axis, at, from: lo, to: hi });
  };
  for (const t of targets) {
    if (dx !== undefined) for (const m of xs(b)) if (xs(t).some((v) => Math.abs(v - m) < 0.01)) add('x', m, t);
    if (dy !== undefined) for (const m of ys(b)) if (ys(t).some((v) => Math.abs(v - m) < 0.01)) add('y', m, t);
  }
  return { dx, dy, guides };
}
