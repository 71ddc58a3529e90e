// One author's notes (issue 15): CodeMirror 6 bound to the notes doc's Y.Text "notes" with
// y-codemirror.next (caret and selection stay put across remote edits, e.g. the author's
// other tab). The author's editor stamps every new paragraph - a line typed into while it
// was empty - with the round's elapsed time, visibly ("[14:05] ") and as a record in the
// doc's Y.Array "stamps": {serverTimeMs, elapsedMs, pos}, pos being
// Y.relativePositionToJSON of the paragraph's start, so replays can link notes to moments.
// Undo is the Yjs UndoManager of this editor's own edits; CodeMirror's history is not used.
// A colleague's notes open read-only (no stamps, no undo, no presence).

import { defaultKeymap } from '@codemirror/commands';
import { EditorState, type Extension, type Text } from '@codemirror/state';
import { EditorView, drawSelection, highlightSpecialChars, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ownUndoManager } from '../code/setup';
import { h } from '../lib/dom';

export const NOTES_TEXT = 'notes';
export const STAMPS_ARRAY = 'stamps';

/** Where the stamps come from: the round's elapsed time and the server clock. */
export interface NotesClock {
  elapsedMs(): number;
  serverNowMs(): number;
}

/** One entry of the "stamps" array. */
export interface StampRecord {
  serverTimeMs: number;
  elapsedMs: number;
  pos: unknown; // Y.relativePositionToJSON(...)
}

/** "[m:ss]" of an elapsed time (minutes keep counting past 59: "[74:05]"). */
export function formatStamp(elapsedMs: number): string {
  const s = Math.max(0, Math.floor(elapsedMs / 1000));
  return `[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}]`;
}

/** Whether typing `text` over [from, to) starts a paragraph: plain typing into an empty line. */
export function startsParagraph(doc: Text, from: number, to: number, text: string): boolean {
  if (from !== to || text.length === 0 || text.startsWith('\n')) return false;
  return doc.lineAt(from).length === 0;
}

// Styled here rather than in styles.css: the editor is the only user.
const notesTheme = EditorView.theme({
  '&': { border: '1px solid #d0d7de', borderRadius: '6px', background: '#fffdf4', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '2px solid #f59e0b' },
  '.cm-scroller': { minHeight: '7em', maxHeight: '20em', overflow: 'auto', fontFamily: 'inherit', lineHeight: '1.4' },
  '.cm-content': { padding: '0.4em 0.5em' },
});
const readOnlyTheme = EditorView.theme({ '.cm-scroller': { minHeight: '2em', background: '#f6f8fa' } });

/** The transaction origin of stamp records (never undone, never echoed to the editor). */
const STAMP_ORIGIN = { notesStamps: true };

function paragraphStamps(ytext: Y.Text, stamps: Y.Array<StampRecord>, clock: NotesClock): Extension {
  return EditorView.inputHandler.of((view, from, to, text) => {
    if (!startsParagraph(view.state.doc, from, to, text)) return false;
    const elapsedMs = clock.elapsedMs();
    const stamp = `${formatStamp(elapsedMs)} `;
    view.dispatch({
      changes: { from, to, insert: stamp + text },
      selection: { anchor: from + stamp.length + text.length },
      userEvent: 'input.type',
      scrollIntoView: true,
    });
    // ySync applied the change to the Y.Text inside dispatch, so `from` is the stamp there.
    const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(ytext, from));
    ytext.doc?.transact(() => stamps.push([{ serverTimeMs: clock.serverNowMs(), elapsedMs, pos }]), STAMP_ORIGIN);
    return true;
  });
}

export interface NotesEditorOptions {
  readOnly: boolean;
  /** Required when editable: the source of the paragraph stamps. */
  clock?: NotesClock;
  /** The author's presence (own editor only): remote carets of the author's other tabs. */
  awareness?: Awareness | null;
  label: string;
  testid: string;
}

export class NotesEditor {
  readonly el: HTMLElement;
  readonly view: EditorView;
  readonly undoManager: Y.UndoManager | null;

  constructor(doc: Y.Doc, opts: NotesEditorOptions) {
    const ytext = doc.getText(NOTES_TEXT);
    const stamps = doc.getArray<StampRecord>(STAMPS_ARRAY);
    this.el = h('div', { class: `notes-editor${opts.readOnly ? ' read-only' : ''}`, 'data-testid': opts.testid });
    this.undoManager = opts.readOnly ? null : ownUndoManager(ytext);
    const extensions: Extension[] = [
      highlightSpecialChars(),
      drawSelection(),
      EditorView.lineWrapping,
      notesTheme,
      EditorView.contentAttributes.of({ 'aria-label': opts.label, 'data-testid': `${opts.testid}-content` }),
      yCollab(ytext, opts.readOnly ? null : opts.awareness ?? null, { undoManager: this.undoManager ?? false }),
    ];
    if (opts.readOnly) {
      extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false), readOnlyTheme);
    } else {
      extensions.push(
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        placeholder('Type your notes; each new paragraph gets the round time.'),
      );
      if (opts.clock) extensions.push(paragraphStamps(ytext, stamps, opts.clock));
    }
    this.view = new EditorView({ parent: this.el, state: EditorState.create({ doc: ytext.toString(), extensions }) });
  }

  destroy(): void {
    this.view.destroy();
    this.undoManager?.destroy();
  }
}
