// The interactive whiteboard: an SVG canvas over BoardModel. Owns the DOM (toolbar,
// properties panel, canvas, text editor), the viewport and the pointer state machine:
// select (click, shift+click, marquee on empty canvas), move (with frames carrying their
// contents, groups moving as one, optional grid snap), resize, arrow-end re-attachment,
// drawing tools, laser, pan (pan tool, Space+drag, middle button), zoom, follow. Editing
// commands live beside it: arrange.ts (align, layers, group, lock, style), clipboard.ts
// (copy/paste as JSON), keys.ts (bindings), shortcuts.ts (the `?` sheet), laser.ts.
// Every edit goes through BoardModel with this client's origin, so undo is one's own.
// Owned by the room page; UI thread only. Call destroy() when leaving the page.

import type { Awareness } from 'y-protocols/awareness';
import { h } from '../lib/dom';
import * as arrange from './arrange';
import { ClipboardBinding, parseClip, pasteShapes, serializeClip } from './clipboard';
import { download, pngBlob, svgDocument } from './export_file';
import { Follow, type Viewport } from './follow';
import { drawCursors, drawDropTarget, drawMarquee, drawPreview, drawSelection, svgEl } from './overlay';
import { TextEditor } from './text_editor';
import { buildToolbar } from './toolbar';
import { arrowEndpoints, boardBounds, boundsOfPoints, isAttachable } from './geometry';
import { handleKey, type BoardCommands, type Tool } from './keys';
import { Laser } from './laser';
import { excalidrawButtons } from './excalidraw_menu';
import { libraryMenu } from './library_menu';
import { BoardModel } from './model';
import { LiveLayer } from './live_layer';
import { Scene } from './scene';
import { boxOf, dragSet, expandGroups, GRID, marqueeSelect, pickShape, selectAll, snap, type Box } from './selection';
import { openShortcutSheet } from './shortcuts';
import { applyTemplate, PhaseControls, phaseBox, type FrameTemplate } from './phase_frames';
import { StylePanel, styleFor } from './style_panel';
import { DEFAULT_COLOR, type Point, type Shape, type ShapeType } from './types';

type Drag =
  | { kind: 'move'; start: Point; ids: string[]; anchor: Point; applied: Point }
  | { kind: 'resize'; id: string; start: Point; orig: Shape }
  | { kind: 'pan'; startClient: Point; orig: Viewport }
  | { kind: 'marquee'; start: Point; cur: Point; base: Set<string> }
  | { kind: 'arrowEnd'; id: string; end: 'from' | 'to'; fixed: Point; cur: Point }
  | { kind: 'create'; tool: ShapeType; start: Point; cur: Point; fromId?: string }
  | { kind: 'freehand'; id: string; points: number[] }
  | { kind: 'laser' };

export class BoardView implements BoardCommands {
  readonly el: HTMLElement;
  private svg: SVGSVGElement;
  private canvasWrap: HTMLElement;
  private world: SVGGElement;
  private shapesLayer: SVGGElement;
  private overlay: SVGGElement;
  private laserLayer: SVGGElement;
  private cursorsLayer: SVGGElement;
  private toolButtons: Map<Tool, HTMLButtonElement>;
  private follow: Follow;
  private zoomLabel: HTMLSpanElement;
  private snapButton: HTMLButtonElement | null;
  private panel: StylePanel | null = null;
  private tool: Tool = 'select';
  private selection = new Set<string>();
  private vp: Viewport = { x: 0, y: 0, zoom: 1 };
  private drag: Drag | null = null;
  private editor: TextEditor;
  private sheet: HTMLElement | null = null;
  private renderQueued = false;
  private lastPointerSent = 0;
  private pointer: Point | null = null;
  private spaceDown = false;
  private snapOn = false;
  private clipboard: ClipboardBinding;
  private laser: Laser;
  private phases: PhaseControls;
  private currentPhase: string | null = null;
  /** A phase to scroll to once its frames exist (the doc may sync after the timer). */
  private pendingPhase: string | null = null;
  private scene: Scene;
  private live: LiveLayer;
  private readonly onAwareness = () => {
    drawCursors(this.cursorsLayer, this.awareness, this.vp.zoom);
    this.laser.render(this.laserLayer, this.vp.zoom);
    this.follow.refresh();
    this.follow.apply();
  };
  private readonly onKeyUp = (e: KeyboardEvent) => {
    if (e.key === ' ') this.setSpace(false);
  };

