// @vitest-environment happy-dom
// Code pad undo (issue 15 item 3): Ctrl+Z undoes this editor's own edits only; CodeMirror's
// history is not installed, so nothing else answers the key.
import { describe, expect, it } from 'vitest';
import { undoDepth } from '@codemirror/commands';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CodePad } from '../src/code/pad';

function linked(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc(), b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(b, u, 'peer'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'peer' && Y.applyUpdate(a, u, 'peer'));
  return [a, b];
}

function type(pad: CodePad, text: string): void {
  const end = pad.view.state.doc.length;
  pad.view.dispatch({ changes: { from: end, insert: text }, userEvent: 'input.type' });
}

function ctrlZ(pad: CodePad): void {
  pad.view.contentDOM.dispatchEvent(new KeyboardEvent('keydown', { key: 'z', code: 'KeyZ', ctrlKey: true, bubbles: true, cancelable: true }));
}

describe('CodePad undo', () => {
  it("undoes only the local editor's typing, not a peer's", () => {
    const [candDoc, ivDoc] = linked();
    const cand = new CodePad(candDoc, new Awareness(candDoc));
    const iv = new CodePad(ivDoc, new Awareness(ivDoc));
    document.body.replaceChildren(cand.el, iv.el);
    type(cand, 'cand();');
    type(iv, ' iv();');
    expect(candDoc.getText('code').toString()).toBe('cand(); iv();');
    ctrlZ(cand);
    expect(candDoc.getText('code').toString()).toBe(' iv();');
    expect(cand.view.state.doc.toString()).toBe(' iv();');
    ctrlZ(cand); // nothing of ours left: the peer's text stays
    expect(ivDoc.getText('code').toString()).toBe(' iv();');
    expect(undoDepth(cand.view.state)).toBe(0); // CodeMirror's history is not installed
    cand.destroy();
    iv.destroy();
  });
});
