// Plain-data view of a whiteboard shape, as described in docs/board-model.md (v2). The
// server's renderer (server/loop/board_*.cpp) reads the same fields with the same defaults;
// tests/fixtures/board/*.json holds the cases both must agree on.

export type ShapeType = 'rect' | 'ellipse' | 'diamond' | 'arrow' | 'text' | 'sticky' | 'freehand' | 'frame' | 'icon';
export const SHAPE_TYPES: readonly ShapeType[] = ['rect', 'ellipse', 'diamond', 'arrow', 'text', 'sticky', 'freehand', 'frame', 'icon'];
/** Shapes that carry a wrapped label inside their box. */
export const BOXED_TYPES: readonly ShapeType[] = ['rect', 'ellipse', 'diamond', 'sticky', 'icon'];

export type Dash = 'dashed' | 'dotted';
export type Align = 'left' | 'center' | 'right';
/** What happens when a label does not fit its box: the box grows (default), the text shrinks, or nothing. */
export type Fit = 'grow' | 'shrink' | 'none';
export type Heads = 'none' | 'start' | 'end' | 'both';
export type Route = 'straight' | 'elbow';

export interface Shape {
  id: string;
  type: ShapeType;
  x: number;
  y: number;
  w: number;
  /** The drawn height: for fit=grow, max(stored h, what the text needs) - see layoutText. */
  h: number;
  z: number;
  color?: string;
  fill?: string;
  text?: string;
  points?: number[];
  from?: string;
  to?: string;
  /** Shapes sharing a groupId are selected, moved and copied together. */
  groupId?: string;
  /** A locked shape is drawn but not picked by clicks or the marquee (unlocked from the context menu), moved, resized, restyled or deleted. */
  locked?: boolean;
  /** Stroke width in board units; absent = 2. */
  strokeWidth?: number;
  /** Stroke pattern; absent = solid. */
  dash?: Dash;
  /** Font size of the label / text in board units; absent = 16. */
  fontSize?: number;
  /** Horizontal alignment of the text; absent = left for `text`, center for labels. */
  align?: Align;
  /** Label overflow rule; absent = grow. */
  fit?: Fit;
  /** Arrowheads; absent = end. */
  heads?: Heads;
  /** Arrow path; absent = straight. */
  route?: Route;
  /** Icon kind of an `icon` shape (shape_library.ts); unknown kinds draw the generic box. */
  kind?: string;
  /** The stored height before growing to fit (only when it differs from `h`). */
  minH?: number;
  /** Frames from a round's template: the id of the phase (content/phases) the frame belongs to. */
  phase?: string;
}

export interface Point {
  x: number;
  y: number;
}

export const DEFAULT_COLOR = '#1f2937';
export const STICKY_FILL = '#fde68a';
export const DEFAULT_STROKE_WIDTH = 2;
/** Largest stroke width a renderer draws; larger values are clamped. */
export const MAX_STROKE_WIDTH = 16;
export const DEFAULT_FONT_SIZE = 16;
/** Font sizes are clamped to [MIN_FONT_SIZE, MAX_FONT_SIZE]; shrink-to-fit stops at the minimum. */
export const MIN_FONT_SIZE = 8;
export const MAX_FONT_SIZE = 96;
/** The model version this client writes (docs/board-model.md, "Versions"). */
export const BOARD_VERSION = 2;
