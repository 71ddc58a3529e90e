// The canvas's pointer state machine, split out of view.ts: what a press, a move and a
// release mean with the current tool - select (click, shift+click, marquee on empty canvas;
// locked shapes are passed over), move (frames carrying their contents, groups as one,
// snapping to the grid and to other shapes' edges and centres with guide lines; Alt turns
// the shape snap off), resize (the corner snaps likewise), arrow-end re-attachment,
// drawing, freehand, laser, pan (pan tool, Space+drag, middle button). It owns only the
// gesture in progress; the view (GestureHost) owns the selection, viewport and DOM.
// UI thread only.

import type { Awareness } from 'y-protocols/awareness';
import { arrowEndpoints, boundsOfPoints, isAttachable } from './geometry';
import type { Tool } from './keys';
import type { Laser } from './laser';
import type { BoardModel } from './model';
import { drawDropTarget, drawGuides, drawLockHint, drawMarquee, drawPreview } from './overlay';
import type { Follow, Viewport } from './follow';
import type { Scene } from './scene';
import { boxOf, dragSet, expandGroups, marqueeSelect, pickShape, snap, unionBox, shapeBox, type Box } from './selection';
import { snapBox, snapTargets, SNAP_PX } from './snap_guides';
import { DEFAULT_COLOR, type Point, type Shape, type ShapeType } from './types';

type Drag =
  | { kind: 'move'; start: Point; ids: string[]; anchor: Point; applied: Point; box: Box; targets: Box[] }
  | { kind: 'resize'; id: string; start: Point; orig: Shape; targets: Box[] }
  | { kind: 'pan'; startClient: Point; orig: Viewport }
  | { kind: 'marquee'; start: Point; cur: Point; base: Set<string> }
  | { kind: 'arrowEnd'; id: string; end: 'from' | 'to'; fixed: Point; cur: Point }
  | { kind: 'create'; tool: ShapeType; start: Point; cur: Point; fromId?: string }
  | { kind: 'freehand'; id: string; points: number[] }
  | { kind: 'laser' };

/** What a gesture needs from the board view. */
export interface GestureHost {
  readonly model: BoardModel;
  readonly readOnly: boolean;
  readonly svg: SVGSVGElement;
  readonly overlay: SVGGElement;
  readonly scene: Scene;
  readonly laser: Laser;
  readonly follow: Follow;
  readonly awareness: Awareness;
  tool(): Tool;
  snapOn(): boolean;
  spaceDown(): boolean;
  viewport(): Viewport;
  setViewport(v: Viewport): void;
  /** The board area drawn now (snap targets come from it). */
  visibleBox(): Box;
  /** The live selection (mutated in place by shift+click). */
  selection(): Set<string>;
  select(ids: Iterable<string>): void;
  setTool(t: Tool): void;
  /** The style a new shape of `type` gets from the properties panel. */
  newStyle(type: ShapeType): Partial<Shape>;
  strokeColour(): string | undefined;
  openEditor(id: string): void;
  commitEditor(): void;
  queueRender(): void;
}

export class Gestures {
  private drag: Drag | null = null;
  private lastPointerSent = 0;
  private freehandTimer: number | undefined;
  /** The pointer over the canvas (board units), or null when it is elsewhere. */
  pointer: Point | null = null;

  constructor(private readonly host: GestureHost) {
    const svg = host.svg;
    svg.addEventListener('pointerdown', (e) => this.onDown(e));
    svg.addEventListener('pointermove', (e) => this.onMove(e));
    svg.addEventListener('pointerup', (e) => this.onUp(e));
    svg.addEventListener('pointerleave', () => {
      this.pointer = null;
      host.awareness.setLocalStateField('pointer', null);
    });
  }

  toBoard(e: { clientX: number; clientY: number }): Point {
    const r = this.host.svg.getBoundingClientRect();
    const vp = this.host.viewport();
    return { x: vp.x + (e.clientX - r.left) / vp.zoom, y: vp.y + (e.clientY - r.top) / vp.zoom };
  }

