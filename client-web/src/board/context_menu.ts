// The canvas's right-click menu: a short list of actions for the shape under the pointer.
// It is the only way to reach a locked shape (clicks and the marquee pass over it), so a
// locked shape offers "Unlock" here. DOM only: the view supplies the items and runs them.

import { h } from '../lib/dom';

export interface ContextItem {
  label: string;
  /** data-testid of the item's button. */
  testid: string;
  run(): void;
}

/** Opens the menu at `at` (pixels in `parent`); closes on a choice, Escape, or a press elsewhere. Returns a closer. */
export function openContextMenu(parent: HTMLElement, at: { x: number; y: number }, items: ContextItem[], closed: () => void): () => void {
  const menu = h('div', { class: 'board-context', role: 'menu', 'data-testid': 'board-context-menu', style: `left:${at.x}px;top:${at.y}px` });
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    document.removeEventListener('pointerdown', onDown, true);
    menu.remove();
    closed();
  };
  const onDown = (e: PointerEvent) => {
    if (!menu.contains(e.target as Node)) close();
  };
  for (const it of items) {
    menu.append(
      h('button', { type: 'button', role: 'menuitem', 'data-testid': it.testid, onclick: () => { close(); it.run(); } }, it.label),
    );
  }
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
    e.stopPropagation();
  });
  document.addEventListener('pointerdown', onDown, true);
  parent.append(menu);
  (menu.querySelector('button') as HTMLButtonElement | null)?.focus();
  return close;
}
