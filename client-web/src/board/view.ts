// The interactive whiteboard: an SVG canvas over BoardModel. Tools (select, rect, ellipse,
// diamond, arrow, text, sticky, freehand, pan), move/resize/delete, text editing, zoom/pan,
// undo/redo of one's own edits, live cursors of the others (awareness `pointer`), following
// another participant's viewport (awareness `viewport`), export to SVG and PNG.
// Owned by the room page; UI thread only. Call destroy() when leaving the page.

import type { Awareness } from 'y-protocols/awareness';
import { h } from '../lib/dom';
import { boardBounds, boundsOfPoints, hitTest, isAttachable } from './geometry';
import { BoardModel } from './model';
import { exportSvg, renderShapes } from './render';
import type { Point, Shape, ShapeType } from './types';

type Tool = 'select' | 'pan' | Exclude<ShapeType, never>;

interface Viewport {
  x: number; // board coordinate at the left edge
  y: number;
  zoom: number;
}

const TOOLS: { tool: Tool; label: string; key: string; icon: string }[] = [
  { tool: 'select', label: 'Select and move', key: 'v', icon: '↖' },
  { tool: 'pan', label: 'Pan', key: 'h', icon: '⇕' },
  { tool: 'rect', label: 'Box', key: 'r', icon: '▭' },
  { tool: 'ellipse', label: 'Ellipse', key: 'o', icon: '◯' },
  { tool: 'diamond', label: 'Diamond', key: 'd', icon: '◇' },
  { tool: 'arrow', label: 'Arrow (drag from one shape to another)', key: 'a', icon: '→' },
  { tool: 'text', label: 'Text', key: 't', icon: 'T' },
  { tool: 'sticky', label: 'Sticky note', key: 's', icon: '▤' },
  { tool: 'freehand', label: 'Freehand', key: 'p', icon: '✎' },
];

const COLORS = ['#1f2937', '#dc2626', '#2563eb', '#16a34a', '#9333ea', '#ea580c'];
const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

type Drag =
  | { kind: 'move'; start: Point; ids: string[]; last: Point }
  | { kind: 'resize'; id: string; start: Point; orig: Shape }
  | { kind: 'pan'; startClient: Point; orig: Viewport }
  | { kind: 'create'; tool: ShapeType; start: Point; cur: Point; fromId?: string }
  | { kind: 'freehand'; id: string; points: number[] };