  /** The topmost shape under `p` (locked ones only when `withLocked`), `except` left out. */
  shapeAt(p: Point, opts: { except?: string; withLocked?: boolean } = {}): Shape | undefined {
    let all = this.all();
    if (opts.except || !opts.withLocked) all = all.filter((s) => s.id !== opts.except && (opts.withLocked || !s.locked));
    return pickShape(p, all, this.host.scene.lookup, 6 / this.host.viewport().zoom);
  }

  private all(): Shape[] {
    this.host.scene.sync();
    return this.host.scene.sorted;
  }

  private snapPoint(p: Point): Point {
    const on = this.host.snapOn();
    return { x: snap(p.x, on), y: snap(p.y, on) };
  }

  private onDown(e: PointerEvent): void {
    const host = this.host;
    this.hinted = undefined;
    drawLockHint(host.overlay, undefined, host.scene.lookup, 1);
    host.commitEditor();
    host.model.undo.stopCapturing(); // a drag is its own undo step
    host.svg.focus({ preventScroll: true });
    if (e.button === 2) return; // the context menu (view.ts)
    host.svg.setPointerCapture(e.pointerId);
    this.host.scene.sync();
    const p = this.toBoard(e);
    // Middle button or Space+drag pans with any tool.
    const tool = e.button === 1 || host.spaceDown() ? 'pan' : host.tool();
    if (tool === 'pan' || (host.readOnly && tool !== 'select' && tool !== 'laser')) {
      this.drag = { kind: 'pan', startClient: { x: e.clientX, y: e.clientY }, orig: { ...host.viewport() } };
      host.follow.stop();
      return;
    }
    if (tool === 'laser') {
      this.drag = { kind: 'laser' };
      host.laser.add(p);
      return;
    }
    if (tool === 'select') return this.selectDown(e, p);
    if (tool === 'freehand') {
      const id = host.model.add({ type: 'freehand', x: p.x, y: p.y, w: 0, h: 0, points: [p.x, p.y], ...host.newStyle('freehand') });
      this.drag = { kind: 'freehand', id, points: [p.x, p.y] };
      return;
    }
    // Arrows may start (and end) at a locked shape: attaching does not change it.
    const from = tool === 'arrow' ? this.shapeAt(p, { withLocked: true }) : undefined;
    const start = tool === 'arrow' ? p : this.snapPoint(p);
    this.drag = { kind: 'create', tool: tool as ShapeType, start, cur: start, fromId: isAttachable(from) && from.type !== 'frame' ? from.id : undefined };
  }

  private selectDown(e: PointerEvent, p: Point): void {
    const host = this.host;
    const target = e.target as Element;
    const handle = target.closest?.('[data-handle]');
    if (handle && !host.readOnly) {
      const id = handle.getAttribute('data-handle')!;
      const s = host.model.get(id);
      if (s && !s.locked) this.drag = { kind: 'resize', id, start: p, orig: s, targets: snapTargets(this.all(), new Set([id]), host.scene.lookup, host.visibleBox()) };
      return;
    }
    const end = target.closest?.('[data-arrow-end]');
    if (end && !host.readOnly) {
      const id = end.getAttribute('data-id')!;
      const a = host.model.get(id);
      if (a && !a.locked) {
        const [s, t] = arrowEndpoints(a, host.model.lookup);
        const which = end.getAttribute('data-arrow-end') as 'from' | 'to';
        this.drag = { kind: 'arrowEnd', id, end: which, fixed: which === 'from' ? t : s, cur: p };
      }
      return;
    }
    const all = this.all();
    const hit = this.shapeAt(p); // locked shapes are not picked (unlock from the context menu)
    const sel = host.selection();
    if (hit) {
      const unit = expandGroups([hit.id], all);
      if (e.shiftKey) {
        const on = !sel.has(hit.id);
        for (const id of unit) on ? sel.add(id) : sel.delete(id);
      } else if (!sel.has(hit.id)) {
        host.select(unit);
      }
      if (!host.readOnly && host.selection().has(hit.id)) {
        const ids = dragSet(host.selection(), all, host.scene.lookup);
        const moving = new Set(ids);
        const box = unionBox(ids.map((id) => host.scene.lookup(id)).filter((s): s is Shape => !!s).map((s) => shapeBox(s, host.scene.lookup))) ?? { x: hit.x, y: hit.y, w: 0, h: 0 };
        this.drag = { kind: 'move', start: p, ids, anchor: { x: hit.x, y: hit.y }, applied: { x: 0, y: 0 }, box, targets: snapTargets(all, moving, host.scene.lookup, host.visibleBox()) };
      }
    } else {
      if (!e.shiftKey) sel.clear();
      this.drag = { kind: 'marquee', start: p, cur: p, base: new Set(sel) };
    }
    host.queueRender();
  }

