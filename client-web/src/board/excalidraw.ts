// Import and export of `.excalidraw` files (Excalidraw's JSON scene format, version 2) for
// the common subset: rectangle, ellipse, diamond, text (free and bound labels), arrow and
// line with bindings and arrowheads, freedraw, frame, colours, stroke width and style,
// groups, lock. Pure functions from shapes to a scene and back; what does not map is listed
// in docs/board-model.md ("Interop"). Our own types that Excalidraw lacks (sticky, icon)
// travel as a rectangle plus `customData.mockloop`, so a round trip through Excalidraw
// keeps them.

import { arrowPath } from './geometry';
import { layoutLabel, textArea } from './layout';
import { textWidth } from './text_layout';
import { parseColor } from './shape';
import { DEFAULT_COLOR, DEFAULT_FONT_SIZE, DEFAULT_STROKE_WIDTH, type Shape } from './types';

/** Elements beyond this many are not imported. */
export const MAX_IMPORT_ELEMENTS = 5000;
/** A file larger than this is refused before parsing. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

type Json = Record<string, unknown>;
export interface ExcalidrawScene {
  type: 'excalidraw';
  version: 2;
  source: string;
  elements: Json[];
  appState: Json;
  files: Json;
}

/** A shape to add to the board (ids are the file's ids when usable). */
export type ImportedShape = Omit<Shape, 'minH'>;

const ID_RE = /^[A-Za-z0-9_-]{1,32}$/;
let seedCounter = 1;

function base(id: string, type: string, s: Pick<Shape, 'x' | 'y' | 'w' | 'h'>, extra: Json = {}): Json {
  const seed = (seedCounter = (seedCounter * 48271) % 2147483647);
  return {
    id, type, x: s.x, y: s.y, width: s.w, height: s.h, angle: 0,
    strokeColor: DEFAULT_COLOR, backgroundColor: 'transparent', fillStyle: 'solid', strokeWidth: DEFAULT_STROKE_WIDTH,
    strokeStyle: 'solid', roughness: 0, opacity: 100, groupIds: [], frameId: null, roundness: null, seed,
    version: 1, versionNonce: seed, isDeleted: false, boundElements: null, updated: 1, link: null, locked: false,
    ...extra,
  };
}

function styleOf(s: Shape): Json {
  return {
    strokeColor: s.color ?? DEFAULT_COLOR,
    backgroundColor: s.type === 'sticky' ? s.fill || '#fde68a' : s.fill || 'transparent',
    strokeWidth: s.strokeWidth ?? DEFAULT_STROKE_WIDTH,
    strokeStyle: s.dash ?? 'solid',
    groupIds: s.groupId ? [s.groupId] : [],
    locked: !!s.locked,
  };
}

function textElement(id: string, s: Shape, containerId: string | null, box: { x: number; y: number; w: number; h: number }, lines: string[], fontSize: number, align: string, vAlign: string): Json {
  return base(id, 'text', box, {
    strokeColor: s.color ?? DEFAULT_COLOR, text: lines.join('\n'), originalText: s.text ?? '', fontSize, fontFamily: 2,
    textAlign: align, verticalAlign: vAlign, containerId, lineHeight: 1.25, autoResize: containerId === null,
    groupIds: s.groupId ? [s.groupId] : [], baseline: Math.round(fontSize * 0.975),
  });
}

