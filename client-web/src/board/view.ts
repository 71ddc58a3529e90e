// The interactive whiteboard: an SVG canvas over BoardModel. Owns the DOM (toolbar,
// properties panel, canvas, text editor, context menu), the selection, the viewport (zoom,
// wheel, follow, the round's phase frames) and rendering; the pointer state machine is
// gestures.ts. Editing commands live beside it: arrange.ts (align, layers, group, lock,
// style), clipboard.ts (copy/paste as JSON), keys.ts (bindings), shortcuts.ts (the `?`
// sheet), laser.ts, context_menu.ts (right-click; the way to unlock).
// Every edit goes through BoardModel with this client's origin, so undo is one's own.
// Owned by the room page; UI thread only. Call destroy() when leaving the page.

import type { Awareness } from 'y-protocols/awareness';
import { h } from '../lib/dom';
import * as arrange from './arrange';
import { ClipboardBinding, parseClip, pasteShapes, serializeClip } from './clipboard';
import { openContextMenu, type ContextItem } from './context_menu';
import { download, pngBlob, svgDocument } from './export_file';
import { Follow, type Viewport } from './follow';
import { Gestures } from './gestures';
import { drawCursors, drawSelection, svgEl } from './overlay';
import { TextEditor } from './text_editor';
import { buildToolbar } from './toolbar';
import { arrowPath, boardBounds } from './geometry';
import { arrowLabelAnchor } from './layout';
import { handleKey, type BoardCommands, type Tool } from './keys';
import { Laser } from './laser';
import { excalidrawButtons } from './excalidraw_menu';
import { libraryMenu } from './library_menu';
import { BoardModel } from './model';
import { LiveLayer } from './live_layer';
import { Scene } from './scene';
import { dragSet, expandGroups, GRID, selectAll, type Box } from './selection';
import { openShortcutSheet } from './shortcuts';
import { applyTemplate, PhaseControls, phaseBox, type FrameTemplate } from './phase_frames';
import { appliesTo, patchFor, StylePanel, styleFor, styleOf } from './style_panel';
import type { Point, Shape, ShapeType } from './types';

export class BoardView implements BoardCommands {
  readonly el: HTMLElement;
  private readonly svg: SVGSVGElement;
  private canvasWrap: HTMLElement;
  private world: SVGGElement;
  private shapesLayer: SVGGElement;
  private readonly overlay: SVGGElement;
  private laserLayer: SVGGElement;
  private cursorsLayer: SVGGElement;
  private toolButtons: Map<Tool, HTMLButtonElement>;
  private readonly follow: Follow;
  private zoomLabel: HTMLSpanElement;
  private snapButton: HTMLButtonElement | null;
  private panel: StylePanel | null = null;
  private tool: Tool = 'select';
  private selection = new Set<string>();
  private vp: Viewport = { x: 0, y: 0, zoom: 1 };
  private gestures: Gestures;
  private editor: TextEditor;
  private sheet: HTMLElement | null = null;
  private closeContext: (() => void) | null = null;
  private renderQueued = false;
  private spaceDown = false;
  private snapOn = false;
  private clipboard: ClipboardBinding;
  private readonly laser: Laser;
  private phases: PhaseControls;
  private currentPhase: string | null = null;
  /** A phase to scroll to once its frames exist (the doc may sync after the timer). */
  private pendingPhase: string | null = null;
  private readonly scene: Scene;
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
        style: (p) => this.withSelection((ids) => arrange.restyle(this.model, ids, (s) => patchFor(p, s.type))),
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