  private onMove(e: PointerEvent): void {
    const host = this.host;
    const p = this.toBoard(e);
    this.pointer = p;
    const now = performance.now();
    if (now - this.lastPointerSent > 40) {
      this.lastPointerSent = now;
      host.awareness.setLocalStateField('pointer', { x: Math.round(p.x), y: Math.round(p.y) });
    }
    const d = this.drag;
    if (!d) return this.hover(p);
    const zoom = host.viewport().zoom;
    switch (d.kind) {
      case 'pan':
        host.setViewport({ ...d.orig, x: d.orig.x - (e.clientX - d.startClient.x) / zoom, y: d.orig.y - (e.clientY - d.startClient.y) / zoom });
        break;
      case 'move':
        this.moveTo(d, p, e.altKey, zoom);
        break;
      case 'resize': {
        // The dragged corner snaps to the grid, then to other shapes' edges and centres.
        const o = d.orig;
        const br = this.snapPoint({ x: o.x + o.w + (p.x - d.start.x), y: o.y + o.h + (p.y - d.start.y) });
        let guides: ReturnType<typeof snapBox>['guides'] = [];
        if (!e.altKey && d.targets.length) {
          const sn = snapBox({ x: br.x, y: br.y, w: 0, h: 0 }, d.targets, SNAP_PX / zoom);
          br.x += sn.dx ?? 0;
          br.y += sn.dy ?? 0;
          guides = sn.guides;
        }
        drawGuides(host.overlay, guides, zoom);
        host.model.resize(d.id, { x: o.x, y: o.y, w: br.x - o.x, h: br.y - o.y });
        break;
      }
      case 'marquee':
        d.cur = p;
        drawMarquee(host.overlay, d.start, d.cur, zoom);
        break;
      case 'arrowEnd': {
        d.cur = p;
        const pts = d.end === 'from' ? [p.x, p.y, d.fixed.x, d.fixed.y] : [d.fixed.x, d.fixed.y, p.x, p.y];
        host.model.update(d.id, { points: pts, [d.end]: undefined, ...boundsOfPoints(pts) });
        drawDropTarget(host.overlay, this.shapeAt(p, { except: d.id, withLocked: true }), zoom);
        break;
      }
      case 'create':
        d.cur = d.tool === 'arrow' ? p : this.snapPoint(p);
        drawPreview(host.overlay, d.tool === 'arrow', d.start, d.cur, host.strokeColour() ?? DEFAULT_COLOR);
        break;
      case 'freehand':
        d.points.push(Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10);
        this.flushFreehandSoon(d);
        break;
      case 'laser':
        host.laser.add(p);
        break;
    }
  }

  private hinted: string | undefined;

  /** With the select tool, marks a locked shape under the pointer (only boards that have one pay for the hit test). */
  private hover(p: Point): void {
    const host = this.host;
    let hit: Shape | undefined;
    if (host.tool() === 'select' && !host.readOnly && host.scene.sorted.some((s) => s.locked)) {
      const top = this.shapeAt(p, { withLocked: true });
      if (top?.locked) hit = top;
    }
    if (hit?.id === this.hinted) return;
    this.hinted = hit?.id;
    drawLockHint(host.overlay, hit, host.scene.lookup, host.viewport().zoom);
  }