/** The board as an Excalidraw scene; `sorted` in z order, `lookup` resolves arrow ends. */
export function toExcalidraw(sorted: Shape[], lookup: (id: string) => Shape | undefined): ExcalidrawScene {
  const elements: Json[] = [];
  const bound = new Map<string, Json[]>(); // container id -> boundElements
  const bind = (container: string, id: string, type: 'text' | 'arrow') => {
    if (!bound.has(container)) bound.set(container, []);
    bound.get(container)!.push({ id, type });
  };
  const frames = sorted.filter((s) => s.type === 'frame');
  const frameOf = (s: Shape) =>
    s.type === 'frame' ? null : frames.find((f) => s.x >= f.x && s.y >= f.y && s.x + s.w <= f.x + f.w && s.y + s.h <= f.y + f.h)?.id ?? null;
  const byId = new Map<string, Json>();
  for (const s of sorted) {
    const common = { ...styleOf(s), frameId: frameOf(s) };
    let el: Json | undefined;
    switch (s.type) {
      case 'rect':
      case 'sticky':
      case 'icon':
        el = base(s.id, 'rectangle', s, { ...common, roundness: { type: 3 } });
        if (s.type !== 'rect') el.customData = { mockloop: { type: s.type, ...(s.kind ? { kind: s.kind } : {}) } };
        break;
      case 'ellipse':
      case 'diamond':
        el = base(s.id, s.type, s, { ...common, roundness: s.type === 'diamond' ? { type: 2 } : null });
        break;
      case 'frame':
        el = base(s.id, 'frame', s, { ...common, name: s.text ?? 'Frame' });
        break;
      case 'freehand': {
        const p = s.points ?? [];
        const pts: number[][] = [];
        for (let i = 0; i + 1 < p.length; i += 2) pts.push([p[i]! - s.x, p[i + 1]! - s.y]);
        el = base(s.id, 'freedraw', s, { ...common, points: pts, pressures: [], simulatePressure: true, lastCommittedPoint: null });
        break;
      }
      case 'text': {
        const t = layoutLabel(s);
        el = textElement(s.id, s, null, { x: s.x + 4, y: s.y + 4, w: Math.max(0, s.w - 8), h: Math.max(0, s.h - 8) }, t?.lines.map((l) => l.text) ?? [s.text ?? ''], s.fontSize ?? DEFAULT_FONT_SIZE, s.align ?? 'left', 'top');
        el.frameId = common.frameId;
        break;
      }
      case 'arrow': {
        const path = arrowPath(s, lookup);
        const o = path[0]!;
        const pts = path.map((q) => [q.x - o.x, q.y - o.y]);
        const xs = pts.map((q) => q[0]!), ys = pts.map((q) => q[1]!);
        const heads = s.heads ?? 'end';
        const from = s.from && lookup(s.from)?.type !== 'arrow' && lookup(s.from) ? s.from : undefined;
        const to = s.to && lookup(s.to)?.type !== 'arrow' && lookup(s.to) ? s.to : undefined;
        const plain = heads === 'none' && !from && !to && s.route !== 'elbow';
        el = base(s.id, plain ? 'line' : 'arrow', { x: o.x, y: o.y, w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) }, {
          ...common, points: pts, lastCommittedPoint: null,
          startBinding: from ? { elementId: from, focus: 0, gap: 4 } : null,
          endBinding: to ? { elementId: to, focus: 0, gap: 4 } : null,
          startArrowhead: heads === 'start' || heads === 'both' ? 'arrow' : null,
          endArrowhead: heads === 'end' || heads === 'both' ? 'arrow' : null,
          ...(plain ? {} : { elbowed: s.route === 'elbow' }),
          roundness: s.route === 'elbow' ? null : { type: 2 },
        });
        if (from) bind(from, s.id, 'arrow');
        if (to) bind(to, s.id, 'arrow');
        break;
      }
    }
    if (!el) continue;
    elements.push(el);
    byId.set(s.id, el);
    // A label becomes a text element bound to its container.
    if (s.text && s.type !== 'text' && s.type !== 'frame' && s.type !== 'freehand') {
      const tid = `${s.id}-label`.slice(0, 40);
      const fontSize = s.fontSize ?? DEFAULT_FONT_SIZE;
      const t = s.type === 'arrow' ? undefined : layoutLabel(s);
      const lines = t?.lines.map((l) => l.text) ?? (s.text ?? '').split('\n');
      const h = lines.length * fontSize * 1.25;
      const w = Math.max(0, ...(t?.lines.map((l) => l.w) ?? [0]));
      const c = s.type === 'arrow' ? { x: (el.x as number) + (el.width as number) / 2, y: (el.y as number) + (el.height as number) / 2 } : { x: s.x + s.w / 2, y: s.y + s.h / 2 };
      elements.push(textElement(tid, s, s.id, { x: c.x - w / 2, y: c.y - h / 2, w, h }, lines, fontSize, s.align ?? 'center', 'middle'));
      bind(s.id, tid, 'text');
    }
  }
  for (const [id, list] of bound) {
    const el = byId.get(id);
    if (el) el.boundElements = list;
  }
  return { type: 'excalidraw', version: 2, source: 'mockloop', elements, appState: { viewBackgroundColor: '#ffffff', gridSize: null }, files: {} };
}

