// Copy, cut, paste and duplicate of whiteboard shapes. A copied selection travels as JSON
// text `{"type":"mockloop/board-clip","version":1,"shapes":[...]}` through the system
// clipboard (the page's copy/paste events, so no permission prompt), which carries it
// between boards, rooms and tabs; an in-memory copy is the fallback when the clipboard
// yields nothing (a paste button, a browser without clipboard events). Pasted shapes get
// fresh ids; groups and arrow attachments inside the clip are remapped, attachments to
// shapes outside it are dropped (the arrow keeps its drawn position). Keys this client does
// not know (a newer client's fields) travel with the shape and are written back on paste,
// as docs/board-model.md asks of every writer ("unknown keys are kept round-trip").

import { step } from './arrange';
import { arrowEndpoints } from './geometry';
import { newId, readShape, type BoardModel, type ShapeMap } from './model';
import { shapeBox, unionBox, type Lookup } from './selection';
import { STORED_KEYS } from './shape';
import type { Point, Shape } from './types';

/** A pasted shape: the validated known fields plus the unknown keys it carried. */
export type ClipShape = Shape & { extra?: Record<string, unknown> };
/** Most unknown keys one pasted shape keeps (the rest are dropped). */
export const MAX_CLIP_EXTRA_KEYS = 64; // default
/** Longest unknown key name a paste keeps. */
export const MAX_CLIP_KEY_LENGTH = 64; // default
const KNOWN = new Set([...STORED_KEYS, 'id', 'minH']);

export const CLIP_TYPE = 'mockloop/board-clip';
/** Most shapes one paste adds (a whole 2,000-shape board fits). */
export const MAX_PASTE_SHAPES = 2000; // default
/** Largest clipboard text a paste reads, in characters. */
export const MAX_PASTE_CHARS = 4 * 1024 * 1024; // default 4 Mi
/** Longest text a pasted shape keeps; longer text is cut. */
export const MAX_PASTE_TEXT = 10_000; // default

let memory: string | null = null;

/**
 * The clip's JSON for `ids`; attached arrow ends are frozen at their drawn position, a grown
 * shape keeps its stored height, and `raw` (the stored keys, BoardModel.raw) adds the keys
 * this client does not know.
 */
export function serializeClip(ids: Iterable<string>, lookup: Lookup, raw?: (id: string) => Record<string, unknown> | undefined): string {
  const shapes: Record<string, unknown>[] = [];
  for (const id of ids) {
    const s = lookup(id);
    if (!s) continue;
    const unknown: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw?.(id) ?? {})) if (!KNOWN.has(k)) unknown[k] = v;
    const { minH, ...known } = s;
    const out: Record<string, unknown> = { ...unknown, ...known };
    if (minH !== undefined) out.h = minH;
    if (s.type === 'arrow') {
      const [a, b] = arrowEndpoints(s, lookup);
      out.points = [a.x, a.y, b.x, b.y];
    }
    shapes.push(out);
  }
  const text = JSON.stringify({ type: CLIP_TYPE, version: 1, shapes });
  memory = text;
  return text;
}

/** Shapes of a clip, validated like a doc's shapes (malformed ones skipped); null when `text` is not a clip. */
export function parseClip(text: string | null | undefined): ClipShape[] | null {
  if (!text || text.length > MAX_PASTE_CHARS) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const o = v as { type?: unknown; shapes?: unknown };
  if (!o || o.type !== CLIP_TYPE || !Array.isArray(o.shapes)) return null;
  const out: ClipShape[] = [];
  for (const raw of o.shapes.slice(0, MAX_PASTE_SHAPES)) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as Record<string, unknown>;
    // Reuse the doc reader (it only calls get) so a clip obeys the rules of docs/board-model.md.
    const own = (k: string) => (Object.prototype.hasOwnProperty.call(r, k) ? r[k] : undefined);
    const s: ClipShape | undefined = readShape(typeof r.id === 'string' ? r.id : newId(), { get: own } as unknown as ShapeMap);
    if (!s) continue;
    const extra = Object.keys(r)
      .filter((k) => !KNOWN.has(k) && k.length <= MAX_CLIP_KEY_LENGTH && r[k] !== undefined && r[k] !== null)
      .slice(0, MAX_CLIP_EXTRA_KEYS);
    if (extra.length) s.extra = Object.fromEntries(extra.map((k) => [k, r[k]]));
    if (s.text && s.text.length > MAX_PASTE_TEXT) s.text = s.text.slice(0, MAX_PASTE_TEXT);
    out.push(s);
  }
  return out;
}

export function memoryClip(): string | null {
  return memory;
}

/**
 * Adds `shapes` to the board in one undoable step, with their bounding box's centre at
 * `at` (or shifted by `offset` when `at` is not given); returns the new ids.
 */