  constructor(
    readonly model: BoardModel,
    private readonly awareness: Awareness,
    private readonly opts: { readOnly?: boolean; fileName?: string } = {},
  ) {
    this.svg = svgEl('svg', { class: 'board-svg', role: 'application', 'aria-label': 'Whiteboard canvas', tabindex: 0, 'data-testid': 'board-canvas' });
    this.world = svgEl('g');
    this.shapesLayer = svgEl('g', { 'data-testid': 'board-shapes' });
    this.overlay = svgEl('g', { class: 'board-overlay' });
    this.laserLayer = svgEl('g', { class: 'board-laser', 'pointer-events': 'none' });
    this.cursorsLayer = svgEl('g', { class: 'board-cursors', 'pointer-events': 'none' });
    this.world.append(this.shapesLayer, this.overlay, this.laserLayer, this.cursorsLayer);
    this.svg.append(this.world);
    this.laser = new Laser(awareness, () => this.laser.render(this.laserLayer, this.vp.zoom));

    const viewOnly = Boolean(opts.readOnly);
    this.phases = new PhaseControls(
      !viewOnly,
      (frames) => {
        this.select(applyTemplate(this.model, frames));
        this.pendingPhase = this.currentPhase;
        this.queueRender();
      },
      (on) => {
        if (on) this.showPhase(this.currentPhase ?? '', true);
      },
    );
    const excalidraw = excalidrawButtons(model, { fileName: opts.fileName, readOnly: viewOnly, onImported: () => this.zoomToFit(), onError: (m) => window.alert(m) });
    const tb = buildToolbar(
      {
        setTool: (t) => this.setTool(t),
        undo: () => this.undo(),
        redo: () => this.redo(),
        duplicate: () => this.duplicate(),
        paste: () => void this.clipboard.pasteFromButton(),
        deleteSelection: () => this.deleteSelection(),
        toggleSnap: () => this.toggleSnap(),
        zoomBy: (f) => this.zoomBy(f),
        zoomToFit: () => this.zoomToFit(),
        follow: (id) => {
          this.follow.set(id);
        },
        exportSvg: () => download(new Blob([svgDocument(this.model)], { type: 'image/svg+xml' }), `${this.opts.fileName ?? 'whiteboard'}.svg`),
        exportPng: () => void pngBlob(this.model).then((b) => download(b, `${this.opts.fileName ?? 'whiteboard'}.png`)),
        openShortcuts: () => this.openShortcuts(),
      },
      viewOnly,
      { exports: excalidraw.exports, imports: excalidraw.imports, round: this.phases.el },
    );
    ({ toolButtons: this.toolButtons, zoomLabel: this.zoomLabel, snapButton: this.snapButton } = tb);
    // The shape library pop-over (library_menu.ts), after the tool buttons.
    if (!viewOnly) {
      const lib = libraryMenu(model, { viewCentre: () => { const r = this.svg.getBoundingClientRect(); return { x: this.vp.x + r.width / 2 / this.vp.zoom, y: this.vp.y + r.height / 2 / this.vp.zoom }; }, placed: (id) => this.select([id]) });
      tb.el.querySelector('.sep')?.before(lib);
    }
    this.follow = new Follow(tb.followSelect, awareness, (vp) => this.setViewport(vp, false));
    if (!viewOnly) {
      this.panel = new StylePanel({
        style: (p) => {
          const patch: Record<string, unknown> = { ...p };
          if ('dash' in p) patch.dash = p.dash || undefined;
          this.withSelection((ids) => arrange.restyle(this.model, ids, patch));
        },
        align: (how) => this.withSelection((ids) => arrange.align(this.model, ids, how)),
        distribute: (axis) => this.withSelection((ids) => arrange.distribute(this.model, ids, axis)),
        restack: (how) => this.restack(how),
        group: () => this.group(),
        ungroup: () => this.ungroup(),
        lock: () => this.lock(),
      });
    }
    this.canvasWrap = h('div', { class: 'board-canvas' });
    this.canvasWrap.append(this.svg);
    if (this.panel) this.canvasWrap.append(this.panel.el);
    this.editor = new TextEditor(model, this.canvasWrap, () => this.svg.focus());
    this.el = h('section', { class: 'board', 'aria-label': 'Whiteboard', 'data-testid': 'board' }, tb.el, this.canvasWrap);

    this.svg.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.svg.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.svg.addEventListener('pointerleave', () => {
      this.pointer = null;
      this.awareness.setLocalStateField('pointer', null);
    });
    this.svg.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.svg.addEventListener('keydown', (e) => this.onKey(e));
    this.svg.addEventListener('keyup', this.onKeyUp);
    this.svg.addEventListener('blur', () => this.setSpace(false));
    // Clipboard events go to the focused element or, for a non-editable one, the body.
    this.clipboard = new ClipboardBinding({
      model,
      readOnly: viewOnly,
      active: () => document.activeElement === this.svg && !this.editor.open,
      selection: () => this.selection,
      pointer: () => this.pointer,
      select: (ids) => this.select(ids),
      deleteSelection: () => this.deleteSelection(),
    });

    // Yjs observations only mark shapes dirty; the work is done once per animation frame.
    this.scene = new Scene(model, () => this.queueRender());
    this.live = new LiveLayer(this.shapesLayer);
    awareness.on('change', this.onAwareness);
    this.setTool('select');
    this.publishViewport();
    this.queueRender();
    this.follow.refresh();
  }

