// The toolbar's pop-overs: a <details> that closes when one of its buttons was used, on
// Escape, and on a pointer press outside it. Used by the "⋯" menu (export, import, the
// round's template, phase following, shortcut help) and the shape library, so the toolbar
// stays one row at 1280 px. DOM only.

import { h } from '../lib/dom';

/** Makes `menu` close on a press outside it or on Escape (listening only while it is open). */
export function closeOnOutside(menu: HTMLDetailsElement): void {
  const onDown = (e: PointerEvent) => {
    if (!menu.contains(e.target as Node)) menu.open = false;
  };
  menu.addEventListener('toggle', () => {
    if (menu.open) document.addEventListener('pointerdown', onDown, true);
    else document.removeEventListener('pointerdown', onDown, true);
  });
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      menu.open = false;
      (menu.querySelector('summary') as HTMLElement | null)?.focus();
    }
  });
}

/** The "⋯" menu holding `items` (buttons close it after their action; checkboxes do not). */
export function moreMenu(items: (HTMLElement | null)[]): HTMLDetailsElement {
  const panel = h('div', { class: 'board-menu-panel', role: 'menu' }, ...items);
  panel.addEventListener('click', (e) => {
    const b = (e.target as Element).closest?.('button');
    if (b) queueMicrotask(() => (menu.open = false));
  });
  const menu = h(
    'details',
    { class: 'board-menu', 'data-testid': 'board-menu' },
    h('summary', { title: 'More: export, import, template, shortcuts', 'aria-label': 'More board actions', 'data-testid': 'board-menu-open' }, '⋯'),
    panel,
  ) as HTMLDetailsElement;
  closeOnOutside(menu);
  return menu;
}

/** A labelled group inside the menu. */
export function menuSection(label: string, ...children: (HTMLElement | null)[]): HTMLElement {
  return h('div', { class: 'board-menu-section', role: 'group', 'aria-label': label }, h('div', { class: 'props-label' }, label), h('div', { class: 'board-menu-row' }, ...children));
}
