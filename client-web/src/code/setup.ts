// The code pad's CodeMirror setup: codemirror's basicSetup without its undo history, with
// Ctrl/Cmd+Z, Ctrl+Y and Shift+Ctrl/Cmd+Z bound to the Yjs UndoManager instead
// (y-codemirror.next's yUndoManagerKeymap). CodeMirror's history would undo whatever the
// editor last saw change, remote typing included; the Y.UndoManager undoes only the
// transactions of this editor's own origin (see ownUndoManager).

import { closeBrackets, autocompletion, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap } from '@codemirror/commands';
import { foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle, bracketMatching, foldKeymap } from '@codemirror/language';
import { lintKeymap } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { EditorState, type Extension } from '@codemirror/state';
import {
  crosshairCursor,
  drawSelection,
  dropCursor,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
} from '@codemirror/view';
import { yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';

/** basicSetup minus history() and historyKeymap, plus yUndoManagerKeymap (first, so it wins). */
export function codeSetup(): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    foldGutter(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    autocompletion(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    keymap.of([...yUndoManagerKeymap, ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap]),
  ];
}

/**
 * An UndoManager over `type` that tracks no origin yet: yCollab adds its own sync origin
 * (the edits made in this editor), so remote updates and edits of other local code are
 * never undone. (Y.UndoManager's default also tracks the `null` origin.)
 */
export function ownUndoManager(type: Y.AbstractType<any>): Y.UndoManager {
  return new Y.UndoManager(type, { trackedOrigins: new Set() });
}