  destroy(): void {
    this.scene.destroy();
    this.awareness.off('change', this.onAwareness);
    this.clipboard.destroy();
    this.el.remove();
  }

  /** Every shape, ascending z, from the per-frame cache (brought up to date first). */
  private all(): Shape[] {
    this.scene.sync();
    return this.scene.sorted;
  }

  get readOnly(): boolean {
    return Boolean(this.opts.readOnly);
  }

  get hasSelection(): boolean {
    return this.selection.size > 0;
  }

  // ---- coordinates and viewport ----

  private toBoard(e: { clientX: number; clientY: number }): Point {
    const r = this.svg.getBoundingClientRect();
    return { x: this.vp.x + (e.clientX - r.left) / this.vp.zoom, y: this.vp.y + (e.clientY - r.top) / this.vp.zoom };
  }

  private setViewport(v: Viewport, publish = true): void {
    this.vp = { x: v.x, y: v.y, zoom: Math.min(4, Math.max(0.2, v.zoom)) };
    this.world.setAttribute('transform', `scale(${this.vp.zoom}) translate(${-this.vp.x} ${-this.vp.y})`);
    this.zoomLabel.textContent = `${Math.round(this.vp.zoom * 100)}%`;
    const g = GRID * this.vp.zoom;
    this.canvasWrap.style.backgroundSize = `${g}px ${g}px`;
    this.canvasWrap.style.backgroundPosition = `${-this.vp.x * this.vp.zoom}px ${-this.vp.y * this.vp.zoom}px`;
    if (publish) this.publishViewport();
    this.queueRender(); // shapes coming into view
  }

  private publishViewport(): void {
    this.awareness.setLocalStateField('viewport', { ...this.vp });
  }

  zoomBy(f: number, around?: Point): void {
    const r = this.svg.getBoundingClientRect();
    const c = around ?? { x: this.vp.x + r.width / 2 / this.vp.zoom, y: this.vp.y + r.height / 2 / this.vp.zoom };
    const z = Math.min(4, Math.max(0.2, this.vp.zoom * f));
    // Keep `c` at the same screen position.
    this.setViewport({ zoom: z, x: c.x - ((c.x - this.vp.x) * this.vp.zoom) / z, y: c.y - ((c.y - this.vp.y) * this.vp.zoom) / z });
    this.follow.stop();
  }

  resetZoom(): void {
    this.setViewport({ x: 0, y: 0, zoom: 1 });
  }

  zoomToFit(): void {
    const shapes = this.all();
    if (!shapes.length) return this.setViewport({ x: 0, y: 0, zoom: 1 });
    this.showBox(boardBounds(shapes, this.scene.lookup), 2);
    this.follow.stop();
  }

