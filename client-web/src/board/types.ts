// Plain-data view of a whiteboard shape, as described in docs/board-model.md.

export type ShapeType = 'rect' | 'ellipse' | 'diamond' | 'arrow' | 'text' | 'sticky' | 'freehand';
export const SHAPE_TYPES: readonly ShapeType[] = ['rect', 'ellipse', 'diamond', 'arrow', 'text', 'sticky', 'freehand'];

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
}

export interface Point {
  x: number;
  y: number;
}

export const DEFAULT_COLOR = '#1f2937';
export const STICKY_FILL = '#fde68a';