    // Yjs observations only mark shapes dirty; the work is done once per animation frame.
    this.scene = new Scene(model, () => this.queueRender());
    this.live = new LiveLayer(this.shapesLayer);
    const view = this;
    this.gestures = new Gestures({
      model, awareness, svg: this.svg, overlay: this.overlay, scene: this.scene, laser: this.laser, follow: this.follow,
      get readOnly() { return view.readOnly; },
      tool: () => this.tool,
      snapOn: () => this.snapOn,
      spaceDown: () => this.spaceDown,
      viewport: () => this.vp,
      setViewport: (v) => this.setViewport(v),
      visibleBox: () => this.visibleBox(),
      selection: () => this.selection,
      select: (ids) => this.select(ids),
      setTool: (t) => this.setTool(t),
      newStyle: (t) => this.newStyle(t),
      strokeColour: () => this.panel?.style.color,
      openEditor: (id) => this.openEditor(id),
      commitEditor: () => this.editor.commit(),
      queueRender: () => this.queueRender(),
    });
    this.svg.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.svg.addEventListener('contextmenu', (e) => this.onContextMenu(e));
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
      pointer: () => this.gestures.pointer,
      select: (ids) => this.select(ids),
      deleteSelection: () => this.deleteSelection(),
    });

    awareness.on('change', this.onAwareness);
    this.setTool('select');
    this.publishViewport();
    this.queueRender();
    this.follow.refresh();
  }

  destroy(): void {
    this.closeContext?.();
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
    const shapes = [...this.selection].map((id) => this.scene.lookup(id)).filter((s): s is Shape => !!s);
    const drawing = this.tool !== 'select' && this.tool !== 'pan' && this.tool !== 'laser';
    this.panel.el.hidden = !shapes.length && !drawing;
    if (shapes.length) this.panel.show(styleOf(shapes[0]!, this.panel.style), true, appliesTo(shapes.map((s) => s.type)));
    else if (drawing) this.panel.show(this.panel.style, false, appliesTo([this.tool as ShapeType]));
  }

  // ---- pointer events the gestures leave to the view ----

  private onDoubleClick(e: MouseEvent): void {
    if (this.readOnly) return;
    const hit = this.gestures.shapeAt(this.gestures.toBoard(e));
    if (hit && hit.type !== 'freehand') this.openEditor(hit.id);
  }

  /** Right-click: actions for the shape under the pointer; a locked one offers only "Unlock". */
  private onContextMenu(e: MouseEvent): void {
    e.preventDefault();
    this.closeContext?.();
    if (this.readOnly) return;
    const hit = this.gestures.shapeAt(this.gestures.toBoard(e), { withLocked: true });
    if (!hit) return;
    const unit = [...expandGroups([hit.id], this.all())];
    let items: ContextItem[];
    if (hit.locked) {
      items = [{ label: 'Unlock', testid: 'context-unlock', run: () => {
        arrange.toggleLock(this.model, unit.filter((id) => this.model.get(id)?.locked));
        this.select(unit);
      } }];
    } else {
      if (!this.selection.has(hit.id)) this.select(unit);
      items = [
        ...(hit.type !== 'freehand' ? [{ label: hit.type === 'arrow' ? 'Edit label' : 'Edit text', testid: 'context-edit', run: () => this.openEditor(hit.id) }] : []),
        { label: 'Duplicate', testid: 'context-duplicate', run: () => this.duplicate() },
        { label: 'Bring to front', testid: 'context-front', run: () => this.restack('front') },
        { label: 'Send to back', testid: 'context-back', run: () => this.restack('back') },
        { label: 'Lock', testid: 'context-lock', run: () => this.lock() },
        { label: 'Delete', testid: 'context-delete', run: () => this.deleteSelection() },
      ];
    }
    const r = this.canvasWrap.getBoundingClientRect();
    this.closeContext = openContextMenu(this.canvasWrap, { x: e.clientX - r.left, y: e.clientY - r.top }, items, () => {
      this.closeContext = null;
      this.svg.focus({ preventScroll: true });
    });
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      this.zoomBy(Math.exp(-e.deltaY / 300), this.gestures.toBoard(e));
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
    if (!s || this.readOnly || s.locked) return;
    if (s.type === 'arrow') {
      // An arrow's label sits on its path's middle (docs/board-model.md): edit it there.
      const path = arrowPath(s, this.model.lookup);
      const mid = arrowLabelAnchor(path);
      this.editor.edit({ ...s, x: mid.x - 80, y: mid.y - 16, w: 160, h: 32 }, this.vp);
    } else this.editor.edit(s, this.vp);
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
