// Plain-data view of a whiteboard shape, as described in docs/board-model.md.

export type ShapeType = 'rect' | 'ellipse' | 'diamond' | 'arrow' | 'text' | 'sticky' | 'freehand' | 'frame';
export const SHAPE_TYPES: readonly ShapeType[] = ['rect', 'ellipse', 'diamond', 'arrow', 'text', 'sticky', 'freehand', 'frame'];

export type Dash = 'dashed' | 'dotted';

export interface Shape {
  id: string;
  type: ShapeType;
  x: number;
  y: number;
  w: number;
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
  /** A locked shape is drawn and selectable but not moved, resized, restyled or deleted. */
  locked?: boolean;
  /** Stroke width in board units; absent = 2. */
  strokeWidth?: number;
  /** Stroke pattern; absent = solid. */
  dash?: Dash;
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
