// The two menu buttons for `.excalidraw` files: export the board, import a file's shapes
// into it (kept where they were drawn, above everything, ids renamed when taken). A small
// hook the board view places in the toolbar's "⋯" menu; the conversion is excalidraw.ts.

import { h } from '../lib/dom';
import { fromExcalidraw, MAX_IMPORT_BYTES, toExcalidraw } from './excalidraw';
import { newId, type BoardModel } from './model';

export interface ExcalidrawMenuOptions {
  fileName?: string;
  /** View-only boards get the export button only. */
  readOnly?: boolean;
  /** Called with the new shapes' ids after an import (e.g. to zoom to fit). */
  onImported?: (ids: string[]) => void;
  /** Called with a short message when a file cannot be imported. */
  onError?: (message: string) => void;
}

/** Reads `text` as an Excalidraw scene and adds its shapes to `model`; returns the new ids. */
export function importExcalidrawText(model: BoardModel, text: string): string[] {
  const scene = JSON.parse(text) as unknown;
  if (!scene || typeof scene !== 'object' || (scene as { type?: unknown }).type !== 'excalidraw') throw new Error('not an .excalidraw file');
  const { shapes } = fromExcalidraw(scene, newId, (id) => !!model.shapes?.has(id));
  const base = model.maxZ() + 1;
  const ids: string[] = [];
  for (const s of shapes) ids.push(model.add({ ...s, z: base + s.z }));
  model.undo.stopCapturing();
  return ids;
}

export function excalidrawButtons(model: BoardModel, opts: ExcalidrawMenuOptions = {}): { exports: HTMLElement[]; imports: HTMLElement[] } {
  const exportBtn = h('button', {
    type: 'button', 'aria-label': 'Export .excalidraw', title: 'Export as an .excalidraw file', 'data-testid': 'export-excalidraw',
    onclick: () => {
      const json = JSON.stringify(toExcalidraw(model.all(), model.lookup), null, 2);
      const a = h('a', { href: URL.createObjectURL(new Blob([json], { type: 'application/json' })), download: `${opts.fileName ?? 'whiteboard'}.excalidraw` });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    },
  }, '.excalidraw');
  if (opts.readOnly) return { exports: [exportBtn], imports: [] };
  const input = h('input', { type: 'file', accept: '.excalidraw,application/json', hidden: true, 'aria-label': 'Import .excalidraw file', 'data-testid': 'import-excalidraw-file' }) as HTMLInputElement;
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) return opts.onError?.(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB.`);
    try {
      opts.onImported?.(importExcalidrawText(model, await file.text()));
    } catch (e) {
      opts.onError?.(`Could not import ${file.name}: ${(e as Error).message}`);
    }
  });
  const importBtn = h('button', { type: 'button', 'aria-label': 'Import .excalidraw', title: 'Import an .excalidraw file', 'data-testid': 'import-excalidraw', onclick: () => input.click() }, '.excalidraw file…');
  return { exports: [exportBtn], imports: [importBtn, input] };
}
