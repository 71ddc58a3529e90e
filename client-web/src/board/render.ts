// Renders shapes to SVG markup from their layout (layout.ts), following docs/board-model.md.
// The live canvas inserts this markup into its shapes layer (each shape a <g data-shape-id>),
// and export wraps it into a standalone SVG document. server/loop/board_svg.cpp writes the
// same elements for the same layout. Text is always XML-escaped; colours come from
// parseColor, so only hex reaches an attribute.

import { escapeXml } from '../lib/dom';
import { boardBounds } from './geometry';
import { layoutShape, type ShapeLayout, type TextBlock } from './layout';
import { iconFor } from './shapes_library';
import { FONT_FAMILY } from './text_layout';
import type { Shape } from './types';

/** Arrowhead length and half-width at stroke width 2 (they scale with wider strokes). */
const HEAD_LENGTH = 12;
const HEAD_HALF_WIDTH = 5;
/** Icon picture size in board units (drawn from a 24-unit grid). */
export const ICON_SIZE = 32;

/** A number as written into SVG: rounded to 2 decimals, no trailing zeros (same on the server). */
export function fmt(v: number): string {
  const r = Math.floor(v * 100 + 0.5) / 100;
  if (r === 0) return '0';
  return r.toFixed(2).replace(/\.?0+$/, '');
}

function textMarkup(t: TextBlock): string {
  let out = '';
  for (const l of t.lines) {
    if (!l.text) continue;
    out +=
      `<text x="${fmt(l.x)}" y="${fmt(l.y)}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${fmt(t.fontSize)}" fill="${t.color}" ` +
      `text-anchor="${t.anchor}" textLength="${fmt(l.w)}" lengthAdjust="spacingAndGlyphs">${escapeXml(l.text)}</text>`;
  }
  return out;
}

function strokeAttrs(l: ShapeLayout): string {
  const sw = l.strokeWidth;
  const dash = l.dash === 'dashed' ? ` stroke-dasharray="${fmt(sw * 4)} ${fmt(sw * 3)}"` : l.dash === 'dotted' ? ` stroke-dasharray="0 ${fmt(sw * 2.5)}"` : '';
  return `stroke="${l.stroke}" stroke-width="${fmt(sw)}" stroke-linejoin="round" stroke-linecap="round"${dash}`;
}

/** The arrowhead at path end `tip` coming from `prev` and the point where the line should stop. */
function head(tip: { x: number; y: number }, prev: { x: number; y: number }, sw: number, color: string): { markup: string; base: { x: number; y: number } } {
  const len = Math.hypot(tip.x - prev.x, tip.y - prev.y);
  if (len === 0) return { markup: '', base: tip };
  const k = Math.max(1, (sw + 2) / 4);
  const ux = (tip.x - prev.x) / len, uy = (tip.y - prev.y) / len;
  const base = { x: tip.x - ux * HEAD_LENGTH * k, y: tip.y - uy * HEAD_LENGTH * k };
  const w = HEAD_HALF_WIDTH * k;
  const markup = `<polygon points="${fmt(tip.x)},${fmt(tip.y)} ${fmt(base.x - uy * w)},${fmt(base.y + ux * w)} ${fmt(base.x + uy * w)},${fmt(base.y - ux * w)}" fill="${color}"/>`;
  return { markup, base };
}

/** The point before index `i` going backwards (or forwards) that differs from path[i]. */
function neighbour(pts: { x: number; y: number }[], i: number, step: 1 | -1): { x: number; y: number } {
  for (let j = i + step; j >= 0 && j < pts.length; j += step) if (pts[j]!.x !== pts[i]!.x || pts[j]!.y !== pts[i]!.y) return pts[j]!;
  return pts[i]!;
}

