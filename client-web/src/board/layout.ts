// Where everything of a shape is drawn: its box after fitting its text, its text lines,
// its stroke and fill, an arrow's path. Both renderers (render.ts here, server/loop/
// board_layout.cpp there) draw from this, and tests/fixtures/board/*.json pins it down for
// both. Pure; the rules are docs/board-model.md's "Text layout" and "Geometry".

import { arrowPath } from './geometry';
import { BASELINE, LINE_HEIGHT, textWidth, wrapText } from './text_layout';
import {
  BOXED_TYPES, DEFAULT_COLOR, DEFAULT_FONT_SIZE, DEFAULT_STROKE_WIDTH, MIN_FONT_SIZE, STICKY_FILL,
  type Heads, type Point, type Shape, type ShapeType,
} from './types';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface TextLine {
  text: string;
  /** The anchor's x (start, middle or end of the line, per `anchor`). */
  x: number;
  /** The baseline. */
  y: number;
  /** The line's width by the font table (the renderer pins it with textLength). */
  w: number;
}
export interface TextBlock {
  fontSize: number;
  anchor: 'start' | 'middle' | 'end';
  color: string;
  lines: TextLine[];
}
export interface ShapeLayout {
  id: string;
  type: ShapeType;
  box: Box;
  stroke: string;
  fill: string;
  strokeWidth: number;
  dash: 'solid' | 'dashed' | 'dotted';
  text?: TextBlock;
  /** Arrow and freehand: the drawn polyline, flat [x0, y0, x1, y1, ...]. */
  path?: number[];
  heads?: Heads;
  kind?: string;
}

/** Inner padding of rect, sticky and icon labels. */
const PAD = 8;
/** The largest rectangle inside an ellipse has sides w/sqrt(2), h/sqrt(2). */
const ELLIPSE_K = 0.7071067811865476;
/** An icon's label starts this far below the box's top (the icon sits above it). */
export const ICON_LABEL_TOP = 48;
/** Arrow labels wrap at this width. */
export const ARROW_LABEL_WIDTH = 160;
export const FRAME_STROKE = '#9ca3af';
export const FRAME_LABEL_COLOR = '#4b5563';
export const FRAME_FONT_SIZE = 14;
export const ICON_FILL = '#ffffff';

/** The rectangle a label is laid out in, for a shape of `type` drawn in box `b`. */
export function textArea(type: ShapeType, b: Box): Box {
  let w: number, h: number;
  switch (type) {
    case 'ellipse':
      w = b.w * ELLIPSE_K - 4;
      h = b.h * ELLIPSE_K - 4;
      return { x: b.x + (b.w - w) / 2, y: b.y + (b.h - h) / 2, w, h };
    case 'diamond':
      w = b.w * 0.5 - 4;
      h = b.h * 0.5 - 4;
      return { x: b.x + (b.w - w) / 2, y: b.y + (b.h - h) / 2, w, h };
    case 'icon':
      return { x: b.x + PAD, y: b.y + ICON_LABEL_TOP, w: b.w - 2 * PAD, h: b.h - ICON_LABEL_TOP - PAD };
    case 'text':
      return { x: b.x + 4, y: b.y + 4, w: b.w - 8, h: b.h - 8 };
    default:
      return { x: b.x + PAD, y: b.y + PAD, w: b.w - 2 * PAD, h: b.h - 2 * PAD };
  }
}

/** The box height a shape of `type` needs to hold text `textHeight` high. */
function neededHeight(type: ShapeType, textHeight: number): number {
  switch (type) {
    case 'ellipse':
      return (textHeight + 4) / ELLIPSE_K;
    case 'diamond':
      return (textHeight + 4) * 2;
    case 'icon':
      return textHeight + ICON_LABEL_TOP + PAD;
    case 'text':
      return textHeight + 8;
    default:
      return textHeight + 2 * PAD;
  }
}

function hasLabel(s: Shape): boolean {
  return !!s.text && (s.type === 'text' || BOXED_TYPES.includes(s.type));
}

/** A `text` shape of width <= 8 has no wrap width: it is as wide as its longest line. */
function autoWidth(s: Shape): boolean {
  return s.type === 'text' && s.w <= 8;
}

function wrapFor(s: Shape, fontSize: number, area: Box): string[] {
  return wrapText(s.text ?? '', fontSize, autoWidth(s) ? Infinity : area.w);
}

/**
 * The box `s` is drawn in: for fit=grow (the default) the stored height grows to hold the
 * wrapped text; an auto-width text shape grows to its longest line. Stored fields are not
 * changed (the stored `h` acts as a minimum).
 */