  /** Fits `b` into the view (zoom at most `maxZoom`). */
  showBox(b: Box, maxZoom = 1): void {
    const r = this.svg.getBoundingClientRect();
    const z = Math.min(maxZoom, Math.max(0.2, Math.min((r.width - 40) / Math.max(1, b.w), (r.height - 40) / Math.max(1, b.h))));
    this.setViewport({ zoom: z, x: b.x - (r.width / z - b.w) / 2, y: b.y - (r.height / z - b.h) / 2 });
  }

  // ---- round template and phases ----

  /** The frames of the round's phase plan (empty: no template, controls hidden). */
  setPhaseTemplate(frames: FrameTemplate[]): void {
    this.phases.setTemplate(frames);
  }

  /** The timer is in phase `phaseId`: scroll to its frames (if following phases and it changed). */
  showPhase(phaseId: string, force = false): void {
    if (!phaseId || (phaseId === this.currentPhase && !force)) return;
    this.currentPhase = phaseId;
    this.pendingPhase = phaseId;
    this.scrollToPendingPhase();
  }

  private scrollToPendingPhase(): void {
    if (!this.pendingPhase || !this.phases.following) return;
    const box = phaseBox(this.all(), this.pendingPhase);
    if (!box) return;
    this.pendingPhase = null;
    this.follow.stop();
    this.showBox({ x: box.x, y: box.y - 30, w: box.w, h: box.h + 30 });
    this.svg.dataset.phase = this.currentPhase ?? '';
  }

  // ---- commands (BoardCommands; keys.ts and the buttons call these) ----

  setTool(t: Tool): void {
    this.tool = t;
    for (const [k, b] of this.toolButtons) b.setAttribute('aria-pressed', String(k === t));
    this.svg.dataset.tool = t;
    this.refreshPanel();
  }

  undo(): void {
    this.model.undo.undo();
  }

  redo(): void {
    this.model.undo.redo();
  }

  private withSelection(fn: (ids: string[]) => void): void {
    if (this.readOnly || !this.selection.size) return;
    fn([...this.selection]);
    this.queueRender();
  }

  private select(ids: Iterable<string>): void {
    this.selection = new Set(ids);
    this.queueRender();
  }

  selectAll(): void {
    this.select(selectAll(this.all()));
  }

  clearSelection(): void {
    this.select([]);
  }

  deleteSelection(): void {
    this.withSelection((ids) => {
      const gone = ids.filter((id) => !this.model.get(id)?.locked);
      arrange.step(this.model, () => this.model.remove(gone));
      for (const id of gone) this.selection.delete(id);
    });
  }

  duplicate(): void {
    this.withSelection((ids) => {
      const shapes = parseClip(serializeClip(ids, this.model.lookup, this.model.raw)) ?? [];
      this.select(pasteShapes(this.model, shapes, null));
    });
  }

  group(): void {
    this.withSelection((ids) => arrange.group(this.model, ids));
  }

  ungroup(): void {
    this.withSelection((ids) => arrange.ungroup(this.model, ids));
  }

  lock(): void {
    this.withSelection((ids) => arrange.toggleLock(this.model, ids));
  }

  restack(how: arrange.ZMove): void {
    this.withSelection((ids) => arrange.restack(this.model, ids, how));
  }

  toggleSnap(): void {
    this.snapOn = !this.snapOn;
    this.snapButton?.setAttribute('aria-pressed', String(this.snapOn));
    this.canvasWrap.classList.toggle('grid', this.snapOn);
  }

  editSelected(): void {
    if (this.selection.size === 1) this.openEditor([...this.selection][0]!);
  }

  nudge(dx: number, dy: number): void {
    if (this.selection.size && !this.readOnly) {
      const ids = dragSet(this.selection, this.all(), this.scene.lookup);
      arrange.step(this.model, () => this.model.move(ids, dx, dy));
    } else this.setViewport({ ...this.vp, x: this.vp.x + dx * 4, y: this.vp.y + dy * 4 });
  }

  newBox(): void {
    // Keyboard-only drawing: a box in the middle of the view.
    const r = this.svg.getBoundingClientRect();
    const c = { x: this.vp.x + r.width / 2 / this.vp.zoom - 70, y: this.vp.y + r.height / 2 / this.vp.zoom - 40 };
    const type: ShapeType = ['rect', 'ellipse', 'diamond', 'text', 'sticky'].includes(this.tool) ? (this.tool as ShapeType) : 'rect';
    const id = this.model.add({ type, x: c.x, y: c.y, w: 140, h: 80, ...this.newStyle(type) });
    this.model.undo.stopCapturing();
    this.select([id]);
  }