  /**
   * Moves the drag set so the grabbed shape follows the pointer: the grid snaps the grabbed
   * shape's corner (when on), then each axis that comes within SNAP_PX of another shape's
   * edge or centre snaps to it instead, with a guide drawn.
   */
  private moveTo(d: Extract<Drag, { kind: 'move' }>, p: Point, noShapeSnap: boolean, zoom: number): void {
    const on = this.host.snapOn();
    const want = { x: snap(d.anchor.x + p.x - d.start.x, on) - d.anchor.x, y: snap(d.anchor.y + p.y - d.start.y, on) - d.anchor.y };
    let guides: ReturnType<typeof snapBox>['guides'] = [];
    if (!noShapeSnap && d.targets.length) {
      const raw = { x: p.x - d.start.x, y: p.y - d.start.y };
      const s = snapBox({ ...d.box, x: d.box.x + raw.x, y: d.box.y + raw.y }, d.targets, SNAP_PX / zoom);
      if (s.dx !== undefined) want.x = raw.x + s.dx;
      if (s.dy !== undefined) want.y = raw.y + s.dy;
      guides = s.guides;
    }
    drawGuides(this.host.overlay, guides, zoom);
    const dx = want.x - d.applied.x, dy = want.y - d.applied.y;
    if (dx || dy) this.host.model.move(d.ids, dx, dy);
    d.applied = want;
  }

  /** Writes a stroke's points at most every 50 ms: one update per pointer event would trip the server's rate limit. */
  private flushFreehandSoon(d: Extract<Drag, { kind: 'freehand' }>, now = false): void {
    const flush = () => {
      this.freehandTimer = undefined;
      this.host.model.update(d.id, { points: d.points.slice(), ...boundsOfPoints(d.points) });
    };
    if (now) {
      window.clearTimeout(this.freehandTimer);
      flush();
    } else if (this.freehandTimer === undefined) {
      this.freehandTimer = window.setTimeout(flush, 50);
    }
  }

  private onUp(e: PointerEvent): void {
    const host = this.host;
    const d = this.drag;
    if (d?.kind === 'freehand') this.flushFreehandSoon(d, true);
    this.drag = null;
    drawPreview(host.overlay, false, null, { x: 0, y: 0 }, '');
    drawMarquee(host.overlay, null, { x: 0, y: 0 }, 1);
    drawDropTarget(host.overlay, undefined, 1);
    drawGuides(host.overlay, [], 1);
    if (!d) return;
    host.model.undo.stopCapturing();
    const p = this.toBoard(e);
    if (d.kind === 'marquee') {
      const box = boxOf(d.start, p);
      if (box.w > 2 || box.h > 2) host.select([...d.base, ...marqueeSelect(box, this.all(), host.scene.lookup)]);
      return;
    }
    if (d.kind === 'arrowEnd') {
      const target = this.shapeAt(p, { except: d.id, withLocked: true });
      const a = host.model.get(d.id);
      const other = a?.[d.end === 'from' ? 'to' : 'from'];
      if (isAttachable(target) && target.type !== 'frame' && target.id !== other) host.model.attach(d.id, d.end, target.id);
      host.model.undo.stopCapturing();
      host.queueRender();
      return;
    }
    if (d.kind !== 'create') return;
    const clicked = Math.abs(p.x - d.start.x) < 4 && Math.abs(p.y - d.start.y) < 4;
    let id: string;
    if (d.tool === 'arrow') {
      if (clicked) return;
      const target = this.shapeAt(p, { withLocked: true });
      const to = isAttachable(target) && target.type !== 'frame' && target.id !== d.fromId ? target.id : undefined;
      id = host.model.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [d.start.x, d.start.y, p.x, p.y], from: d.fromId, to, ...host.newStyle('arrow') });
    } else {
      const dflt = d.tool === 'sticky' ? { w: 160, h: 120 } : d.tool === 'text' ? { w: 160, h: 32 } : d.tool === 'frame' ? { w: 480, h: 320 } : { w: 140, h: 80 };
      const box = clicked ? { x: d.start.x, y: d.start.y, ...dflt } : boxOf(d.start, d.cur);
      if (d.tool === 'frame') {
        const n = this.all().filter((s) => s.type === 'frame').length + 1;
        id = host.model.add({ type: 'frame', ...box, text: `Frame ${n}`, z: host.model.minZ() - 1 });
      } else id = host.model.add({ type: d.tool, ...box, ...host.newStyle(d.tool) });
    }
    host.model.undo.stopCapturing();
    host.select([id]);
    host.setTool('select');
    if (d.tool === 'text' || d.tool === 'sticky' || d.tool === 'frame') host.openEditor(id);
  }
}
