// The whiteboard's shared state: board.shapes in a room's Y.Doc (docs/board-model.md).
// Every local edit runs in a transaction whose origin is this client's `origin`, and the
// UndoManager tracks only that origin, so undo/redo reverts one's own changes and never
// another participant's. Owned by the room page; used from the UI thread only.

import * as Y from 'yjs';
// lib0 picks node:crypto's webcrypto under Node (18 has no global `crypto`) and the
// browser's `crypto` in the bundle.
import { getRandomValues } from 'lib0/webcrypto';
import { arrowEndpoints, boundsOfPoints, isAttachable, sortByZ } from './geometry';
import { readShapeFrom } from './shape';
import { BOARD_VERSION, type Shape } from './types';

export type ShapeMap = Y.Map<unknown>;

/** Origin of structural set-up (creating board.shapes); never tracked by any UndoManager. */
export const INIT_ORIGIN = { init: true };

export function newId(): string {
  const bytes = new Uint8Array(9);
  getRandomValues(bytes);
  return Array.from(bytes, (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[b & 63]).join('');
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads one shape map into plain data (shape.ts); undefined when it is malformed (skipped, not fatal). */
export function readShape(id: string, m: ShapeMap): Shape | undefined {
  return readShapeFrom(id, (k) => m.get(k));
}

export type ShapePatch = Partial<Omit<Shape, 'id'>>;

export class BoardModel {
  readonly board: Y.Map<unknown>;
  readonly undo: Y.UndoManager;
  /** The transaction origin of this client's edits; the only origin undo tracks. */
  readonly origin: object;

  constructor(readonly doc: Y.Doc, origin: object = { local: true }) {
    this.origin = origin;
    this.board = doc.getMap('board');
    // Scope on the root map (always the live instance) so a `shapes` map created by another
    // client's first write is covered too.
    this.undo = new Y.UndoManager(this.board, { trackedOrigins: new Set([this.origin]), captureTimeout: 400 });
  }

  /** The live shapes map, or undefined before anyone drew anything. */
  get shapes(): Y.Map<ShapeMap> | undefined {
    const m = this.board.get('shapes');
    return m instanceof Y.Map ? (m as Y.Map<ShapeMap>) : undefined;
  }

  /**
   * Creates board.shapes on the first write, in its own transaction with an untracked origin:
   * were it part of the first tracked edit, undoing that edit would delete the whole map,
   * other participants' shapes included. Must not be called inside a transaction.
   */
  private writableShapes(): Y.Map<ShapeMap> {
    let m = this.shapes;
    if (!m) {
      m = new Y.Map<ShapeMap>();
      this.doc.transact(() => {
        this.board.set('shapes', m!);
      }, INIT_ORIGIN);
    }
    const v = this.board.get('version');
    if (typeof v !== 'number' || v < BOARD_VERSION) this.doc.transact(() => this.board.set('version', BOARD_VERSION), INIT_ORIGIN);
    return m;
  }

  /** Creates board.shapes if needed; call before a transaction that adds shapes (see writableShapes). */
  prepare(): void {
    this.writableShapes();
  }

  /** Calls `fn` after every change to the board, local or remote. Returns an unsubscribe function. */
  observe(fn: (local: boolean) => void): () => void {
    const h = (_e: unknown, tr: Y.Transaction) => fn(tr.origin === this.origin);
    this.board.observeDeep(h);
    return () => this.board.unobserveDeep(h);
  }

  transact(fn: () => void): void {
    this.doc.transact(fn, this.origin);
  }

  private map(id: string): ShapeMap | undefined {
    const m = this.shapes?.get(id);
    return m instanceof Y.Map ? m : undefined;
  }

  get(id: string): Shape | undefined {
    const m = this.map(id);
    return m ? readShape(id, m) : undefined;
  }

  all(): Shape[] {
    const out: Shape[] = [];
    this.shapes?.forEach((m, id) => {
      if (m instanceof Y.Map) {
        const s = readShape(id, m);
        if (s) out.push(s);
      }
    });
    return sortByZ(out);
  }

  lookup = (id: string): Shape | undefined => this.get(id);

  /** The stored keys of shape `id` as JSON, unknown keys included (for copies that keep them). */
  raw = (id: string): Record<string, unknown> | undefined => this.map(id)?.toJSON();

  minZ(): number {
    let z = 0;
    this.shapes?.forEach((m) => {
      const v = m instanceof Y.Map ? num(m.get('z')) : undefined;
      if (v !== undefined && v < z) z = v;
    });
    return z;
  }

  maxZ(): number {
    let z = 0;
    this.shapes?.forEach((m) => {
      const v = m instanceof Y.Map ? num(m.get('z')) : undefined;
      if (v !== undefined && v > z) z = v;
    });
    return z;
  }

  /** Adds a shape; `extra` holds keys this client does not know (kept round-trip, written first). */
  add(shape: Omit<Shape, 'id' | 'z'> & { id?: string; z?: number }, extra?: Record<string, unknown>): string {
    const id = shape.id ?? newId();
    const m = new Y.Map<unknown>();
    const shapes = this.writableShapes();
    this.transact(() => {
      const { id: _ignored, ...rest } = shape;
      const data: Record<string, unknown> = { ...extra, ...rest, z: shape.z ?? this.maxZ() + 1 };
      // A copy of a read shape carries its fitted height; store the height it was drawn from.
      if (typeof data.minH === 'number') data.h = data.minH;
      delete data.minH;
      if (data.type === 'arrow' || data.type === 'freehand') Object.assign(data, boundsOfPoints((data.points as number[]) ?? []));
      for (const [k, v] of Object.entries(data)) if (v !== undefined) m.set(k, v);
      shapes.set(id, m);
    });
    return id;
  }

  update(id: string, patch: ShapePatch): void {
    const m = this.map(id);
    if (!m) return;
    this.transact(() => {
      for (const [k, v] of Object.entries(patch)) {
        if (k === 'minH') continue; // derived by readShape, never stored
        if (v === undefined || v === '' || v === false) m.delete(k);
        else if (m.get(k) !== v) m.set(k, v);
      }
    });
  }

  /** Moves shapes by (dx, dy). Attached arrow ends follow by computation; a moved arrow's free ends move with it. */
  move(ids: string[], dx: number, dy: number): void {
    this.transact(() => {
      for (const id of ids) {
        const s = this.get(id);
        const m = this.map(id);
        if (!s || !m) continue;
        m.set('x', s.x + dx);
        m.set('y', s.y + dy);
        if (s.points) m.set('points', s.points.map((v, i) => v + (i % 2 === 0 ? dx : dy)));
      }
    });
  }

  resize(id: string, box: { x: number; y: number; w: number; h: number }): void {
    const s = this.get(id);
    if (!s) return;
    const w = Math.max(4, box.w), h = Math.max(4, box.h);
    if (s.type === 'freehand' && s.points && s.w > 0 && s.h > 0) {
      const sx = w / s.w, sy = h / s.h;
      const points = s.points.map((v, i) => (i % 2 === 0 ? box.x + (v - s.x) * sx : box.y + (v - s.y) * sy));
      this.update(id, { x: box.x, y: box.y, w, h, points });
    } else {
      this.update(id, { x: box.x, y: box.y, w, h });
    }
  }

  /** Deletes shapes; arrows attached to them keep their last drawn position and lose the attachment. */
  remove(ids: string[]): void {
    const shapes = this.shapes;
    if (!shapes) return;
    const gone = new Set(ids);
    this.transact(() => {
      shapes.forEach((m, aid) => {
        if (gone.has(aid) || !(m instanceof Y.Map) || m.get('type') !== 'arrow') return;
        const a = readShape(aid, m);
        if (!a || !((a.from && gone.has(a.from)) || (a.to && gone.has(a.to)))) return;
        const [s, e] = arrowEndpoints(a, this.lookup);
        m.set('points', [s.x, s.y, e.x, e.y]);
        if (a.from && gone.has(a.from)) m.delete('from');
        if (a.to && gone.has(a.to)) m.delete('to');
      });
      for (const id of ids) shapes.delete(id);
    });
  }

  bringToFront(ids: string[]): void {
    let z = this.maxZ();
    this.transact(() => {
      for (const id of ids) this.map(id)?.set('z', ++z);
    });
  }

  /** Sets `from`/`to` of an arrow; a shape id that does not exist or is an arrow is refused. */
  attach(arrowId: string, end: 'from' | 'to', shapeId: string | undefined): boolean {
    if (shapeId && !isAttachable(this.get(shapeId))) return false;
    this.update(arrowId, { [end]: shapeId ?? '' });
    return true;
  }

  destroy(): void {
    this.undo.destroy();
  }
}
