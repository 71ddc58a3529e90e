// @vitest-environment happy-dom
// Notes per author (issue 15 item 2): paragraph stamps (visible and in the "stamps" array),
// read-only colleagues' editors, and the round's elapsed time.
import { describe, expect, it } from 'vitest';
import { Text } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import * as Y from 'yjs';
import { formatStamp, NotesEditor, startsParagraph, type StampRecord } from '../src/notes/editor';
import { roundElapsedMs } from '../src/pages/notes';

function typeInto(view: EditorView, text: string): void {
  const at = view.state.selection.main.head;
  const handled = view.state.facet(EditorView.inputHandler).some((f) => f(view, at, at, text, () => view.state.update({})));
  if (!handled) view.dispatch({ changes: { from: at, insert: text }, selection: { anchor: at + text.length }, userEvent: 'input.type' });
}

describe('notes editor', () => {
  it('formats stamps as [m:ss] of the elapsed time', () => {
    expect(formatStamp(0)).toBe('[0:00]');
    expect(formatStamp(14 * 60_000 + 5_900)).toBe('[14:05]');
    expect(formatStamp(74 * 60_000 + 5_000)).toBe('[74:05]');
  });

  it('starts a paragraph only when typing into an empty line', () => {
    const doc = Text.of(['first', '', 'x']);
    expect(startsParagraph(Text.of(['']), 0, 0, 'a')).toBe(true);
    expect(startsParagraph(doc, 6, 6, 'a')).toBe(true); // the empty second line
    expect(startsParagraph(doc, 3, 3, 'a')).toBe(false);
    expect(startsParagraph(doc, 6, 6, '\n')).toBe(false);
    expect(startsParagraph(doc, 0, 5, 'a')).toBe(false);
  });

  it('stamps each new paragraph visibly and records where and when', () => {
    const doc = new Y.Doc();
    let elapsed = 65_000;
    const ed = new NotesEditor(doc, { readOnly: false, clock: { elapsedMs: () => elapsed, serverNowMs: () => 1_000 + elapsed }, label: 'n', testid: 'n' });
    document.body.replaceChildren(ed.el);
    for (const ch of 'Asked about caching') typeInto(ed.view, ch);
    typeInto(ed.view, '\n');
    elapsed = 14 * 60_000 + 5_000;
    for (const ch of 'Good tradeoffs') typeInto(ed.view, ch);
    const text = doc.getText('notes').toString();
    expect(text).toBe('[1:05] Asked about caching\n[14:05] Good tradeoffs');
    const stamps = doc.getArray<StampRecord>('stamps').toArray();
    expect(stamps.map((s) => s.elapsedMs)).toEqual([65_000, 845_000]);
    expect(stamps[1]!.serverTimeMs).toBe(846_000);
    const idx = stamps.map((s) => Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(s.pos), doc)!.index);
    expect(idx).toEqual([0, text.indexOf('[14:05]')]);
    // Undo takes back our typing (the whole burst), not by CodeMirror's history.
    ed.undoManager!.undo();
    expect(doc.getText('notes').toString()).not.toContain('Good tradeoffs');
    ed.destroy();
  });

  it("shows a colleague's notes read-only and follows their edits", () => {
    const doc = new Y.Doc();
    doc.getText('notes').insert(0, '[0:10] theirs');
    const ed = new NotesEditor(doc, { readOnly: true, label: 'n', testid: 'n' });
    expect(ed.view.state.readOnly).toBe(true);
    expect(ed.view.state.doc.toString()).toBe('[0:10] theirs');
    doc.getText('notes').insert(13, ' more');
    expect(ed.view.state.doc.toString()).toBe('[0:10] theirs more');
    ed.destroy();
  });
});

describe('roundElapsedMs', () => {
  const plan = [{ title: 'Intro', plannedMinutes: 5 }, { title: 'Coding', plannedMinutes: 35 }];
  it('adds the planned phases before the current one to the time used in it', () => {
    expect(roundElapsedMs({ status: 'idle', phaseIndex: 0, phaseEndsAtMs: 0, remainingMs: 0, phaseDurationMs: 300_000 }, plan, 0)).toBe(0);
    expect(roundElapsedMs({ status: 'running', phaseIndex: 1, phaseEndsAtMs: 10_000_000, remainingMs: 0, phaseDurationMs: 2_100_000 }, plan, 10_000_000 - 2_000_000)).toBe(300_000 + 100_000);
    expect(roundElapsedMs({ status: 'paused', phaseIndex: 0, phaseEndsAtMs: 0, remainingMs: 60_000, phaseDurationMs: 300_000 }, plan, 0)).toBe(240_000);
  });
});