  openShortcuts(): void {
    if (this.sheet) return;
    this.sheet = openShortcutSheet(this.canvasWrap, () => {
      this.sheet = null;
      this.svg.focus();
    });
  }

  private setSpace(on: boolean): void {
    this.spaceDown = on;
    this.svg.classList.toggle('space-pan', on);
  }

  private newStyle(type: ShapeType): Partial<Shape> {
    return this.panel ? styleFor(this.panel.style, type) : {};
  }

  private refreshPanel(): void {
    if (!this.panel) return;
    const first = [...this.selection].map((id) => this.model.get(id)).find((s) => s);
    const drawing = this.tool !== 'select' && this.tool !== 'pan' && this.tool !== 'laser';
    this.panel.el.hidden = !first && !drawing;
    if (first) this.panel.show({ color: first.color ?? this.panel.style.color, fill: first.fill ?? '', strokeWidth: first.strokeWidth ?? 2, dash: first.dash ?? '' }, true);
    else this.panel.show(this.panel.style, false);
  }

  // ---- pointer handling ----

  private shapeAt(p: Point, except?: string): Shape | undefined {
    const all = except ? this.all().filter((s) => s.id !== except) : this.all();
    return pickShape(p, all, this.scene.lookup, 6 / this.vp.zoom);
  }

  private snapPoint(p: Point): Point {
    return { x: snap(p.x, this.snapOn), y: snap(p.y, this.snapOn) };
  }

  private onPointerDown(e: PointerEvent): void {
    this.editor.commit();
    this.model.undo.stopCapturing(); // a drag is its own undo step
    this.svg.focus({ preventScroll: true });
    this.svg.setPointerCapture(e.pointerId);
    const p = this.toBoard(e);
    // Middle button or Space+drag pans with any tool.
    const tool = e.button === 1 || this.spaceDown ? 'pan' : this.tool;
    if (tool === 'pan' || (this.readOnly && tool !== 'select' && tool !== 'laser')) {
      this.drag = { kind: 'pan', startClient: { x: e.clientX, y: e.clientY }, orig: { ...this.vp } };
      this.follow.stop();
      return;
    }
    if (tool === 'laser') {
      this.drag = { kind: 'laser' };
      this.laser.add(p);
      return;
    }
    if (tool === 'select') return this.selectDown(e, p);
    if (tool === 'freehand') {
      const id = this.model.add({ type: 'freehand', x: p.x, y: p.y, w: 0, h: 0, points: [p.x, p.y], ...this.newStyle('freehand') });
      this.drag = { kind: 'freehand', id, points: [p.x, p.y] };
      return;
    }
    const from = tool === 'arrow' ? this.shapeAt(p) : undefined;
    const start = tool === 'arrow' ? p : this.snapPoint(p);
    this.drag = { kind: 'create', tool: tool as ShapeType, start, cur: start, fromId: isAttachable(from) && from.type !== 'frame' ? from.id : undefined };
  }

  private selectDown(e: PointerEvent, p: Point): void {
    const target = e.target as Element;
    const handle = target.closest?.('[data-handle]');
    if (handle && !this.readOnly) {
      const id = handle.getAttribute('data-handle')!;
      const s = this.model.get(id);
      if (s && !s.locked) this.drag = { kind: 'resize', id, start: p, orig: s };
      return;
    }
    const end = target.closest?.('[data-arrow-end]');
    if (end && !this.readOnly) {
      const id = end.getAttribute('data-id')!;
      const a = this.model.get(id);
      if (a && !a.locked) {
        const [s, t] = arrowEndpoints(a, this.model.lookup);
        const which = end.getAttribute('data-arrow-end') as 'from' | 'to';
        this.drag = { kind: 'arrowEnd', id, end: which, fixed: which === 'from' ? t : s, cur: p };
      }
      return;
    }
    const all = this.all();
    const hit = this.shapeAt(p);
    if (hit) {
      const unit = expandGroups([hit.id], all);
      if (e.shiftKey) {
        const on = !this.selection.has(hit.id);
        for (const id of unit) on ? this.selection.add(id) : this.selection.delete(id);
      } else if (!this.selection.has(hit.id)) {
        this.selection = unit;
      }
      if (!this.readOnly && this.selection.has(hit.id)) {
        this.drag = { kind: 'move', start: p, ids: dragSet(this.selection, all, this.scene.lookup), anchor: { x: hit.x, y: hit.y }, applied: { x: 0, y: 0 } };
      }
    } else {
      if (!e.shiftKey) this.selection.clear();
      this.drag = { kind: 'marquee', start: p, cur: p, base: new Set(this.selection) };
    }
    this.queueRender();
  }

