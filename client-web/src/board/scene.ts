// The canvas's cache of the board's shapes, kept in step with the doc by recording which
// shapes each Yjs transaction touched (observeDeep) and re-reading only those, once per
// animation frame. Re-reading every shape per change cost a 2,000-shape board most of a
// frame. Besides the shapes sorted by z it reports what must be redrawn: the changed
// shapes plus the arrows attached to them (an attached end follows its shape). UI thread.

import * as Y from 'yjs';
import { sortByZ } from './geometry';
import type { BoardModel } from './model';
import type { Shape } from './types';

export class Scene {
  private shapes = new Map<string, Shape>();
  private arrows = new Set<string>();
  private sortedCache: Shape[] | null = [];
  /** Position of each shape in sortedCache, so a changed shape of unchanged z is swapped in place. */
  private sortedIndex = new Map<string, number>();
  private touched = new Set<string>();
  private reloadAll = true;
  /** Ids to redraw since the last takeRedraw(), or 'all'. */
  private redraw: Set<string> | 'all' = 'all';
  private orderChanged = true;
  private readonly onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => this.note(events);

  constructor(private readonly model: BoardModel, private readonly changed: () => void) {
    model.board.observeDeep(this.onDeep);
  }

  destroy(): void {
    this.model.board.unobserveDeep(this.onDeep);
  }

  /** Records what a transaction touched; the work happens in sync(). */
  private note(events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
    for (const e of events) {
      const path = e.path; // relative to the board map
      if (path.length === 0) this.reloadAll = true; // `shapes` itself replaced
      else if (path.length === 1) for (const k of (e as Y.YMapEvent<unknown>).keysChanged) this.touched.add(k);
      else this.touched.add(String(path[1]));
    }
    this.changed();
  }

  /** Applies the recorded changes to the cache. Cheap when nothing changed. */
  sync(): void {
    if (this.reloadAll) {
      this.reloadAll = false;
      this.touched.clear();
      this.shapes.clear();
      this.arrows.clear();
      for (const s of this.model.all()) this.put(s);
      this.sortedCache = null;
      this.redraw = 'all';
      this.orderChanged = true;
      return;
    }
    if (!this.touched.size) return;
    const changed = new Set<string>();
    for (const id of this.touched) {
      const s = this.model.get(id);
      const prev = this.shapes.get(id);
      if (!s) {
        if (prev) {
          this.shapes.delete(id);
          this.arrows.delete(id);
          this.sortedCache = null;
        }
      } else {
        if (!prev || prev.z !== s.z) this.sortedCache = null;
        else if (this.sortedCache) this.sortedCache[this.sortedIndex.get(id)!] = s;
        this.put(s);
      }
      changed.add(id);
    }
    this.touched.clear();
    for (const aid of this.arrows) {
      const a = this.shapes.get(aid)!;
      if ((a.from && changed.has(a.from)) || (a.to && changed.has(a.to))) changed.add(aid);
    }
    if (this.sortedCache === null) this.orderChanged = true;
    if (this.redraw !== 'all') for (const id of changed) this.redraw.add(id);
  }

  private put(s: Shape): void {
    this.shapes.set(s.id, s);
    if (s.type === 'arrow') this.arrows.add(s.id);
  }

  /** Every shape, ascending z (ties by id). Call sync() first for the latest state. */
  get sorted(): Shape[] {
    if (!this.sortedCache) {
      this.sortedCache = sortByZ([...this.shapes.values()]);
      this.sortedIndex = new Map(this.sortedCache.map((s, i) => [s.id, i]));
    }
    return this.sortedCache;
  }

  get size(): number {
    return this.shapes.size;
  }

  lookup = (id: string): Shape | undefined => this.shapes.get(id);

  /** What to redraw since the last call, and whether the stacking order changed. */
  takeRedraw(): { ids: Set<string> | 'all'; orderChanged: boolean } {
    const out = { ids: this.redraw, orderChanged: this.orderChanged };
    this.redraw = new Set();
    this.orderChanged = false;
    return out;
  }
}
