// The board from its JSON form (the `board` root map's toJSON(), as the server stores and
// renders it): read every shape, sort by z, lay each out. Used by the shared-fixture tests
// and by import/export; the live canvas reads through BoardModel instead.

import { sortByZ } from './geometry';
import { layoutShape, type ShapeLayout } from './layout';
import { readShapeJson } from './shape';
import type { Shape } from './types';

/** The drawable shapes of a board JSON, sorted by z (then id). Never throws. */
export function shapesFromJson(board: unknown): Shape[] {
  if (!board || typeof board !== 'object') return [];
  const shapes = (board as Record<string, unknown>).shapes;
  if (!shapes || typeof shapes !== 'object' || Array.isArray(shapes)) return [];
  const out: Shape[] = [];
  for (const [id, j] of Object.entries(shapes as Record<string, unknown>)) {
    const s = readShapeJson(id, j);
    if (s) out.push(s);
  }
  return sortByZ(out);
}

/** The layout of every drawable shape of a board JSON, in drawing order. */
export function layoutBoardJson(board: unknown): ShapeLayout[] {
  const shapes = shapesFromJson(board);
  const byId = new Map(shapes.map((s) => [s.id, s]));
  const lookup = (id: string) => byId.get(id);
  return shapes.map((s) => layoutShape(s, lookup));
}
