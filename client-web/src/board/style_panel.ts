// The properties panel beside the canvas: stroke and fill swatches with a custom colour
// picker, stroke width, dash, and the arrange actions (align, distribute, layers, group,
// lock). It holds the style the next drawn shape gets and reports every choice through
// callbacks; BoardView applies choices to the selection. DOM only, no model access.

import { h } from '../lib/dom';
import type { Align, ZMove } from './arrange';
import { DEFAULT_COLOR, type Dash, type Shape, type ShapeType } from './types';

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

export interface Style {
  color: string;
  fill: string;
  strokeWidth: number;
  dash: Dash | '';
}

export interface PanelActions {
  style(patch: Partial<Style>): void;
  align(how: Align): void;
  distribute(axis: 'h' | 'v'): void;
  restack(how: ZMove): void;
  group(): void;
  ungroup(): void;
  lock(): void;
}

export class StylePanel {
  readonly el: HTMLElement;
  style: Style = { color: DEFAULT_COLOR, fill: '', strokeWidth: 2, dash: '' };
  private pressed: HTMLButtonElement[] = [];
  private arrangeEl: HTMLElement;

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
    const btn = (label: string, icon: string, testid: string, onclick: () => void, data: Record<string, string> = {}) =>
      h('button', { type: 'button', 'aria-label': label, title: label, 'data-testid': testid, onclick, ...data }, icon);
    this.arrangeEl = h(
      'div',
      { class: 'props-arrange' },
      h('div', { class: 'props-label' }, 'Align'),
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
    this.el = h(
      'div',
      { class: 'board-props', 'data-testid': 'board-props', role: 'group', 'aria-label': 'Shape style and arrangement' },
      h('div', { class: 'props-label' }, 'Stroke'),
      h('div', { class: 'props-row' }, ...STROKE_SWATCHES.map((c) => swatch('color', c)), picker('color')),
      h('div', { class: 'props-label' }, 'Fill'),
      h('div', { class: 'props-row' }, ...FILL_SWATCHES.map((c) => swatch('fill', c)), picker('fill')),
      h('div', { class: 'props-label' }, 'Stroke width'),
      h('div', { class: 'props-row' }, ...WIDTHS.map((w) => btn(`Stroke width ${w.label}`, '', `width-${w.w}`, () => this.pick({ strokeWidth: w.w }), { 'data-width': String(w.w), class: `width w${w.w}` }))),
      h('div', { class: 'props-label' }, 'Stroke style'),
      h('div', { class: 'props-row' }, ...DASHES.map((d) => btn(d.label, d.icon, `dash-${d.dash || 'solid'}`, () => this.pick({ dash: d.dash }), { 'data-dash': d.dash }))),
      this.arrangeEl,
    );
    this.pressed = [...this.el.querySelectorAll<HTMLButtonElement>('button[data-kind], button[data-width], button[data-dash]')];
    this.show(this.style, false);
  }

  private pick(patch: Partial<Style>): void {
    Object.assign(this.style, patch);
    this.show(this.style, this.arrangeEl.hidden === false);
    this.act.style(patch);
  }

  /** Reflects `s` (the selection's first shape, or the next shape's style) in the pressed states. */
  show(s: Style, arrange: boolean): void {
    for (const b of this.pressed) {
      const on =
        (b.dataset.kind === 'color' && b.dataset.value === s.color) ||
        (b.dataset.kind === 'fill' && b.dataset.value === s.fill) ||
        (b.dataset.width !== undefined && Number(b.dataset.width) === s.strokeWidth) ||
        (b.dataset.dash !== undefined && b.dataset.dash === s.dash);
      b.setAttribute('aria-pressed', String(on));
    }
    this.arrangeEl.hidden = !arrange;
  }
}

/** The keys a new shape of `type` gets from style `st` (defaults are left out; text and frames take no stroke style). */
export function styleFor(st: Style, type: ShapeType): Partial<Shape> {
  const out: Partial<Shape> = type === 'frame' ? {} : { color: st.color };
  const stroked = type !== 'text' && type !== 'frame';
  if (st.fill && stroked && type !== 'arrow' && type !== 'freehand') out.fill = st.fill;
  if (st.strokeWidth !== 2 && stroked) out.strokeWidth = st.strokeWidth;
  if (st.dash && stroked) out.dash = st.dash;
  return out;
}
