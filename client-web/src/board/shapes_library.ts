// The board's shape library: what the toolbar and its search offer. Generic shapes are
// presets of the model's types (docs/board-model.md); the system-design components are
// `icon` shapes whose pictures are data/shape_library.json (our own stroke paths on a
// 24x24 grid), read by the server's renderer too. Pure data plus a search function: the
// view decides how to show and place them.

import data from './data/shape_library.json';
import type { Shape } from './types';

export interface LibraryEntry {
  /** Unique id within the library (an icon's id is its `kind`). */
  id: string;
  label: string;
  keywords: string[];
  /** The fields a new shape of this entry starts with (position and id added by the caller). */
  preset: Partial<Omit<Shape, 'id' | 'x' | 'y' | 'z'>> & Pick<Shape, 'type'>;
  /** Default size when placed with a click. */
  w: number;
  h: number;
  /** Icon paths (24x24 grid) for the toolbar; absent for generic shapes. */
  paths?: string[];
}

export interface IconDef {
  kind: string;
  label: string;
  keywords: string[];
  paths: string[];
}

export const ICONS: readonly IconDef[] = data.icons;
const byKind = new Map(ICONS.map((i) => [i.kind, i]));

/** The icon of `kind`, or the generic component icon for a kind this client does not know. */
export function iconFor(kind: string | undefined): IconDef {
  return byKind.get(kind ?? '') ?? byKind.get('generic')!;
}

const generic: LibraryEntry[] = [
  { id: 'rect', label: 'Rectangle', keywords: ['box', 'rectangle', 'square'], preset: { type: 'rect' }, w: 140, h: 80 },
  { id: 'ellipse', label: 'Ellipse', keywords: ['circle', 'ellipse', 'oval'], preset: { type: 'ellipse' }, w: 140, h: 80 },
  { id: 'diamond', label: 'Diamond', keywords: ['decision', 'diamond', 'rhombus'], preset: { type: 'diamond' }, w: 140, h: 100 },
  { id: 'sticky', label: 'Sticky note', keywords: ['note', 'sticky', 'post-it'], preset: { type: 'sticky' }, w: 160, h: 120 },
  { id: 'text', label: 'Text', keywords: ['text', 'label', 'words'], preset: { type: 'text' }, w: 0, h: 28 },
  { id: 'line', label: 'Line', keywords: ['line', 'connector'], preset: { type: 'arrow', heads: 'none' }, w: 160, h: 0 },
  { id: 'arrow', label: 'Arrow', keywords: ['arrow', 'connector', 'flow'], preset: { type: 'arrow' }, w: 160, h: 0 },
  { id: 'arrow2', label: 'Two-headed arrow', keywords: ['arrow', 'both', 'bidirectional', 'two-way'], preset: { type: 'arrow', heads: 'both' }, w: 160, h: 0 },
  { id: 'elbow', label: 'Elbow arrow', keywords: ['elbow', 'orthogonal', 'arrow', 'connector'], preset: { type: 'arrow', route: 'elbow' }, w: 160, h: 80 },
  { id: 'dashed-arrow', label: 'Dashed arrow', keywords: ['dashed', 'async', 'arrow'], preset: { type: 'arrow', dash: 'dashed' }, w: 160, h: 0 },
  { id: 'dashed-line', label: 'Dashed line', keywords: ['dashed', 'line', 'boundary'], preset: { type: 'arrow', heads: 'none', dash: 'dashed' }, w: 160, h: 0 },
  { id: 'frame', label: 'Frame', keywords: ['frame', 'area', 'section', 'group'], preset: { type: 'frame', text: 'Frame' }, w: 480, h: 320 },
];

/** Every entry the toolbar can place: generic shapes first, then the system-design icons. */
export const SHAPE_LIBRARY: readonly LibraryEntry[] = [
  ...generic,
  ...ICONS.filter((i) => i.kind !== 'generic').map((i) => ({
    id: i.kind,
    label: i.label,
    keywords: i.keywords,
    preset: { type: 'icon' as const, kind: i.kind, text: i.label },
    w: 140,
    h: 90,
    paths: i.paths,
  })),
];

/** Entries whose label, id or keywords contain every word of `query` (case-insensitive); all for an empty query. */
export function searchLibrary(query: string): LibraryEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return SHAPE_LIBRARY.filter((e) => {
    const hay = [e.id, e.label, ...e.keywords].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