export function pasteShapes(model: BoardModel, shapes: ClipShape[], at: Point | null, offset = 20): string[] {
  if (!shapes.length) return [];
  const byId = new Map(shapes.map((s) => [s.id, s]));
  const box = unionBox(shapes.map((s) => shapeBox(s, (id) => byId.get(id))))!;
  const dx = at ? Math.round(at.x - (box.x + box.w / 2)) : offset;
  const dy = at ? Math.round(at.y - (box.y + box.h / 2)) : offset;
  const ids = new Map(shapes.map((s) => [s.id, newId()]));
  const groups = new Map<string, string>();
  const sorted = shapes.slice().sort((a, b) => a.z - b.z);
  let z = model.maxZ();
  let zFrame = model.minZ();
  const out: string[] = [];
  model.prepare();
  step(model, () => {
    for (const s of sorted) {
      const { id, from, to, groupId, locked: _locked, extra, ...rest } = s;
      const copy: Omit<Shape, 'id'> & { id: string } = { ...rest, id: ids.get(id)!, x: s.x + dx, y: s.y + dy, z: s.type === 'frame' ? --zFrame : ++z };
      if (s.points) copy.points = s.points.map((v, i) => v + (i % 2 === 0 ? dx : dy));
      if (from && ids.has(from)) copy.from = ids.get(from);
      if (to && ids.has(to)) copy.to = ids.get(to);
      if (groupId) {
        if (!groups.has(groupId)) groups.set(groupId, newId());
        copy.groupId = groups.get(groupId);
      }
      out.push(model.add(copy, extra));
    }
  });
  return out;
}

/** What the clipboard binding needs from the canvas. */
export interface ClipboardHost {
  readonly model: BoardModel;
  readonly readOnly: boolean;
  /** True while the canvas has focus and no text editor is open. */
  active(): boolean;
  selection(): Set<string>;
  /** The pointer over the canvas (board units), or null when it is elsewhere. */
  pointer(): Point | null;
  select(ids: string[]): void;
  deleteSelection(): void;
}

/**
 * Answers the document's copy/cut/paste events while the canvas is active. A paste of
 * plain text that is not a clip becomes a text shape; with no clipboard data at all (or no
 * paste event within PASTE_WAIT_MS of Ctrl+V) the in-memory clip is pasted.
 */
export class ClipboardBinding {
  private pasteTimer: number | undefined;
  private readonly onCopy = (e: ClipboardEvent) => this.onEvent(e, 'copy');
  private readonly onCut = (e: ClipboardEvent) => this.onEvent(e, 'cut');
  private readonly onPaste = (e: ClipboardEvent) => this.onEvent(e, 'paste');

  constructor(private readonly host: ClipboardHost) {
    document.addEventListener('copy', this.onCopy);
    document.addEventListener('cut', this.onCut);
    document.addEventListener('paste', this.onPaste);
  }

  destroy(): void {
    document.removeEventListener('copy', this.onCopy);
    document.removeEventListener('cut', this.onCut);
    document.removeEventListener('paste', this.onPaste);
  }

  private onEvent(e: ClipboardEvent, kind: 'copy' | 'cut' | 'paste'): void {
    const host = this.host;
    if (!host.active()) return;
    if (kind === 'paste') {
      window.clearTimeout(this.pasteTimer);
      this.pasteTimer = undefined;
      if (host.readOnly) return;
      e.preventDefault();
      this.pasteText(e.clipboardData?.getData('text/plain') ?? '', host.pointer());
      return;
    }
    const sel = host.selection();
    if (!sel.size) return;
    e.clipboardData?.setData('text/plain', serializeClip(sel, host.model.lookup, host.model.raw));
    e.preventDefault();
    if (kind === 'cut' && !host.readOnly) host.deleteSelection();
  }

  private pasteText(text: string, at: Point | null): void {
    const host = this.host;
    const shapes = parseClip(text);
    if (shapes) return host.select(pasteShapes(host.model, shapes, at));
    if (text.trim()) {
      const t = text.slice(0, MAX_PASTE_TEXT);
      const lines = t.split('\n');
      const w = Math.min(600, 12 + 9 * Math.max(...lines.map((l) => l.length))), h = 12 + 20 * lines.length;
      const p = at ?? { x: 40, y: 40 };
      host.model.prepare();
      let id = '';
      step(host.model, () => (id = host.model.add({ type: 'text', x: Math.round(p.x - w / 2), y: Math.round(p.y - h / 2), w, h, text: t })));
      return host.select([id]);
    }
    const mem = parseClip(memoryClip());
    if (mem) host.select(pasteShapes(host.model, mem, at));
  }

  /** Call on Ctrl+V: pastes the in-memory clip if the browser sends no paste event. */
  expectPaste(): void {
    window.clearTimeout(this.pasteTimer);
    this.pasteTimer = window.setTimeout(() => {
      this.pasteTimer = undefined;
      if (!this.host.readOnly) this.pasteText('', this.host.pointer());
    }, PASTE_WAIT_MS);
  }

  /** The toolbar's Paste: the system clipboard if the page may read it, else the in-memory clip. */
  async pasteFromButton(): Promise<void> {
    let text = '';
    try {
      text = await navigator.clipboard.readText();
    } catch {
      // No permission or no clipboard API: the in-memory clip.
    }
    if (!this.host.readOnly) this.pasteText(text, null);
  }
}

/** How long after Ctrl+V a paste event may arrive before the in-memory clip is used. */
export const PASTE_WAIT_MS = 100; // default
