// The properties panel beside the canvas: stroke and fill swatches with a custom colour
// picker, stroke width, dash, text (font size, alignment, grow the box or shrink the
// text), arrows (heads 0/1/2, straight or elbow) and the arrange actions (align,
// distribute, layers, group, lock). It holds the style the next drawn shape gets and
// reports every choice through callbacks; BoardView applies choices to the selection
// (patchFor keeps each key to the shapes it means something for). Sections show only
// when the selection or the drawing tool has a use for them. DOM only, no model access.

import { h } from '../lib/dom';
import type { Align as Arrange, ZMove } from './arrange';
import { BOXED_TYPES, DEFAULT_COLOR, DEFAULT_FONT_SIZE, MAX_FONT_SIZE, MIN_FONT_SIZE, type Align, type Dash, type Fit, type Heads, type Route, type Shape, type ShapeType } from './types';

export const STROKE_SWATCHES = ['#1f2937', '#dc2626', '#2563eb', '#16a34a', '#9333ea', '#ea580c'];
export const FILL_SWATCHES = ['', '#fee2e2', '#dbeafe', '#dcfce7', '#f3e8ff', '#fef3c7'];
export const WIDTHS: { w: number; label: string }[] = [
  { w: 1, label: 'Thin' },
  { w: 2, label: 'Medium' },
  { w: 4, label: 'Bold' },
];
const DASHES: { dash: Dash | ''; label: string; icon: string }[] = [
  { dash: '', label: 'Solid', icon: '—' },
  { dash: 'dashed', label: 'Dashed', icon: '╌' },
  { dash: 'dotted', label: 'Dotted', icon: '┈' },
];

export const FONT_SIZES: { size: number; label: string }[] = [
  { size: 12, label: 'S' },
  { size: 16, label: 'M' },
  { size: 24, label: 'L' },
  { size: 36, label: 'XL' },
];
const ALIGNS: { align: Align; label: string; icon: string }[] = [
  { align: 'left', label: 'Align text left', icon: 'M1 2h12M1 6h8M1 10h12M1 14h8' },
  { align: 'center', label: 'Centre text', icon: 'M1 2h12M3 6h8M1 10h12M3 14h8' },
  { align: 'right', label: 'Align text right', icon: 'M1 2h12M5 6h8M1 10h12M5 14h8' },
];

/** A 14x16 line-drawing icon (the text-alignment buttons; no font has all three glyphs). */
function lineIcon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 14 16');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const p = document.createElementNS(ns, 'path');
  p.setAttribute('d', d);
  p.setAttribute('stroke', 'currentColor');
  p.setAttribute('stroke-width', '1.8');
  p.setAttribute('stroke-linecap', 'round');
  svg.append(p);
  return svg;
}
const FITS: { fit: Fit; label: string; icon: string }[] = [
  { fit: 'grow', label: 'Grow the shape to fit its text', icon: 'Grow' },
  { fit: 'shrink', label: 'Shrink the text to fit the shape', icon: 'Shrink' },
];
const HEADS: { heads: Heads; label: string; icon: string }[] = [
  { heads: 'none', label: 'No arrowheads (a line)', icon: '—' },
  { heads: 'start', label: 'Arrowhead at the start', icon: '←' },
  { heads: 'end', label: 'Arrowhead at the end', icon: '→' },
  { heads: 'both', label: 'Arrowheads at both ends', icon: '↔' },
];
const ROUTES: { route: Route; label: string; icon: string }[] = [
  { route: 'straight', label: 'Straight arrow', icon: '╱' },
  { route: 'elbow', label: 'Elbow arrow', icon: '┗' },
];

/** The panel's choices; '' / the default value means "leave the key out" (the model's default). */
export interface Style {
  color: string;
  fill: string;
  strokeWidth: number;
  dash: Dash | '';
  fontSize: number;
  /** '' = the type's default (left for free text, centre for labels). */
  align: Align | '';
  fit: Fit;
  heads: Heads;
  route: Route;
}