  private onPointerMove(e: PointerEvent): void {
    const p = this.toBoard(e);
    this.pointer = p;
    const now = performance.now();
    if (now - this.lastPointerSent > 40) {
      this.lastPointerSent = now;
      this.awareness.setLocalStateField('pointer', { x: Math.round(p.x), y: Math.round(p.y) });
    }
    const d = this.drag;
    if (!d) return;
    switch (d.kind) {
      case 'pan':
        this.setViewport({ ...d.orig, x: d.orig.x - (e.clientX - d.startClient.x) / this.vp.zoom, y: d.orig.y - (e.clientY - d.startClient.y) / this.vp.zoom });
        break;
      case 'move': {
        // Snap the grabbed shape's corner; everything else keeps its offset to it.
        const want = { x: snap(d.anchor.x + p.x - d.start.x, this.snapOn) - d.anchor.x, y: snap(d.anchor.y + p.y - d.start.y, this.snapOn) - d.anchor.y };
        const dx = want.x - d.applied.x, dy = want.y - d.applied.y;
        if (dx || dy) this.model.move(d.ids, dx, dy);
        d.applied = want;
        break;
      }
      case 'resize': {
        const o = d.orig;
        const br = this.snapPoint({ x: o.x + o.w + (p.x - d.start.x), y: o.y + o.h + (p.y - d.start.y) });
        this.model.resize(d.id, { x: o.x, y: o.y, w: br.x - o.x, h: br.y - o.y });
        break;
      }
      case 'marquee':
        d.cur = p;
        drawMarquee(this.overlay, d.start, d.cur, this.vp.zoom);
        break;
      case 'arrowEnd': {
        d.cur = p;
        const pts = d.end === 'from' ? [p.x, p.y, d.fixed.x, d.fixed.y] : [d.fixed.x, d.fixed.y, p.x, p.y];
        this.model.update(d.id, { points: pts, [d.end]: undefined, ...boundsOfPoints(pts) });
        drawDropTarget(this.overlay, this.shapeAt(p, d.id), this.vp.zoom);
        break;
      }
      case 'create':
        d.cur = d.tool === 'arrow' ? p : this.snapPoint(p);
        drawPreview(this.overlay, d.tool === 'arrow', d.start, d.cur, this.panel?.style.color ?? DEFAULT_COLOR);
        break;
      case 'freehand':
        d.points.push(Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10);
        this.flushFreehandSoon(d);
        break;
      case 'laser':
        this.laser.add(p);
        break;
    }
  }

  private freehandTimer: number | undefined;