function arrowMarkup(l: ShapeLayout): string {
  const flat = l.path ?? [];
  const pts: { x: number; y: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pts.push({ x: flat[i]!, y: flat[i + 1]! });
  if (pts.length < 2) return '';
  const heads = l.heads ?? 'end';
  let out = '';
  const line = pts.slice();
  if (heads === 'end' || heads === 'both') {
    const h = head(pts[pts.length - 1]!, neighbour(pts, pts.length - 1, -1), l.strokeWidth, l.stroke);
    out += h.markup;
    line[line.length - 1] = h.base;
  }
  if (heads === 'start' || heads === 'both') {
    const h = head(pts[0]!, neighbour(pts, 0, 1), l.strokeWidth, l.stroke);
    out += h.markup;
    line[0] = h.base;
  }
  // A straight arrow is a <line> (as in v1), an elbow a <polyline>.
  const poly =
    line.length === 2
      ? `<line x1="${fmt(line[0]!.x)}" y1="${fmt(line[0]!.y)}" x2="${fmt(line[1]!.x)}" y2="${fmt(line[1]!.y)}" ${strokeAttrs(l)}/>`
      : `<polyline points="${line.map((p) => `${fmt(p.x)},${fmt(p.y)}`).join(' ')}" fill="none" ${strokeAttrs(l)}/>`;
  let label = '';
  if (l.text) {
    const t = l.text;
    const lh = t.lines.length ? t.fontSize * 1.25 : 0;
    const maxW = Math.max(0, ...t.lines.map((x) => x.w));
    const top = (t.lines[0]?.y ?? 0) - 0.975 * t.fontSize;
    label = `<rect x="${fmt(t.lines[0]!.x - maxW / 2 - 4)}" y="${fmt(top)}" width="${fmt(maxW + 8)}" height="${fmt(lh * t.lines.length)}" fill="#ffffff" fill-opacity="0.85"/>` + textMarkup(t);
  }
  return poly + out + label;
}

function iconMarkup(l: ShapeLayout): string {
  const icon = iconFor(l.kind);
  const s = ICON_SIZE / 24;
  const x = l.box.x + l.box.w / 2 - ICON_SIZE / 2, y = l.box.y + 8;
  const paths = icon.paths.map((d) => `<path d="${escapeXml(d)}"/>`).join('');
  return `<g transform="translate(${fmt(x)} ${fmt(y)}) scale(${fmt(s)})" fill="none" stroke="${l.stroke}" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">${paths}</g>`;
}

/** The markup of one laid-out shape (without its <g> wrapper). */
export function renderLayout(l: ShapeLayout): string {
  const b = l.box;
  const label = l.text ? textMarkup(l.text) : '';
  const cx = b.x + b.w / 2, cy = b.y + b.h / 2;
  switch (l.type) {
    case 'rect':
      return `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" rx="6" fill="${l.fill}" ${strokeAttrs(l)}/>` + label;
    case 'ellipse':
      return `<ellipse cx="${fmt(cx)}" cy="${fmt(cy)}" rx="${fmt(b.w / 2)}" ry="${fmt(b.h / 2)}" fill="${l.fill}" ${strokeAttrs(l)}/>` + label;
    case 'diamond':
      return `<polygon points="${fmt(cx)},${fmt(b.y)} ${fmt(b.x + b.w)},${fmt(cy)} ${fmt(cx)},${fmt(b.y + b.h)} ${fmt(b.x)},${fmt(cy)}" fill="${l.fill}" ${strokeAttrs(l)}/>` + label;
    case 'sticky':
      return `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" fill="${l.fill}" filter="drop-shadow(0 1px 2px rgba(0,0,0,.25))"/>` + label;
    case 'frame':
      return `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" rx="4" fill="${l.fill}" ${strokeAttrs(l)}/>` + label;
    case 'icon':
      return `<rect x="${fmt(b.x)}" y="${fmt(b.y)}" width="${fmt(b.w)}" height="${fmt(b.h)}" rx="8" fill="${l.fill}" ${strokeAttrs(l)}/>` + iconMarkup(l) + label;
    case 'text':
      return label;
    case 'freehand': {
      const p = l.path ?? [];
      const pts: string[] = [];
      for (let i = 0; i + 1 < p.length; i += 2) pts.push(`${fmt(p[i]!)},${fmt(p[i + 1]!)}`);
      return `<polyline points="${pts.join(' ')}" fill="none" ${strokeAttrs(l)}/>`;
    }
    case 'arrow':
      return arrowMarkup(l);
  }
}

export function renderShape(s: Shape, lookup: (id: string) => Shape | undefined): string {
  return `<g data-shape-id="${escapeXml(s.id)}" data-shape-type="${s.type}">${renderLayout(layoutShape(s, lookup))}</g>`;
}

export function renderShapes(sorted: Shape[], lookup: (id: string) => Shape | undefined): string {
  return sorted.map((s) => renderShape(s, lookup)).join('');
}

/** A standalone SVG document of the whole board, with a margin and a white background. */
export function exportSvg(sorted: Shape[], lookup: (id: string) => Shape | undefined, margin = 24): { svg: string; width: number; height: number } {
  const b = boardBounds(sorted, lookup);
  const x = b.x - margin, y = b.y - margin;
  const width = Math.max(1, Math.ceil(b.w + 2 * margin)), height = Math.max(1, Math.ceil(b.h + 2 * margin));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${fmt(x)} ${fmt(y)} ${width} ${height}">` +
    `<rect x="${fmt(x)}" y="${fmt(y)}" width="${width}" height="${height}" fill="#ffffff"/>` +
    renderShapes(sorted, lookup) +
    `</svg>`;
  return { svg, width, height };
}