export class BoardView {
  readonly el: HTMLElement;
  private svg: SVGSVGElement;
  private world: SVGGElement;
  private shapesLayer: SVGGElement;
  private overlay: SVGGElement;
  private cursorsLayer: SVGGElement;
  private toolButtons = new Map<Tool, HTMLButtonElement>();
  private followSelect: HTMLSelectElement;
  private zoomLabel: HTMLSpanElement;
  private tool: Tool = 'select';
  private color = COLORS[0]!;
  private selection = new Set<string>();
  private vp: Viewport = { x: 0, y: 0, zoom: 1 };
  private drag: Drag | null = null;
  private following: number | null = null;
  private editor: HTMLTextAreaElement | null = null;
  private renderQueued = false;
  private lastPointerSent = 0;
  private unobserve: () => void;
  private readonly onAwareness = () => {
    this.renderCursors();
    this.refreshFollowList();
    this.applyFollow();
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
    this.cursorsLayer = svgEl('g', { class: 'board-cursors', 'pointer-events': 'none' });
    this.world.append(this.shapesLayer, this.overlay, this.cursorsLayer);
    this.svg.append(this.world);

    const toolbar = h('div', { class: 'board-toolbar', role: 'toolbar', 'aria-label': 'Whiteboard tools' });
    // A read-only board (observers; a candidate whose shared doc is not editable) shows no
    // editing control at all: only select, pan, zoom, follow and export.
    const viewOnly = Boolean(opts.readOnly);
    for (const t of TOOLS) {
      if (viewOnly && t.tool !== 'select' && t.tool !== 'pan') continue;
      const b = h(
        'button',
        {
          type: 'button',
          class: 'tool',
          title: `${t.label} (${t.key.toUpperCase()})`,
          'aria-label': t.label,
          'aria-pressed': 'false',
          'data-testid': `tool-${t.tool}`,
          onclick: () => this.setTool(t.tool),
        },
        t.icon,
      );
      this.toolButtons.set(t.tool, b);
      toolbar.append(b);
    }
    const colorSel = h(
      'select',
      { 'aria-label': 'Colour', 'data-testid': 'board-color', onchange: (e: Event) => this.setColor((e.target as HTMLSelectElement).value) },
      COLORS.map((c) => h('option', { value: c, style: `color:${c}` }, c)),
    );
    this.zoomLabel = h('span', { class: 'zoom-label', 'aria-live': 'polite' }, '100%');
    this.followSelect = h('select', {
      'aria-label': 'Follow a participant',
      'data-testid': 'board-follow',
      onchange: (e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        this.following = v ? Number(v) : null;
        this.applyFollow();
      },
    });
    toolbar.append(
      h('span', { class: 'sep' }),
      ...(viewOnly
        ? [h('span', { class: 'view-only muted', 'data-testid': 'board-view-only' }, 'View only')]
        : [
            colorSel,
            h('button', { type: 'button', 'aria-label': 'Undo my last change', title: 'Undo (Ctrl+Z)', 'data-testid': 'board-undo', onclick: () => this.model.undo.undo() }, '↶'),
            h('button', { type: 'button', 'aria-label': 'Redo', title: 'Redo (Ctrl+Shift+Z)', 'data-testid': 'board-redo', onclick: () => this.model.undo.redo() }, '↷'),
            h('button', { type: 'button', 'aria-label': 'Delete selection', title: 'Delete (Del)', 'data-testid': 'board-delete', onclick: () => this.deleteSelection() }, '✕'),
          ]),
      h('span', { class: 'sep' }),
      h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => this.zoomBy(1 / 1.2) }, '−'),
      this.zoomLabel,
      h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => this.zoomBy(1.2) }, '+'),
      h('button', { type: 'button', 'aria-label': 'Zoom to fit', onclick: () => this.zoomToFit() }, 'Fit'),
      h('span', { class: 'sep' }),
      this.followSelect,
      h('span', { class: 'sep' }),
      h('button', { type: 'button', 'aria-label': 'Export SVG', 'data-testid': 'export-svg', onclick: () => this.downloadSvg() }, 'SVG'),
      h('button', { type: 'button', 'aria-label': 'Export PNG', 'data-testid': 'export-png', onclick: () => void this.downloadPng() }, 'PNG'),
    );
    const canvasWrap = h('div', { class: 'board-canvas' });
    canvasWrap.append(this.svg);
    this.el = h('section', { class: 'board', 'aria-label': 'Whiteboard', 'data-testid': 'board' }, toolbar, canvasWrap);

    this.svg.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    this.svg.addEventListener('pointermove', (e) => this.onPointerMove(e));
    this.svg.addEventListener('pointerup', (e) => this.onPointerUp(e));
    this.svg.addEventListener('pointerleave', () => this.awareness.setLocalStateField('pointer', null));
    this.svg.addEventListener('dblclick', (e) => this.onDoubleClick(e));
    this.svg.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    this.svg.addEventListener('keydown', (e) => this.onKey(e));

    this.unobserve = model.observe(() => this.queueRender());
    awareness.on('change', this.onAwareness);
    this.setTool('select');
    this.publishViewport();
    this.queueRender();
    this.refreshFollowList();
  }

  destroy(): void {
    this.unobserve();
    this.awareness.off('change', this.onAwareness);
    this.el.remove();
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
    if (publish) this.publishViewport();
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
    this.stopFollowing();
  }

  zoomToFit(): void {
    const shapes = this.model.all();
    if (!shapes.length) return this.setViewport({ x: 0, y: 0, zoom: 1 });
    const b = boardBounds(shapes, this.model.lookup);
    const r = this.svg.getBoundingClientRect();
    const z = Math.min(2, Math.max(0.2, Math.min((r.width - 40) / Math.max(1, b.w), (r.height - 40) / Math.max(1, b.h))));
    this.setViewport({ zoom: z, x: b.x - (r.width / z - b.w) / 2, y: b.y - (r.height / z - b.h) / 2 });
    this.stopFollowing();
  }

  private stopFollowing(): void {
    if (this.following !== null) {
      this.following = null;
      this.followSelect.value = '';
    }
  }

  private applyFollow(): void {
    if (this.following === null) return;
    const st = this.awareness.getStates().get(this.following) as { viewport?: Viewport } | undefined;
    if (!st) return this.stopFollowing();
    if (st.viewport) this.setViewport(st.viewport, false);
  }

  private refreshFollowList(): void {
    const opts: [string, string][] = [['', 'Follow…']];
    this.awareness.getStates().forEach((st, id) => {
      if (id === this.awareness.clientID) return;
      const u = (st as { user?: { name?: string } }).user;
      if (u?.name) opts.push([String(id), `Follow ${u.name}`]);
    });
    const sig = opts.map((o) => o.join('=')).join('|');
    if (this.followSelect.dataset.sig === sig) return;
    this.followSelect.dataset.sig = sig;
    const cur = this.followSelect.value;
    this.followSelect.replaceChildren(...opts.map(([v, l]) => h('option', { value: v }, l)));
    this.followSelect.value = opts.some(([v]) => v === cur) ? cur : '';
  }

  // ---- tools ----

  setTool(t: Tool): void {
    this.tool = t;
    for (const [k, b] of this.toolButtons) b.setAttribute('aria-pressed', String(k === t));
    this.svg.dataset.tool = t;
  }

  private setColor(c: string): void {
    this.color = c;
    if (this.selection.size) this.model.transact(() => this.selection.forEach((id) => this.model.update(id, { color: c })));
  }

  private deleteSelection(): void {
    if (!this.selection.size || this.opts.readOnly) return;
    this.model.remove([...this.selection]);
    this.selection.clear();
    this.queueRender();
  }

  // ---- pointer handling ----

  private shapeAt(p: Point): Shape | undefined {
    return hitTest(p, this.model.all(), this.model.lookup, 6 / this.vp.zoom);
  }

  private onPointerDown(e: PointerEvent): void {
    if (this.editor) this.commitEditor();
    this.svg.focus({ preventScroll: true });
    this.svg.setPointerCapture(e.pointerId);
    const p = this.toBoard(e);
    const tool = e.button === 1 ? 'pan' : this.tool; // middle button pans with any tool
    if (tool === 'pan' || (this.opts.readOnly && tool !== 'select')) {
      this.drag = { kind: 'pan', startClient: { x: e.clientX, y: e.clientY }, orig: { ...this.vp } };
      this.stopFollowing();
      return;
    }
    if (tool === 'select') {
      const handle = (e.target as Element).closest?.('[data-handle]');
      if (handle && !this.opts.readOnly) {
        const id = handle.getAttribute('data-handle')!;
        const s = this.model.get(id);
        if (s) this.drag = { kind: 'resize', id, start: p, orig: s };
        return;
      }
      const hit = this.shapeAt(p);
      if (hit) {
        if (e.shiftKey) {
          if (this.selection.has(hit.id)) this.selection.delete(hit.id);
          else this.selection.add(hit.id);
        } else if (!this.selection.has(hit.id)) {
          this.selection = new Set([hit.id]);
        }
        if (!this.opts.readOnly) this.drag = { kind: 'move', start: p, ids: [...this.selection], last: p };
      } else {
        this.selection.clear();
        this.drag = { kind: 'pan', startClient: { x: e.clientX, y: e.clientY }, orig: { ...this.vp } };
      }
      this.queueRender();
      return;
    }
    if (tool === 'freehand') {
      const id = this.model.add({ type: 'freehand', x: p.x, y: p.y, w: 0, h: 0, color: this.color, points: [p.x, p.y] });
      this.drag = { kind: 'freehand', id, points: [p.x, p.y] };
      return;
    }
    const from = tool === 'arrow' ? this.shapeAt(p) : undefined;
    this.drag = { kind: 'create', tool: tool as ShapeType, start: p, cur: p, fromId: isAttachable(from) ? from.id : undefined };
  }

  private onPointerMove(e: PointerEvent): void {
    const p = this.toBoard(e);
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
        const dx = p.x - d.last.x, dy = p.y - d.last.y;
        if (dx || dy) this.model.move(d.ids, dx, dy);
        d.last = p;
        break;
      }
      case 'resize': {
        const o = d.orig;
        this.model.resize(d.id, { x: o.x, y: o.y, w: o.w + (p.x - d.start.x), h: o.h + (p.y - d.start.y) });
        break;
      }
      case 'create':
        d.cur = p;
        this.renderPreview(d);
        break;
      case 'freehand':
        d.points.push(Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10);
        this.flushFreehandSoon(d);
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
    this.overlay.querySelector('.preview')?.remove();
    if (!d) return;
    this.model.undo.stopCapturing();
    if (d.kind !== 'create') return;
    const p = this.toBoard(e);
    const clicked = Math.abs(p.x - d.start.x) < 4 && Math.abs(p.y - d.start.y) < 4;
    let id: string;
    if (d.tool === 'arrow') {
      if (clicked) return;
      const target = this.shapeAt(p);
      const to = isAttachable(target) && target.id !== d.fromId ? target.id : undefined;
      id = this.model.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, color: this.color, points: [d.start.x, d.start.y, p.x, p.y], from: d.fromId, to });
    } else {
      const dflt = d.tool === 'sticky' ? { w: 160, h: 120 } : d.tool === 'text' ? { w: 160, h: 32 } : { w: 140, h: 80 };
      const box = clicked ? { x: d.start.x, y: d.start.y, ...dflt } : norm(d.start, p);
      id = this.model.add({ type: d.tool, ...box, color: this.color });
    }
    this.model.undo.stopCapturing();
    this.selection = new Set([id]);
    this.setTool('select');
    this.queueRender();
    if (d.tool === 'text' || d.tool === 'sticky') this.openEditor(id);
  }

  private onDoubleClick(e: MouseEvent): void {
    if (this.opts.readOnly) return;
    const hit = this.shapeAt(this.toBoard(e));
    if (hit && hit.type !== 'freehand') this.openEditor(hit.id);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    if (e.ctrlKey || e.metaKey) {
      this.zoomBy(Math.exp(-e.deltaY / 300), this.toBoard(e));
    } else {
      this.setViewport({ ...this.vp, x: this.vp.x + e.deltaX / this.vp.zoom, y: this.vp.y + e.deltaY / this.vp.zoom });
      this.stopFollowing();
    }
  }

  private onKey(e: KeyboardEvent): void {
    if (this.editor) return;
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (mod && k === 'z') {
      e.preventDefault();
      if (e.shiftKey) this.model.undo.redo();
      else this.model.undo.undo();
      return;
    }
    if (mod && k === 'y') {
      e.preventDefault();
      this.model.undo.redo();
      return;
    }
    if (mod) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      this.deleteSelection();
      return;
    }
    if (e.key === 'Escape') {
      this.selection.clear();
      this.setTool('select');
      this.queueRender();
      return;
    }
    if (e.key === 'Enter' && this.selection.size === 1) {
      e.preventDefault();
      this.openEditor([...this.selection][0]!);
      return;
    }
    const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    const mv = arrows[e.key];
    if (mv) {
      e.preventDefault();
      const step = e.shiftKey ? 50 : 10;
      if (this.selection.size && !this.opts.readOnly) this.model.move([...this.selection], mv[0] * step, mv[1] * step);
      else this.setViewport({ ...this.vp, x: this.vp.x + mv[0] * step * 4, y: this.vp.y + mv[1] * step * 4 });
      return;
    }
    if (e.key === '+' || e.key === '=') return this.zoomBy(1.2);
    if (e.key === '-') return this.zoomBy(1 / 1.2);
    if (e.key === '0') return this.setViewport({ x: 0, y: 0, zoom: 1 });
    if (e.key === 'n' && !this.opts.readOnly) {
      // Keyboard-only drawing: a box in the middle of the view.
      const r = this.svg.getBoundingClientRect();
      const c = { x: this.vp.x + r.width / 2 / this.vp.zoom - 70, y: this.vp.y + r.height / 2 / this.vp.zoom - 40 };
      const id = this.model.add({ type: this.tool === 'select' || this.tool === 'pan' || this.tool === 'arrow' || this.tool === 'freehand' ? 'rect' : this.tool, x: c.x, y: c.y, w: 140, h: 80, color: this.color });
      this.selection = new Set([id]);
      this.queueRender();
      return;
    }
    const t = TOOLS.find((x) => x.key === k);
    if (t && !(this.opts.readOnly && t.tool !== 'select' && t.tool !== 'pan')) this.setTool(t.tool);
  }

  // ---- text editing ----

  private openEditor(id: string): void {
    const s = this.model.get(id);
    if (!s || this.opts.readOnly) return;
    const r = this.svg.getBoundingClientRect();
    const wrap = this.svg.parentElement!;
    const ta = h('textarea', {
      class: 'board-editor',
      'aria-label': 'Shape text (Enter to finish, Shift+Enter for a new line)',
      'data-testid': 'board-text-editor',
      style: `left:${(s.x - this.vp.x) * this.vp.zoom}px;top:${(s.y - this.vp.y) * this.vp.zoom}px;width:${Math.max(120, s.w * this.vp.zoom)}px;height:${Math.max(32, s.h * this.vp.zoom)}px`,
    });
    void r;
    ta.value = s.text ?? '';
    ta.dataset.id = id;
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.commitEditor();
        this.svg.focus();
      } else if (e.key === 'Escape') {
        this.editor?.remove();
        this.editor = null;
        this.svg.focus();
      }
    });
    ta.addEventListener('blur', () => this.commitEditor());
    wrap.append(ta);
    this.editor = ta;
    ta.focus();
    ta.select();
  }

  private commitEditor(): void {
    const ta = this.editor;
    if (!ta) return;
    this.editor = null;
    const id = ta.dataset.id!;
    const s = this.model.get(id);
    if (s) {
      if (!ta.value.trim() && s.type === 'text') this.model.remove([id]);
      else this.model.update(id, { text: ta.value });
    }
    this.model.undo.stopCapturing();
    ta.remove();
  }

  // ---- rendering ----

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.render();
    });
  }

  private render(): void {
    const shapes = this.model.all();
    this.shapesLayer.innerHTML = renderShapes(shapes, this.model.lookup);
    this.svg.dataset.shapeCount = String(shapes.length);
    for (const id of this.selection) if (!this.model.get(id)) this.selection.delete(id);
    this.overlay.querySelectorAll('.sel').forEach((n) => n.remove());
    for (const id of this.selection) {
      const s = this.model.get(id);
      if (!s) continue;
      const pad = 4 / this.vp.zoom;
      this.overlay.append(svgEl('rect', { class: 'sel', x: s.x - pad, y: s.y - pad, width: s.w + 2 * pad, height: s.h + 2 * pad, fill: 'none', stroke: '#2563eb', 'stroke-dasharray': '4 3', 'stroke-width': 1.5 / this.vp.zoom }));
      if (s.type !== 'arrow' && !this.opts.readOnly) {
        const hs = 10 / this.vp.zoom;
        this.overlay.append(svgEl('rect', { class: 'sel handle', 'data-handle': id, x: s.x + s.w - hs / 2, y: s.y + s.h - hs / 2, width: hs, height: hs, fill: '#fff', stroke: '#2563eb', 'stroke-width': 1.5 / this.vp.zoom }));
      }
    }
  }

  private renderPreview(d: Extract<Drag, { kind: 'create' }>): void {
    this.overlay.querySelector('.preview')?.remove();
    const g = svgEl('g', { class: 'preview', opacity: 0.6 });
    if (d.tool === 'arrow') g.append(svgEl('line', { x1: d.start.x, y1: d.start.y, x2: d.cur.x, y2: d.cur.y, stroke: this.color, 'stroke-width': 2 }));
    else {
      const b = norm(d.start, d.cur);
      g.append(svgEl('rect', { x: b.x, y: b.y, width: b.w, height: b.h, fill: 'none', stroke: this.color, 'stroke-dasharray': '6 4', 'stroke-width': 2 }));
    }
    this.overlay.append(g);
  }

  private renderCursors(): void {
    const parts: SVGElement[] = [];
    this.awareness.getStates().forEach((st, id) => {
      if (id === this.awareness.clientID) return;
      const s = st as { user?: { name?: string; color?: string }; pointer?: Point | null };
      if (!s.pointer || !s.user) return;
      const color = s.user.color ?? '#555';
      const g = svgEl('g', { transform: `translate(${s.pointer.x} ${s.pointer.y}) scale(${1 / this.vp.zoom})`, 'data-testid': 'remote-cursor' });
      g.append(svgEl('path', { d: 'M0,0 L0,16 L4.5,12 L8,19 L10.5,18 L7,11 L13,11 Z', fill: color, stroke: '#fff', 'stroke-width': 1 }));
      const label = svgEl('text', { x: 14, y: 24, 'font-size': 12, 'font-family': 'system-ui, sans-serif', fill: color });
      label.textContent = s.user.name ?? '';
      g.append(label);
      parts.push(g);
    });
    this.cursorsLayer.replaceChildren(...parts);
  }

  // ---- export ----

  svgDocument(): string {
    return exportSvg(this.model.all(), this.model.lookup).svg;
  }

  private downloadSvg(): void {
    download(new Blob([this.svgDocument()], { type: 'image/svg+xml' }), `${this.opts.fileName ?? 'whiteboard'}.svg`);
  }

  async pngBlob(scale = 2): Promise<Blob> {
    const { svg, width, height } = exportSvg(this.model.all(), this.model.lookup);
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0);
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
  }

  private async downloadPng(): Promise<void> {
    download(await this.pngBlob(), `${this.opts.fileName ?? 'whiteboard'}.png`);
  }
}

function norm(a: Point, b: Point): { x: number; y: number; w: number; h: number } {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

function download(blob: Blob, name: string): void {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
