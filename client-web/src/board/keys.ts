// The whiteboard's key bindings (listed for users in shortcuts.ts): maps a keydown on the
// canvas to a command of BoardCommands. Copy, cut and paste are not here: the browser turns
// Ctrl+C/X/V into clipboard events, which clipboard handling in view.ts answers.

import type { ZMove } from './arrange';

export type Tool = 'select' | 'pan' | 'rect' | 'ellipse' | 'diamond' | 'arrow' | 'text' | 'sticky' | 'freehand' | 'frame' | 'laser';

export const TOOLS: { tool: Tool; label: string; key: string; icon: string; edits: boolean }[] = [
  { tool: 'select', label: 'Select and move', key: 'v', icon: '↖', edits: false },
  { tool: 'pan', label: 'Pan', key: 'h', icon: '⇕', edits: false },
  { tool: 'rect', label: 'Box', key: 'r', icon: '▭', edits: true },
  { tool: 'ellipse', label: 'Ellipse', key: 'o', icon: '◯', edits: true },
  { tool: 'diamond', label: 'Diamond', key: 'd', icon: '◇', edits: true },
  { tool: 'arrow', label: 'Arrow (drag from one shape to another)', key: 'a', icon: '→', edits: true },
  { tool: 'text', label: 'Text', key: 't', icon: 'T', edits: true },
  { tool: 'sticky', label: 'Sticky note', key: 's', icon: '▤', edits: true },
  { tool: 'freehand', label: 'Freehand', key: 'p', icon: '✎', edits: true },
  { tool: 'frame', label: 'Frame (a named area)', key: 'f', icon: '⬚', edits: true },
  { tool: 'laser', label: 'Laser pointer', key: 'k', icon: '✦', edits: false },
];

export interface BoardCommands {
  readonly readOnly: boolean;
  readonly hasSelection: boolean;
  undo(): void;
  redo(): void;
  selectAll(): void;
  clearSelection(): void;
  duplicate(): void;
  deleteSelection(): void;
  group(): void;
  ungroup(): void;
  lock(): void;
  restack(how: ZMove): void;
  toggleSnap(): void;
  editSelected(): void;
  nudge(dx: number, dy: number): void;
  zoomBy(f: number): void;
  resetZoom(): void;
  newBox(): void;
  setTool(t: Tool): void;
  openShortcuts(): void;
}

/** Handles `e` if it is a board shortcut (calling preventDefault when the browser has its own meaning). */
export function handleKey(c: BoardCommands, e: KeyboardEvent): void {
  const mod = e.ctrlKey || e.metaKey;
  const k = e.key.toLowerCase();
  const edit = !c.readOnly;
  const run = (fn: () => void) => {
    e.preventDefault();
    fn();
  };
  if (mod) {
    if (k === 'z') return run(() => (e.shiftKey ? c.redo() : c.undo()));
    if (k === 'y') return run(() => c.redo());
    if (k === 'a') return run(() => c.selectAll());
    if (k === 'd' && edit) return run(() => c.duplicate());
    if (k === 'g' && edit) return run(() => (e.shiftKey ? c.ungroup() : c.group()));
    if (k === 'l' && e.shiftKey && edit) return run(() => c.lock());
    if ((e.code === 'BracketRight' || k === ']' || k === '}') && edit) return run(() => c.restack(e.shiftKey ? 'front' : 'forward'));
    if ((e.code === 'BracketLeft' || k === '[' || k === '{') && edit) return run(() => c.restack(e.shiftKey ? 'back' : 'backward'));
    if (k === "'") return run(() => c.toggleSnap());
    return;
  }
  if (e.key === '?') return run(() => c.openShortcuts());
  if ((e.key === 'Delete' || e.key === 'Backspace') && edit) return run(() => c.deleteSelection());
  if (e.key === 'Escape') {
    c.clearSelection();
    c.setTool('select');
    return;
  }
  if (e.key === 'Enter' && edit && c.hasSelection) return run(() => c.editSelected());
  const arrows: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  const mv = arrows[e.key];
  if (mv) {
    const step = e.shiftKey ? 50 : 10;
    return run(() => c.nudge(mv[0] * step, mv[1] * step));
  }
  if (e.key === '+' || e.key === '=') return c.zoomBy(1.2);
  if (e.key === '-') return c.zoomBy(1 / 1.2);
  if (e.key === '0') return c.resetZoom();
  if (k === 'n' && edit) return c.newBox();
  const t = TOOLS.find((x) => x.key === k);
  if (t && (edit || !t.edits)) c.setTool(t.tool);
}
