// The whiteboard's keyboard shortcuts as data, and the sheet that lists them (opened with
// `?`). BoardView's key handler implements them; this table is what the user reads, so a
// new shortcut is added in both places.

import { h } from '../lib/dom';

export const SHORTCUTS: { section: string; keys: [string, string][] }[] = [
  {
    section: 'Tools',
    keys: [
      ['V', 'Select'],
      ['H', 'Pan (or hold Space, or drag with the middle button)'],
      ['R / O / D', 'Box / ellipse / diamond'],
      ['A', 'Arrow (drag from one shape to another)'],
      ['T / S / P', 'Text / sticky note / freehand'],
      ['F', 'Frame (a named area that carries what is inside it)'],
      ['K', 'Laser pointer (the others see its trail)'],
      ['N', 'New box in the middle of the view'],
    ],
  },
  {
    section: 'Selection',
    keys: [
      ['Drag on empty canvas', 'Select the shapes inside the box'],
      ['Shift+click', 'Add to or remove from the selection'],
      ['Ctrl+A', 'Select all'],
      ['Esc', 'Clear the selection'],
      ['Enter / double-click', 'Edit the text'],
      ['Arrow keys (Shift: ×5)', 'Move the selection'],
      ['Drag an arrow end', 'Attach it to another shape'],
      ['Drag a shape', "Snaps to other shapes' edges and centres (hold Alt: no snapping)"],
      ['Right-click a shape', 'Shape menu; the only way to pick a locked shape (Unlock)'],
      ['Double-click an arrow', 'Edit its label'],
    ],
  },
  {
    section: 'Edit',
    keys: [
      ['Ctrl+C / Ctrl+X / Ctrl+V', 'Copy / cut / paste (works between boards)'],
      ['Ctrl+D', 'Duplicate'],
      ['Delete', 'Delete'],
      ['Ctrl+Z / Ctrl+Shift+Z', 'Undo / redo your own changes'],
      ['Ctrl+G / Ctrl+Shift+G', 'Group / ungroup'],
      ['Ctrl+Shift+L', 'Lock (a locked shape is passed over by clicks and the marquee)'],
      ['Ctrl+] / Ctrl+[', 'Bring forward / send backward'],
      ['Ctrl+Shift+] / Ctrl+Shift+[', 'Bring to front / send to back'],
      ["Ctrl+'", 'Snap to grid on/off'],
    ],
  },
  {
    section: 'View',
    keys: [
      ['+ / − / 0', 'Zoom in / out / reset'],
      ['Ctrl+wheel', 'Zoom at the pointer'],
      ['?', 'This sheet'],
    ],
  },
];

/** Opens the sheet over `parent`; Esc, `?` or the close button closes it. Returns the dialog. */
export function openShortcutSheet(parent: HTMLElement, onClose: () => void): HTMLElement {
  const close = () => {
    dlg.remove();
    onClose();
  };
  const dlg = h(
    'div',
    {
      class: 'board-shortcuts',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': 'Keyboard shortcuts',
      'data-testid': 'board-shortcuts',
      tabindex: -1,
      onkeydown: (e: KeyboardEvent) => {
        if (e.key === 'Escape' || e.key === '?') {
          e.preventDefault();
          e.stopPropagation();
          close();
        }
      },
    },
    h('div', { class: 'sheet-head' }, h('strong', {}, 'Keyboard shortcuts'), h('button', { type: 'button', 'aria-label': 'Close shortcuts', onclick: close }, '✕')),
    h(
      'div',
      { class: 'sheet-body' },
      SHORTCUTS.map((s) =>
        h('section', {}, h('h3', {}, s.section), h('dl', {}, s.keys.map(([k, what]) => [h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)]).flat())),
      ),
    ),
  );
  parent.append(dlg);
  dlg.focus();
  return dlg;
}
