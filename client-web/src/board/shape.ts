// Reads one shape's stored fields (a Y.Map or its JSON) into a normalized Shape, following
// docs/board-model.md: unknown keys are ignored (and stay in the doc), a shape of an unknown
// type or without finite x/y/w/h is skipped, every optional field falls back to its
// documented default. server/loop/board_shape.cpp applies the same rules.

import { fitBox } from './layout';
import {
  MAX_FONT_SIZE, MAX_STROKE_WIDTH, MIN_FONT_SIZE, SHAPE_TYPES,
  type Align, type Fit, type Heads, type Route, type Shape, type ShapeType,
} from './types';

/** A shape with a coordinate or size beyond this (absolute) is skipped; a point beyond it voids `points`. */
export const MAX_COORDINATE = 1e7;
/** Points beyond this many numbers are ignored (a long freehand stroke is about 2,000). */
export const MAX_POINTS = 20000;
/** Every key docs/board-model.md defines for a stored shape; any other key is "unknown" (kept, ignored). */
export const STORED_KEYS: readonly string[] = [
  'type', 'x', 'y', 'w', 'h', 'z', 'color', 'fill', 'strokeWidth', 'dash', 'text', 'fontSize', 'align', 'fit',
  'points', 'from', 'to', 'heads', 'route', 'kind', 'groupId', 'locked', 'phase',
];

/** An icon's `kind`: lower-case letters, digits, `_` and `-`, at most 32. */
const KIND_RE = /^[a-z0-9_-]{1,32}$/;

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa` (lower-cased), else undefined. */
export function parseColor(v: unknown): string | undefined {
  return typeof v === 'string' && /^#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(v) ? v.toLowerCase() : undefined;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The shape stored under `id`, read through `get`; undefined when it is not drawable. */
export function readShapeFrom(id: string, get: (key: string) => unknown): Shape | undefined {
  const type = oneOf<ShapeType>(get('type'), SHAPE_TYPES);
  if (!type) return undefined;
  const x = num(get('x')), y = num(get('y')), w = num(get('w')), h = num(get('h'));
  if (x === undefined || y === undefined || w === undefined || h === undefined) return undefined;
  if ([x, y, w, h].some((v) => Math.abs(v) > MAX_COORDINATE)) return undefined;
  const s: Shape = { id, type, x, y, w: Math.max(0, w), h: Math.max(0, h), z: num(get('z')) ?? 0 };
  const color = parseColor(get('color'));
  if (color) s.color = color;
  const fill = get('fill');
  if (fill === '') s.fill = '';
  else if (parseColor(fill)) s.fill = parseColor(fill);
  const text = get('text');
  if (typeof text === 'string' && text) s.text = text;
  const points = get('points');
  if (Array.isArray(points) && points.every((p) => num(p) !== undefined && Math.abs(p as number) <= MAX_COORDINATE)) {
    const p = (points as number[]).slice(0, MAX_POINTS);
    s.points = p.length % 2 ? p.slice(0, -1) : p;
  }
  if (type === 'freehand' && (s.points?.length ?? 0) < 4) return undefined;
  if (type === 'arrow' && (s.points?.length ?? 0) < 4) s.points = [s.x, s.y, s.x + s.w, s.y + s.h];
  const from = get('from'), to = get('to'), groupId = get('groupId'), kind = get('kind');
  if (typeof from === 'string' && from) s.from = from;
  if (typeof to === 'string' && to) s.to = to;
  if (typeof groupId === 'string' && groupId) s.groupId = groupId;
  if (get('locked') === true) s.locked = true;
  const sw = num(get('strokeWidth'));
  if (sw !== undefined && sw > 0) s.strokeWidth = Math.min(sw, MAX_STROKE_WIDTH);
  const dash = oneOf(get('dash'), ['dashed', 'dotted'] as const);
  if (dash) s.dash = dash;
  const fs = num(get('fontSize'));
  if (fs !== undefined) s.fontSize = Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, fs));
  const align = oneOf<Align>(get('align'), ['left', 'center', 'right']);
  if (align) s.align = align;
  const fit = oneOf<Fit>(get('fit'), ['grow', 'shrink', 'none']);
  if (fit) s.fit = fit;
  const heads = oneOf<Heads>(get('heads'), ['none', 'start', 'end', 'both']);
  if (heads) s.heads = heads;
  const route = oneOf<Route>(get('route'), ['straight', 'elbow']);
  if (route) s.route = route;
  if (typeof kind === 'string' && KIND_RE.test(kind)) s.kind = kind;
  const phase = get('phase');
  if (type === 'frame' && typeof phase === 'string' && phase) s.phase = phase;
  const box = fitBox(s);
  s.w = box.w;
  if (box.h > s.h) {
    s.minH = s.h;
    s.h = box.h;
  }
  return s;
}

/** Reads a shape from its JSON form (`board.shapes[id]` of `Y.Map.toJSON()`). */
export function readShapeJson(id: string, j: unknown): Shape | undefined {
  if (!j || typeof j !== 'object' || Array.isArray(j)) return undefined;
  const o = j as Record<string, unknown>;
  return readShapeFrom(id, (k) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined));
}