export function fitBox(s: Shape): { w: number; h: number } {
  if (!hasLabel(s)) return { w: s.w, h: s.h };
  const fontSize = s.fontSize ?? DEFAULT_FONT_SIZE;
  const lines = wrapFor(s, fontSize, textArea(s.type, s));
  const w = autoWidth(s) ? Math.max(0, ...lines.map((l) => textWidth(l, fontSize))) + 8 : s.w;
  if ((s.fit ?? 'grow') !== 'grow') return { w, h: s.h };
  return { w, h: Math.max(s.h, neededHeight(s.type, lines.length * fontSize * LINE_HEIGHT)) };
}

function block(lines: string[], fontSize: number, anchor: TextBlock['anchor'], x: number, top: number, color: string): TextBlock {
  const lh = fontSize * LINE_HEIGHT;
  return {
    fontSize,
    anchor,
    color,
    lines: lines.map((text, i) => ({ text, x, y: top + i * lh + BASELINE * fontSize, w: textWidth(text, fontSize) })),
  };
}

/** The label of a boxed or text shape, laid out in its (already fitted) box. */
export function layoutLabel(s: Shape): TextBlock | undefined {
  if (!hasLabel(s)) return undefined;
  const area = textArea(s.type, s);
  let fontSize = s.fontSize ?? DEFAULT_FONT_SIZE;
  let lines = wrapFor(s, fontSize, area);
  if (s.fit === 'shrink') {
    while (lines.length * fontSize * LINE_HEIGHT > area.h && fontSize > MIN_FONT_SIZE) {
      fontSize = Math.max(MIN_FONT_SIZE, fontSize - 1);
      lines = wrapFor(s, fontSize, area);
    }
  }
  const th = lines.length * fontSize * LINE_HEIGHT;
  const top = s.type === 'text' ? area.y : area.y + area.h / 2 - th / 2;
  const align = s.align ?? (s.type === 'text' ? 'left' : 'center');
  const [anchor, x] =
    align === 'left' ? (['start', area.x] as const) : align === 'right' ? (['end', area.x + area.w] as const) : (['middle', area.x + area.w / 2] as const);
  return block(lines, fontSize, anchor, x, top, s.color ?? DEFAULT_COLOR);
}

/** Where an arrow's label sits: the middle of a straight arrow, the middle segment's middle of an elbow. */
export function arrowLabelAnchor(path: Point[]): Point {
  const a = path.length >= 4 ? path[1]! : path[0]!;
  const b = path.length >= 4 ? path[2]! : path[path.length - 1]!;
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function boundsOf(flat: number[]): Box {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    minX = Math.min(minX, flat[i]!);
    maxX = Math.max(maxX, flat[i]!);
    minY = Math.min(minY, flat[i + 1]!);
    maxY = Math.max(maxY, flat[i + 1]!);
  }
  return flat.length < 2 ? { x: 0, y: 0, w: 0, h: 0 } : { x: minX, y: minY, w: maxX - minX, h: maxY - minY };
}

export function layoutShape(s: Shape, lookup: (id: string) => Shape | undefined): ShapeLayout {
  const out: ShapeLayout = {
    id: s.id,
    type: s.type,
    box: { x: s.x, y: s.y, w: s.w, h: s.h },
    stroke: s.color ?? (s.type === 'frame' ? FRAME_STROKE : DEFAULT_COLOR),
    fill: s.type === 'sticky' ? s.fill || STICKY_FILL : s.type === 'icon' ? s.fill || ICON_FILL : s.fill || 'none',
    strokeWidth: s.strokeWidth ?? (s.type === 'frame' ? 1.5 : DEFAULT_STROKE_WIDTH),
    dash: s.dash ?? 'solid',
  };
  if (s.type === 'arrow') {
    const path = arrowPath(s, lookup);
    out.path = path.flatMap((p) => [p.x, p.y]);
    out.box = boundsOf(out.path);
    out.heads = s.heads ?? 'end';
    if (s.text) {
      const fontSize = s.fontSize ?? DEFAULT_FONT_SIZE;
      const lines = wrapText(s.text, fontSize, ARROW_LABEL_WIDTH);
      const mid = arrowLabelAnchor(path);
      out.text = block(lines, fontSize, 'middle', mid.x, mid.y - (lines.length * fontSize * LINE_HEIGHT) / 2, out.stroke);
    }
  } else if (s.type === 'freehand') {
    out.path = s.points!.slice();
    out.box = boundsOf(out.path);
  } else if (s.type === 'frame') {
    const fontSize = s.fontSize ?? FRAME_FONT_SIZE;
    const name = wrapText(s.text ?? 'Frame', fontSize, Infinity)[0] ?? '';
    out.text = block([name], fontSize, 'start', s.x + 2, s.y - 8 - BASELINE * fontSize, FRAME_LABEL_COLOR);
  } else {
    out.text = layoutLabel(s);
    if (s.type === 'icon') out.kind = s.kind ?? 'generic';
  }
  if (!out.text) delete out.text;
  return out;
}
