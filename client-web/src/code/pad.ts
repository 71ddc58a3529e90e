// The shared code pad: CodeMirror 6 bound to the room doc's Y.Text "code" with
// y-codemirror.next (remote cursors and selections through awareness). The language lives
// in the doc (Y.Map "codepad".language), so every participant sees the same highlighting.
// Undo (Ctrl/Cmd+Z) undoes only this editor's own edits: CodeMirror's history is off and
// its keys go to a Y.UndoManager that tracks yCollab's origin (code/setup.ts).

import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { yCollab } from 'y-codemirror.next';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { h } from '../lib/dom';
import { codeSetup, ownUndoManager } from './setup';

// Language packs load on demand so the room page does not pay for all five up front.
export const LANGUAGES: { id: string; label: string; ext: () => Promise<Extension> }[] = [
  { id: 'python', label: 'Python', ext: async () => (await import('@codemirror/lang-python')).python() },
  { id: 'java', label: 'Java', ext: async () => (await import('@codemirror/lang-java')).java() },
  { id: 'cpp', label: 'C++', ext: async () => (await import('@codemirror/lang-cpp')).cpp() },
  { id: 'typescript', label: 'JavaScript / TypeScript', ext: async () => (await import('@codemirror/lang-javascript')).javascript({ typescript: true }) },
  { id: 'go', label: 'Go', ext: async () => (await import('@codemirror/lang-go')).go() },
];

export function languageOf(settings: Y.Map<unknown>): string {
  const v = settings.get('language');
  return typeof v === 'string' && LANGUAGES.some((l) => l.id === v) ? v : 'python';
}

export class CodePad {
  readonly el: HTMLElement;
  readonly view: EditorView;
  /** Undoes this editor's own edits only (exposed for tests). */
  readonly undoManager: Y.UndoManager;
  private lang = new Compartment();
  private editable = new Compartment();
  private select: HTMLSelectElement;
  private settings: Y.Map<unknown>;
  private readonly onSettings = () => this.applyLanguage();

  constructor(doc: Y.Doc, awareness: Awareness, opts: { readOnly?: boolean } = {}) {
    const ytext = doc.getText('code');
    this.settings = doc.getMap('codepad');
    const undo = ownUndoManager(ytext);
    this.undoManager = undo;
    this.select = h(
      'select',
      {
        'aria-label': 'Language',
        'data-testid': 'code-language',
        disabled: opts.readOnly,
        onchange: (e: Event) => this.settings.set('language', (e.target as HTMLSelectElement).value),
      },
      LANGUAGES.map((l) => h('option', { value: l.id }, l.label)),
    );
    const host = h('div', { class: 'code-editor', 'data-testid': 'code-editor' });
    this.el = h(
      'section',
      { class: 'codepad', 'aria-label': 'Code pad' },
      h('div', { class: 'codepad-bar' }, h('label', {}, 'Language ', this.select)),
      host,
    );
    this.view = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: ytext.toString(),
        extensions: [
          codeSetup(),
          keymap.of([indentWithTab]),
          this.lang.of([]),
          lintGutter(),
          this.editable.of(EditorView.editable.of(!opts.readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': 'Code', 'data-testid': 'code-content' }),
          yCollab(ytext, awareness, { undoManager: undo }),
        ],
      }),
    });
    this.settings.observe(this.onSettings);
    this.applyLanguage();
  }

  private applyLanguage(): void {
    const id = languageOf(this.settings);
    this.select.value = id;
    this.el.dataset.language = id;
    const l = LANGUAGES.find((x) => x.id === id)!;
    void l.ext().then((ext) => {
      if (languageOf(this.settings) === id && !this.destroyed) this.view.dispatch({ effects: this.lang.reconfigure(ext) });
    });
  }

  /**
   * Marks from the latest run (compile errors, the failing line of an exception), the same for
   * everyone in the round. Lines past the end (the code changed since) are clamped; a mark
   * moves with later edits as CodeMirror maps it.
   */
  showDiagnostics(list: { line: number; column: number; severity: 'error' | 'warning'; message: string }[]): void {
    const doc = this.view.state.doc;
    const marks: Diagnostic[] = list.filter((d) => d.line >= 1).map((d) => {
      const line = doc.line(Math.min(d.line, doc.lines));
      const from = d.column > 0 ? Math.min(line.from + d.column - 1, line.to) : line.from;
      return { from, to: Math.max(from, line.to), severity: d.severity === 'warning' ? 'warning' : 'error', message: d.message };
    });
    this.view.dispatch(setDiagnostics(this.view.state, marks));
    this.el.dataset.diagnostics = String(marks.length);
  }

  private destroyed = false;

  destroy(): void {
    this.destroyed = true;
    this.settings.unobserve(this.onSettings);
    this.view.destroy();
  }
}