  /** Writes a stroke's points at most every 50 ms: one update per pointer event would trip the server's rate limit. */
  private flushFreehandSoon(d: Extract<Drag, { kind: 'freehand' }>, now = false): void {
    const flush = () => {
      this.freehandTimer = undefined;
      this.model.update(d.id, { points: d.points.slice(), ...boundsOfPoints(d.points) });
    };
    if (now) {
      window.clearTimeout(this.freehandTimer);
      flush();
    } else if (this.freehandTimer === undefined) {
      this.freehandTimer = window.setTimeout(flush, 50);
    }
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    if (d?.kind === 'freehand') this.flushFreehandSoon(d, true);
    this.drag = null;
    drawPreview(this.overlay, false, null, { x: 0, y: 0 }, '');
    drawMarquee(this.overlay, null, { x: 0, y: 0 }, 1);
    drawDropTarget(this.overlay, undefined, 1);
    if (!d) return;
    this.model.undo.stopCapturing();
    const p = this.toBoard(e);
    if (d.kind === 'marquee') {
      const box = boxOf(d.start, p);
      if (box.w > 2 || box.h > 2) this.select([...d.base, ...marqueeSelect(box, this.all(), this.scene.lookup)]);
      return;
    }
    if (d.kind === 'arrowEnd') {
      const target = this.shapeAt(p, d.id);
      const a = this.model.get(d.id);
      const other = a?.[d.end === 'from' ? 'to' : 'from'];
      if (isAttachable(target) && target.type !== 'frame' && target.id !== other) this.model.attach(d.id, d.end, target.id);
      this.model.undo.stopCapturing();
      this.queueRender();
      return;
    }
    if (d.kind !== 'create') return;
    const clicked = Math.abs(p.x - d.start.x) < 4 && Math.abs(p.y - d.start.y) < 4;
    let id: string;
    if (d.tool === 'arrow') {
      if (clicked) return;
      const target = this.shapeAt(p);
      const to = isAttachable(target) && target.type !== 'frame' && target.id !== d.fromId ? target.id : undefined;
      id = this.model.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [d.start.x, d.start.y, p.x, p.y], from: d.fromId, to, ...this.newStyle('arrow') });
    } else {
      const dflt = d.tool === 'sticky' ? { w: 160, h: 120 } : d.tool === 'text' ? { w: 160, h: 32 } : d.tool === 'frame' ? { w: 480, h: 320 } : { w: 140, h: 80 };
      const box = clicked ? { x: d.start.x, y: d.start.y, ...dflt } : boxOf(d.start, d.cur);
      if (d.tool === 'frame') {
        const n = this.all().filter((s) => s.type === 'frame').length + 1;
        id = this.model.add({ type: 'frame', ...box, text: `Frame ${n}`, z: this.model.minZ() - 1 });
      } else id = this.model.add({ type: d.tool, ...box, ...this.newStyle(d.tool) });
    }
    this.model.undo.stopCapturing();
    this.selection = new Set([id]);
    this.setTool('select');
    this.queueRender();
    if (d.tool === 'text' || d.tool === 'sticky' || d.tool === 'frame') this.openEditor(id);
  }

  private onDoubleClick(e: MouseEvent): void {
    if (this.readOnly) return;
    const hit = this.shapeAt(this.toBoard(e));
    if (hit && hit.type !== 'freehand' && !hit.locked) this.openEditor(hit.id);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      this.zoomBy(Math.exp(-e.deltaY / 300), this.toBoard(e));
    } else {
      this.setViewport({ ...this.vp, x: this.vp.x + e.deltaX / this.vp.zoom, y: this.vp.y + e.deltaY / this.vp.zoom });
      this.follow.stop();
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (this.editor.open || this.sheet) return;
    if (e.key === ' ') {
      e.preventDefault();
      this.setSpace(true);
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'v') this.clipboard.expectPaste();
    handleKey(this, e);
  }

  private openEditor(id: string): void {
    const s = this.model.get(id);
    if (s && !this.readOnly && !s.locked) this.editor.edit(s, this.vp);
  }

  // ---- rendering ----

  /** The board area on screen plus half a screen each side (drawn ahead for short pans). */
  private visibleBox(): Box {
    const w = (this.svg.clientWidth || 1280) / this.vp.zoom, h = (this.svg.clientHeight || 800) / this.vp.zoom;
    return { x: this.vp.x - w / 2, y: this.vp.y - h / 2, w: 2 * w, h: 2 * h };
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    this.scene.sync();
    const { ids, orderChanged } = this.scene.takeRedraw();
    this.live.draw(this.scene.sorted, this.scene.lookup, this.visibleBox(), ids, orderChanged);
    this.svg.dataset.shapeCount = String(this.scene.size);
    this.svg.dataset.drawn = String(this.live.drawn);
    for (const id of this.selection) if (!this.scene.lookup(id)) this.selection.delete(id);
    this.svg.dataset.selected = String(this.selection.size);
    drawSelection(this.overlay, this.selection, this.scene.lookup, this.vp.zoom, !this.readOnly);
    this.refreshPanel();
    if (this.pendingPhase) this.scrollToPendingPhase();
  }
}
