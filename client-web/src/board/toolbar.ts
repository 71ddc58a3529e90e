// The whiteboard's toolbar: tools, undo/redo, duplicate/paste/delete, snap, zoom, follow,
// and the "⋯" menu (board_menu.ts) with export, import, the round's template and the
// shortcut sheet, so the row fits 900 px (the board at 1280 px beside the side panel).
// A read-only board (observers; a candidate whose shared doc is not editable) gets no
// editing control at all. DOM only; actions are callbacks.

import { h } from '../lib/dom';
import { menuSection, moreMenu } from './board_menu';
import { TOOLS, type Tool } from './keys';

export interface ToolbarActions {
  setTool(t: Tool): void;
  undo(): void;
  redo(): void;
  duplicate(): void;
  paste(): void;
  deleteSelection(): void;
  toggleSnap(): void;
  zoomBy(f: number): void;
  zoomToFit(): void;
  follow(clientId: number | null): void;
  exportSvg(): void;
  exportPng(): void;
  openShortcuts(): void;
}

/** What other modules add to the "⋯" menu. */
export interface MenuExtras {
  /** After Export SVG / PNG (e.g. `.excalidraw`). */
  exports: HTMLElement[];
  /** Import controls (editors only). */
  imports: HTMLElement[];
  /** The round's template and phase following (hidden when the round has none). */
  round: HTMLElement | null;
}

export interface Toolbar {
  el: HTMLElement;
  menu: HTMLDetailsElement;
  toolButtons: Map<Tool, HTMLButtonElement>;
  followSelect: HTMLSelectElement;
  zoomLabel: HTMLSpanElement;
  snapButton: HTMLButtonElement | null;
}

export function buildToolbar(a: ToolbarActions, viewOnly: boolean, extras: MenuExtras): Toolbar {
  const el = h('div', { class: 'board-toolbar', role: 'toolbar', 'aria-label': 'Whiteboard tools' });
  const toolButtons = new Map<Tool, HTMLButtonElement>();
  for (const t of TOOLS) {
    if (viewOnly && t.edits) continue;
    const b = h(
      'button',
      { type: 'button', class: 'tool', title: `${t.label} (${t.key.toUpperCase()})`, 'aria-label': t.label, 'aria-pressed': 'false', 'data-testid': `tool-${t.tool}`, onclick: () => a.setTool(t.tool) },
      t.icon,
    );
    toolButtons.set(t.tool, b);
    el.append(b);
  }
  const btn = (label: string, title: string, testid: string | undefined, onclick: () => void, text: string) =>
    h('button', { type: 'button', 'aria-label': label, title, 'data-testid': testid, onclick }, text);
  const zoomLabel = h('span', { class: 'zoom-label', 'aria-live': 'polite' }, '100%');
  const followSelect = h('select', {
    'aria-label': 'Follow a participant',
    'data-testid': 'board-follow',
    onchange: (e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      a.follow(v ? Number(v) : null);
    },
  });
  const snapButton = viewOnly
    ? null
    : h('button', { type: 'button', 'aria-label': 'Snap to grid', title: "Snap to grid (Ctrl+')", 'aria-pressed': 'false', 'data-testid': 'board-snap', onclick: () => a.toggleSnap() }, '#');
  const menu = moreMenu([
    menuSection(
      'Export',
      btn('Export SVG', 'Export the board as SVG', 'export-svg', () => a.exportSvg(), 'SVG'),
      btn('Export PNG', 'Export the board as PNG', 'export-png', () => a.exportPng(), 'PNG'),
      ...extras.exports,
    ),
    extras.imports.length ? menuSection('Import', ...extras.imports) : null,
    extras.round,
    menuSection('Help', btn('Keyboard shortcuts', 'Keyboard shortcuts (?)', 'board-help', () => a.openShortcuts(), 'Shortcuts ?')),
  ]);
  el.append(
    h('span', { class: 'sep' }),
    ...(viewOnly
      ? [h('span', { class: 'view-only muted', 'data-testid': 'board-view-only' }, 'View only')]
      : [
          btn('Undo my last change', 'Undo (Ctrl+Z)', 'board-undo', () => a.undo(), '↶'),
          btn('Redo', 'Redo (Ctrl+Shift+Z)', 'board-redo', () => a.redo(), '↷'),
          btn('Duplicate selection', 'Duplicate (Ctrl+D)', 'board-duplicate', () => a.duplicate(), 'Dup'),
          btn('Paste', 'Paste (Ctrl+V)', 'board-paste', () => a.paste(), 'Paste'),
          btn('Delete selection', 'Delete (Del)', 'board-delete', () => a.deleteSelection(), '✕'),
          snapButton!,
        ]),
    h('span', { class: 'sep' }),
    btn('Zoom out', 'Zoom out (-)', undefined, () => a.zoomBy(1 / 1.2), '−'),
    zoomLabel,
    btn('Zoom in', 'Zoom in (+)', undefined, () => a.zoomBy(1.2), '+'),
    btn('Zoom to fit', 'Zoom to fit', undefined, () => a.zoomToFit(), 'Fit'),
    h('span', { class: 'sep' }),
    followSelect,
    menu,
  );
  return { el, menu, toolButtons, followSelect, zoomLabel, snapButton };
}