/** Which sections apply to what is selected or about to be drawn. */
export interface Applies {
  stroke: boolean;
  text: boolean;
  /** Alignment and grow/shrink: free text and boxed labels (not arrows or frames). */
  textBox: boolean;
  arrow: boolean;
}

export function appliesTo(types: Iterable<ShapeType>): Applies {
  const out: Applies = { stroke: false, text: false, textBox: false, arrow: false };
  for (const t of types) {
    if (t !== 'text' && t !== 'frame') out.stroke = true;
    if (t !== 'freehand') out.text = true;
    if (t === 'text' || BOXED_TYPES.includes(t)) out.textBox = true;
    if (t === 'arrow') out.arrow = true;
  }
  return out;
}

/** The part of `patch` that means something for a shape of `type` (so restyling a mixed selection stays clean). */
export function patchFor(patch: Partial<Style>, type: ShapeType): Record<string, unknown> {
  const a = appliesTo([type]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    if ((k === 'heads' || k === 'route') && !a.arrow) continue;
    if (k === 'fontSize' && !a.text) continue;
    if ((k === 'align' || k === 'fit') && !a.textBox) continue;
    if ((k === 'fill' || k === 'strokeWidth' || k === 'dash') && !a.stroke) continue;
    if (k === 'fill' && (type === 'arrow' || type === 'freehand')) continue;
    if (k === 'color' && type === 'frame') continue;
    // Defaults are stored as absent (BoardModel.update deletes '' keys).
    const dflt = (k === 'heads' && v === 'end') || (k === 'route' && v === 'straight') || (k === 'fit' && v === 'grow') || (k === 'fontSize' && v === (type === 'frame' ? 14 : DEFAULT_FONT_SIZE));
    out[k] = dflt ? '' : v;
  }
  return out;
}

/** The style shape `s` shows in the panel (its keys, else the model's defaults). */
export function styleOf(s: Shape, base: Style): Style {
  return {
    color: s.color ?? base.color,
    fill: s.fill ?? '',
    strokeWidth: s.strokeWidth ?? 2,
    dash: s.dash ?? '',
    fontSize: s.fontSize ?? (s.type === 'frame' ? 14 : DEFAULT_FONT_SIZE),
    align: s.align ?? (s.type === 'text' ? 'left' : 'center'),
    fit: s.fit ?? 'grow',
    heads: s.heads ?? 'end',
    route: s.route ?? 'straight',
  };
}

export interface PanelActions {
  style(patch: Partial<Style>): void;
  align(how: Arrange): void;
  distribute(axis: 'h' | 'v'): void;
  restack(how: ZMove): void;
  group(): void;
  ungroup(): void;
  lock(): void;
}

export class StylePanel {
  readonly el: HTMLElement;
  style: Style = { color: DEFAULT_COLOR, fill: '', strokeWidth: 2, dash: '', fontSize: DEFAULT_FONT_SIZE, align: '', fit: 'grow', heads: 'end', route: 'straight' };
  private pressed: HTMLButtonElement[] = [];
  private arrangeEl: HTMLElement;
  private strokeEl: HTMLElement;
  private textEl: HTMLElement;
  private textBoxEl: HTMLElement;
  private arrowEl: HTMLElement;
  private sizeInput: HTMLInputElement;

