// The in-place text editor of a shape's label (a frame's name): a textarea over the
// canvas at the shape's screen position. Enter commits, Shift+Enter breaks the line, Esc
// cancels, losing focus commits. An empty free-text shape is deleted on commit.

import { h } from '../lib/dom';
import type { BoardModel } from './model';
import type { Shape } from './types';

export class TextEditor {
  private ta: HTMLTextAreaElement | null = null;

  constructor(
    private readonly model: BoardModel,
    private readonly parent: HTMLElement,
    private readonly done: () => void,
  ) {}

  get open(): boolean {
    return this.ta !== null;
  }

  /** Opens over `s`; `vp` maps board units to the parent's pixels. */
  edit(s: Shape, vp: { x: number; y: number; zoom: number }): void {
    this.commit();
    const box = s.type === 'frame' ? { x: s.x, y: s.y - 30, w: Math.max(160, s.w / 2), h: 28 } : s;
    const ta = h('textarea', {
      class: 'board-editor',
      'aria-label': 'Shape text (Enter to finish, Shift+Enter for a new line)',
      'data-testid': 'board-text-editor',
      style: `left:${(box.x - vp.x) * vp.zoom}px;top:${(box.y - vp.y) * vp.zoom}px;width:${Math.max(120, box.w * vp.zoom)}px;height:${Math.max(28, box.h * vp.zoom)}px`,
    });
    ta.value = s.text ?? '';
    ta.dataset.id = s.id;
    ta.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.commit();
        this.done();
      } else if (e.key === 'Escape') {
        this.ta = null;
        ta.remove();
        this.done();
      }
    });
    ta.addEventListener('blur', () => this.commit());
    this.parent.append(ta);
    this.ta = ta;
    ta.focus();
    ta.select();
  }

  commit(): void {
    const ta = this.ta;
    if (!ta) return;
    this.ta = null;
    const id = ta.dataset.id!;
    const s = this.model.get(id);
    if (s) {
      if (!ta.value.trim() && s.type === 'text') this.model.remove([id]);
      else this.model.update(id, { text: ta.value });
    }
    this.model.undo.stopCapturing();
    ta.remove();
  }
}