function num(v: unknown, dflt = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : dflt;
}

function colour(v: unknown): string | undefined {
  return parseColor(v);
}

/**
 * The shapes of an Excalidraw scene (a parsed `.excalidraw` file), in its stacking order
 * (z = position). Ids already in `taken` get fresh ones from `newId`; bindings and labels
 * follow. Deleted elements, images and unknown types are skipped and counted.
 */
export function fromExcalidraw(scene: unknown, newId: () => string, taken: (id: string) => boolean = () => false): { shapes: ImportedShape[]; skipped: number } {
  const els = scene && typeof scene === 'object' && Array.isArray((scene as Json).elements) ? ((scene as Json).elements as unknown[]) : [];
  const live = els.filter((e): e is Json => !!e && typeof e === 'object' && (e as Json).isDeleted !== true).slice(0, MAX_IMPORT_ELEMENTS);
  let skipped = els.length - live.length;
  const idMap = new Map<string, string>();
  for (const e of live) {
    const id = typeof e.id === 'string' ? e.id : '';
    idMap.set(id, ID_RE.test(id) && !taken(id) ? id : newId());
  }
  const labels = new Map<string, Json>(); // container's file id -> its bound text
  for (const e of live) if (e.type === 'text' && typeof e.containerId === 'string') labels.set(e.containerId, e);
  const out: ImportedShape[] = [];
  let z = 0;
  for (const e of live) {
    const id = idMap.get(typeof e.id === 'string' ? e.id : '')!;
    const x = num(e.x), y = num(e.y), w = Math.max(0, num(e.width)), h = Math.max(0, num(e.height));
    const s: ImportedShape = { id, type: 'rect', x, y, w, h, z: z++ };
    const stroke = colour(e.strokeColor);
    if (stroke && stroke !== DEFAULT_COLOR) s.color = stroke;
    const fill = colour(e.backgroundColor);
    if (fill) s.fill = fill;
    const sw = num(e.strokeWidth, DEFAULT_STROKE_WIDTH);
    if (sw !== DEFAULT_STROKE_WIDTH && sw > 0) s.strokeWidth = sw;
    if (e.strokeStyle === 'dashed' || e.strokeStyle === 'dotted') s.dash = e.strokeStyle;
    if (Array.isArray(e.groupIds) && typeof e.groupIds[0] === 'string') s.groupId = e.groupIds[0];
    if (e.locked === true) s.locked = true;
    const label = typeof e.id === 'string' ? labels.get(e.id) : undefined;
    const labelText = label ? (typeof label.originalText === 'string' ? label.originalText : typeof label.text === 'string' ? label.text : '') : '';
    if (labelText) {
      s.text = labelText;
      const fs = num(label!.fontSize, DEFAULT_FONT_SIZE);
      if (fs !== DEFAULT_FONT_SIZE) s.fontSize = fs;
      if (label!.textAlign === 'left' || label!.textAlign === 'right') s.align = label!.textAlign;
    }
    const mine = ((e.customData as Json | undefined)?.mockloop ?? {}) as Json;
    switch (e.type) {
      case 'rectangle':
        if (mine.type === 'sticky' || mine.type === 'icon') s.type = mine.type;
        if (mine.type === 'sticky' && s.fill === '#fde68a') delete s.fill;
        if (mine.type === 'icon' && typeof mine.kind === 'string') s.kind = mine.kind;
        if (mine.type === 'icon' && s.fill === '#ffffff') delete s.fill;
        break;
      case 'ellipse':
      case 'diamond':
        s.type = e.type;
        break;
      case 'frame':
      case 'magicframe':
        s.type = 'frame';
        s.text = typeof e.name === 'string' && e.name ? e.name : 'Frame';
        break;
      case 'text': {
        if (typeof e.containerId === 'string' && idMap.has(e.containerId)) { z--; continue; } // a label, read with its container
        s.type = 'text';
        s.text = typeof e.originalText === 'string' ? e.originalText : typeof e.text === 'string' ? e.text : '';
        if (!s.text) { z--; skipped++; continue; }
        s.x = x - 4;
        s.y = y - 4;
        s.w = e.autoResize === false ? w + 8 : 0;
        s.h = h + 8;
        const fs = num(e.fontSize, DEFAULT_FONT_SIZE);
        if (fs !== DEFAULT_FONT_SIZE) s.fontSize = fs;
        if (e.textAlign === 'center' || e.textAlign === 'right') s.align = e.textAlign;
        delete s.fill;
        break;
      }
      case 'arrow':
      case 'line': {
        const pts = Array.isArray(e.points) ? (e.points as unknown[]).filter((p): p is number[] => Array.isArray(p) && p.length >= 2) : [];
        if (pts.length < 2) { z--; skipped++; continue; }
        const first = pts[0]!, last = pts[pts.length - 1]!;
        s.type = 'arrow';
        s.points = [x + num(first[0]), y + num(first[1]), x + num(last[0]), y + num(last[1])];
        const sa = e.startArrowhead != null, ea = e.endArrowhead != null;
        const heads = sa && ea ? 'both' : sa ? 'start' : ea ? 'end' : 'none';
        if (heads !== 'end') s.heads = heads;
        if (e.elbowed === true) s.route = 'elbow';
        const end = (b: unknown) => {
          const bid = b && typeof b === 'object' ? (b as Json).elementId : undefined;
          return typeof bid === 'string' ? idMap.get(bid) : undefined;
        };
        const from = end(e.startBinding), to = end(e.endBinding);
        if (from) s.from = from;
        if (to) s.to = to;
        delete s.fill;
        break;
      }
      case 'freedraw': {
        const pts = Array.isArray(e.points) ? (e.points as unknown[]).filter((p): p is number[] => Array.isArray(p) && p.length >= 2) : [];
        if (pts.length < 2) { z--; skipped++; continue; }
        s.type = 'freehand';
        s.points = pts.flatMap((p) => [x + num(p[0]), y + num(p[1])]);
        delete s.fill;
        break;
      }
      default:
        z--;
        skipped++;
        continue;
    }
    out.push(s);
  }
  // Excalidraw's fonts are narrower than ours: widen a container (about its centre) whose
  // longest label word would otherwise break between letters.
  for (const s of out) {
    if (!s.text || s.type === 'text' || s.type === 'arrow' || s.type === 'frame' || s.type === 'freehand') continue;
    const widest = Math.max(...s.text.split(/[\s]+/).map((w) => textWidth(w, s.fontSize ?? DEFAULT_FONT_SIZE)));
    const have = textArea(s.type, s).w;
    if (widest <= have) continue;
    const w = s.type === 'ellipse' ? (widest + 4) / 0.7071067811865476 : s.type === 'diamond' ? (widest + 4) * 2 : widest + 16;
    const grow = Math.ceil(w - s.w);
    s.x -= grow / 2;
    s.w += grow;
  }
  // Drop bindings to shapes that were not imported or are arrows.
  const types = new Map(out.map((s) => [s.id, s.type]));
  for (const s of out) {
    if (s.from && (!types.has(s.from) || types.get(s.from) === 'arrow')) delete s.from;
    if (s.to && (!types.has(s.to) || types.get(s.to) === 'arrow')) delete s.to;
  }
  return { shapes: out, skipped };
}