  constructor(private readonly act: PanelActions) {
    const swatch = (kind: 'color' | 'fill', c: string) =>
      h('button', {
        type: 'button',
        class: `swatch${c ? '' : ' none'}`,
        style: c ? `background:${c}` : '',
        'aria-label': `${kind === 'color' ? 'Stroke' : 'Fill'} ${c || 'none'}`,
        title: c || 'No fill',
        'data-testid': `${kind}-${c.slice(1) || 'none'}`,
        'data-kind': kind,
        'data-value': c,
        onclick: () => this.pick({ [kind]: c }),
      });
    const picker = (kind: 'color' | 'fill') =>
      h('input', {
        type: 'color',
        class: 'picker',
        'aria-label': `Custom ${kind === 'color' ? 'stroke' : 'fill'} colour`,
        'data-testid': `${kind}-custom`,
        value: kind === 'color' ? DEFAULT_COLOR : '#ffffff',
        oninput: (e: Event) => this.pick({ [kind]: (e.target as HTMLInputElement).value }),
      });
    const btn = (label: string, icon: string | Node, testid: string, onclick: () => void, data: Record<string, string> = {}) =>
      h('button', { type: 'button', 'aria-label': label, title: label, 'data-testid': testid, onclick, ...data }, icon);
    this.arrangeEl = h(
      'div',
      { class: 'props-arrange' },
      h('div', { class: 'props-label' }, 'Align shapes'),
      h(
        'div',
        { class: 'props-row' },
        btn('Align left', '⇤', 'align-left', () => act.align('left')),
        btn('Align centres horizontally', '↔', 'align-hcenter', () => act.align('hcenter')),
        btn('Align right', '⇥', 'align-right', () => act.align('right')),
        btn('Align top', '⤒', 'align-top', () => act.align('top')),
        btn('Align middles vertically', '↕', 'align-vmiddle', () => act.align('vmiddle')),
        btn('Align bottom', '⤓', 'align-bottom', () => act.align('bottom')),
        btn('Distribute horizontally', '⋯', 'distribute-h', () => act.distribute('h')),
        btn('Distribute vertically', '⋮', 'distribute-v', () => act.distribute('v')),
      ),
      h('div', { class: 'props-label' }, 'Layers'),
      h(
        'div',
        { class: 'props-row' },
        btn('Send to back (Ctrl+Shift+[)', '⤓', 'z-back', () => act.restack('back')),
        btn('Send backward (Ctrl+[)', '↓', 'z-backward', () => act.restack('backward')),
        btn('Bring forward (Ctrl+])', '↑', 'z-forward', () => act.restack('forward')),
        btn('Bring to front (Ctrl+Shift+])', '⤒', 'z-front', () => act.restack('front')),
      ),
      h(
        'div',
        { class: 'props-row' },
        btn('Group (Ctrl+G)', 'Group', 'board-group', () => act.group()),
        btn('Ungroup (Ctrl+Shift+G)', 'Ungroup', 'board-ungroup', () => act.ungroup()),
        btn('Lock or unlock (Ctrl+Shift+L)', 'Lock', 'board-lock', () => act.lock()),
      ),
    );
    this.sizeInput = h('input', {
      type: 'number', min: MIN_FONT_SIZE, max: MAX_FONT_SIZE, step: 1, class: 'font-size', 'aria-label': 'Font size', title: `Font size (${MIN_FONT_SIZE}-${MAX_FONT_SIZE})`, 'data-testid': 'font-size-input',
      onchange: () => {
        const v = Math.round(Number(this.sizeInput.value));
        if (Number.isFinite(v) && v > 0) this.pick({ fontSize: Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, v)) });
      },
    }) as HTMLInputElement;
    this.sizeInput.addEventListener('keydown', (e) => e.stopPropagation()); // digits are not board shortcuts here
    const choice = (key: string, value: string, label: string, icon: string | Node, testid: string) =>
      btn(label, icon, testid, () => this.pick({ [key]: value } as Partial<Style>), { 'data-key': key, 'data-value': value });
    this.strokeEl = h(
      'div',
      {},
      h('div', { class: 'props-label' }, 'Line width and style'),
      h(
        'div',
        { class: 'props-row' },
        ...WIDTHS.map((w) => btn(`Stroke width ${w.label}`, '', `width-${w.w}`, () => this.pick({ strokeWidth: w.w }), { 'data-width': String(w.w), class: `width w${w.w}` })),
        h('span', { class: 'props-gap' }),
        ...DASHES.map((d) => btn(d.label, d.icon, `dash-${d.dash || 'solid'}`, () => this.pick({ dash: d.dash }), { 'data-dash': d.dash })),
      ),
    );
    this.arrowEl = h(
      'div',
      {},
      h('div', { class: 'props-label' }, 'Arrow'),
      h('div', { class: 'props-row' }, ...HEADS.map((x) => choice('heads', x.heads, x.label, x.icon, `heads-${x.heads}`)), ...ROUTES.map((x) => choice('route', x.route, x.label, x.icon, `route-${x.route}`))),
    );
    this.textBoxEl = h(
      'div',
      { class: 'props-row' },
      ...ALIGNS.map((x) => choice('align', x.align, x.label, lineIcon(x.icon), `text-align-${x.align}`)),
      ...FITS.map((x) => choice('fit', x.fit, x.label, x.icon, `fit-${x.fit}`)),
    );
    this.textEl = h(
      'div',
      {},
      h('div', { class: 'props-label' }, 'Text'),
      h('div', { class: 'props-row' }, ...FONT_SIZES.map((f) => btn(`Font size ${f.size}`, f.label, `font-size-${f.size}`, () => this.pick({ fontSize: f.size }), { 'data-key': 'fontSize', 'data-value': String(f.size) })), this.sizeInput),
      this.textBoxEl,
    );
    this.el = h(
      'div',
      { class: 'board-props', 'data-testid': 'board-props', role: 'group', 'aria-label': 'Shape style and arrangement' },
      h('div', { class: 'props-label' }, 'Stroke'),
      h('div', { class: 'props-row' }, ...STROKE_SWATCHES.map((c) => swatch('color', c)), picker('color')),
      h('div', { class: 'props-label' }, 'Fill'),
      h('div', { class: 'props-row' }, ...FILL_SWATCHES.map((c) => swatch('fill', c)), picker('fill')),
      this.strokeEl,
      this.arrowEl,
      this.textEl,
      this.arrangeEl,
    );
    this.pressed = [...this.el.querySelectorAll<HTMLButtonElement>('button[data-kind], button[data-width], button[data-dash], button[data-key]')];
    this.show(this.style, false);
  }

  private shown: Style = this.style;
  private applies: Applies = appliesTo([]);

  private pick(patch: Partial<Style>): void {
    Object.assign(this.style, patch);
    this.show({ ...this.shown, ...patch }, this.arrangeEl.hidden === false, this.applies);
    this.act.style(patch);
  }

  /**
   * Reflects `s` (the selection's first shape, or the next shape's style) in the pressed
   * states; shows the sections that `applies` names and the arrange actions when `arrange`.
   */
  show(s: Style, arrange: boolean, applies: Applies = { stroke: true, text: false, textBox: false, arrow: false }): void {
    this.shown = s;
    this.applies = applies;
    for (const b of this.pressed) {
      const d = b.dataset;
      const on =
        (d.kind === 'color' && d.value === s.color) ||
        (d.kind === 'fill' && d.value === s.fill) ||
        (d.width !== undefined && Number(d.width) === s.strokeWidth) ||
        (d.dash !== undefined && d.dash === s.dash) ||
        (d.key !== undefined && String(s[d.key as keyof Style]) === d.value);
      b.setAttribute('aria-pressed', String(on));
    }
    if (document.activeElement !== this.sizeInput) this.sizeInput.value = String(s.fontSize);
    this.strokeEl.hidden = !applies.stroke;
    this.arrowEl.hidden = !applies.arrow;
    this.textEl.hidden = !applies.text;
    this.textBoxEl.hidden = !applies.textBox;
    this.arrangeEl.hidden = !arrange;
  }
}

/** The keys a new shape of `type` gets from style `st` (defaults are left out; each key only where it applies). */
export function styleFor(st: Style, type: ShapeType): Partial<Shape> {
  const out: Partial<Shape> = {};
  // The panel's own defaults (width 2, size 16) are "not chosen": a frame keeps its 14.
  const chosen = { ...st, strokeWidth: st.strokeWidth === 2 ? undefined : st.strokeWidth, fontSize: st.fontSize === DEFAULT_FONT_SIZE ? undefined : st.fontSize };
  for (const [k, v] of Object.entries(patchFor(chosen as Partial<Style>, type))) {
    if (v !== '' && v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
