// Renders shapes to SVG markup following docs/board-model.md. The live canvas inserts this
// markup into its shapes layer (each shape a <g data-shape-id>), and export wraps it into a
// standalone SVG document. Text is always XML-escaped.

import { escapeXml } from '../lib/dom';
import { arrowEndpoints, boardBounds } from './geometry';
import { DEFAULT_COLOR, DEFAULT_STROKE_WIDTH, STICKY_FILL, type Shape } from './types';

const FONT = 'system-ui, sans-serif';
const LINE = 20;

function textLines(text: string, cx: number, cy: number, color: string, anchor: 'middle' | 'start' = 'middle'): string {
  const lines = text.split('\n');
  const top = anchor === 'middle' ? cy - ((lines.length - 1) * LINE) / 2 + 5 : cy;
  return lines
    .map((l, i) => `<text x="${cx}" y="${top + i * LINE}" font-family="${FONT}" font-size="16" fill="${escapeXml(color)}" text-anchor="${anchor}">${escapeXml(l)}</text>`)
    .join('');
}

function safeColor(c: string | undefined, dflt: string): string {
  return c && /^#[0-9a-fA-F]{3,8}$/.test(c) ? c : dflt;
}

export function renderShape(s: Shape, lookup: (id: string) => Shape | undefined): string {
  const color = safeColor(s.color, DEFAULT_COLOR);
  const fill = s.type === 'sticky' ? safeColor(s.fill, STICKY_FILL) : s.fill ? safeColor(s.fill, 'none') : 'none';
  const sw = s.strokeWidth ?? DEFAULT_STROKE_WIDTH;
  const dash = s.dash === 'dashed' ? ` stroke-dasharray="${sw * 4} ${sw * 3}"` : s.dash === 'dotted' ? ` stroke-dasharray="0 ${sw * 2.5}"` : '';
  const stroke = `stroke="${color}" stroke-width="${sw}" stroke-linejoin="round" stroke-linecap="round"${dash}`;
  const cx = s.x + s.w / 2, cy = s.y + s.h / 2;
  const label = s.text ? textLines(s.text, cx, cy, color) : '';
  let body = '';
  switch (s.type) {
    case 'rect':
      body = `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="6" fill="${fill}" ${stroke}/>` + label;
      break;
    case 'ellipse':
      body = `<ellipse cx="${cx}" cy="${cy}" rx="${s.w / 2}" ry="${s.h / 2}" fill="${fill}" ${stroke}/>` + label;
      break;
    case 'diamond':
      body = `<polygon points="${cx},${s.y} ${s.x + s.w},${cy} ${cx},${s.y + s.h} ${s.x},${cy}" fill="${fill}" ${stroke}/>` + label;
      break;
    case 'sticky':
      body = `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" fill="${fill}" filter="drop-shadow(0 1px 2px rgba(0,0,0,.25))"/>` + label;
      break;
    case 'frame':
      // A named area: a thin grey outline with its name above the top-left corner.
      body =
        `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="4" fill="${s.fill ? fill : 'none'}" stroke="#9ca3af" stroke-width="1.5"/>` +
        `<text x="${s.x + 2}" y="${s.y - 8}" font-family="${FONT}" font-size="14" fill="#4b5563">${escapeXml(s.text ?? 'Frame')}</text>`;
      break;
    case 'text':
      body = textLines(s.text ?? '', s.x + 4, s.y + 4 + 16, color, 'start');
      break;
    case 'freehand': {
      const p = s.points ?? [];
      const pts: string[] = [];
      for (let i = 0; i + 1 < p.length; i += 2) pts.push(`${p[i]},${p[i + 1]}`);
      body = `<polyline points="${pts.join(' ')}" fill="none" ${stroke}/>`;
      break;
    }
    case 'arrow': {
      const [a, b] = arrowEndpoints(s, lookup);
      const ang = Math.atan2(b.y - a.y, b.x - a.x);
      const L = 12, W = 5;
      const bx = b.x - L * Math.cos(ang), by = b.y - L * Math.sin(ang);
      const head = `${b.x},${b.y} ${bx + W * Math.sin(ang)},${by - W * Math.cos(ang)} ${bx - W * Math.sin(ang)},${by + W * Math.cos(ang)}`;
      body =
        `<line x1="${a.x}" y1="${a.y}" x2="${bx}" y2="${by}" ${stroke}/>` +
        `<polygon points="${head}" fill="${color}"/>` +
        (s.text ? textLines(s.text, (a.x + b.x) / 2, (a.y + b.y) / 2 - 8, color) : '');
      break;
    }
  }
  return `<g data-shape-id="${escapeXml(s.id)}" data-shape-type="${s.type}">${body}</g>`;
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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x} ${y} ${width} ${height}">` +
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#ffffff"/>` +
    renderShapes(sorted, lookup) +
    `</svg>`;
  return { svg, width, height };
}
