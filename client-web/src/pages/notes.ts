// The staff's notes of a round (issue 15): one's own notes in a real editor (notes/editor.ts),
// the colleagues' notes read-only once the server names them (at once for the host and the
// Bar Raiser, for interviewers after they submit their scorecard: NotesDocs in the snapshot,
// again in ServerMessage.notes), and the round's earlier shared notes, read-only, when
// they are not empty. The server decides who may open which doc; this page only opens
// what it was told. Owns every doc connection it opens; `destroy` releases them.

import type { NotesDocs, NotesRef } from '../gen/session_pb';
import { Role } from '../gen/loop_pb';
import { h, replace } from '../lib/dom';
import { openDoc, userColor, type OpenDoc } from '../session/docs';
import { computeTimer, type PhasePlanItem, type TimerSnapshot } from '../state/timer';
import { NOTES_TEXT, NotesEditor, type NotesClock } from '../notes/editor';

export interface NotesPanelInput {
  token?: string;
  docs: NotesDocs;
  /** The round's earlier shared notes doc ("room-<id>-private"), shown read-only if not empty. */
  earlierDoc?: string;
  clock: NotesClock;
  userName: string;
  /** Opens a doc (tests pass a double). */
  open?: (docName: string, token: string | undefined) => OpenDoc;
}

const ROLE_LABEL: Partial<Record<Role, string>> = {
  [Role.HOST]: 'Host',
  [Role.BAR_RAISER]: 'Bar Raiser',
  [Role.INTERVIEWER]: 'Interviewer',
};

/** The round's elapsed time on its phase plan: the planned phases before the current one plus the time used in it. */
export function roundElapsedMs(t: TimerSnapshot, plan: PhasePlanItem[], serverNowMs: number): number {
  const v = computeTimer(t, plan, serverNowMs);
  let before = 0;
  for (let i = 0; i < v.phaseIndex && i < plan.length; i++) before += plan[i]!.plannedMinutes * 60_000;
  return before + Math.max(0, v.phaseDurationMs - v.remainingMs);
}

interface Opened {
  ref: NotesRef;
  doc: OpenDoc;
  editor: NotesEditor;
  el: HTMLElement;
}

export class NotesPanel {
  readonly el: HTMLElement;
  private own: Opened | null = null;
  private colleagues = new Map<string, Opened>(); // by doc name
  private earlier: OpenDoc | null = null;
  private colleaguesBox: HTMLElement;
  private earlierBox: HTMLElement;
  private open: (docName: string, token: string | undefined) => OpenDoc;

  constructor(private input: NotesPanelInput) {
    this.open = input.open ?? openDoc;
    this.colleaguesBox = h('div', { class: 'notes-colleagues', 'data-testid': 'colleague-notes' });
    this.earlierBox = h('div', { class: 'notes-earlier', 'data-testid': 'earlier-shared-notes', hidden: true });
    const mine = input.docs.mine;
    const ownBox = h('div', { class: 'notes-own' });
    if (mine?.docName) {
      const doc = this.open(mine.docName, input.token);
      doc.provider.awareness.setLocalStateField('user', { name: input.userName, ...userColor(input.userName + doc.doc.clientID) });
      const editor = new NotesEditor(doc.doc, { readOnly: false, clock: input.clock, awareness: doc.provider.awareness, label: 'My notes', testid: 'my-notes' });
      const state = h('span', { class: 'notes-state muted', 'data-testid': 'my-notes-state' });
      doc.onState((s, msg) => {
        state.textContent = s === 'refused' ? ` ${msg ?? 'refused'}` : s === 'disconnected' ? ' reconnecting…' : '';
      });
      this.own = { ref: mine, doc, editor, el: ownBox };
      ownBox.append(h('h4', {}, 'My notes', state), editor.el, h('p', { class: 'muted' }, 'Only you write here. The host and the Bar Raiser can read them; the other interviewers after submitting their scorecard.'));
    }
    this.el = h('div', { class: 'notes-panel', 'data-testid': 'notes-panel' }, ownBox, this.colleaguesBox, this.earlierBox);
    this.update(input.docs);
    if (input.earlierDoc) this.openEarlier(input.earlierDoc);
  }

  /** The server's current list (snapshot or after a submit): opens newly readable colleagues' notes. */
  update(docs: NotesDocs): void {
    const wanted = new Map(docs.colleagues.map((r) => [r.docName, r]));
    for (const [name, o] of this.colleagues) {
      if (wanted.has(name)) continue;
      o.editor.destroy();
      o.doc.destroy();
      this.colleagues.delete(name);
    }
    for (const [name, ref] of wanted) {
      if (this.colleagues.has(name)) continue;
      const doc = this.open(name, this.input.token);
      const editor = new NotesEditor(doc.doc, { readOnly: true, label: `${ref.displayName}'s notes`, testid: `notes-of-${ref.participantId}` });
      const el = h('section', { class: 'notes-colleague', 'data-author': ref.displayName }, h('h4', {}, ref.displayName, h('small', {}, ` (${ROLE_LABEL[ref.role] ?? 'staff'})`)), editor.el);
      doc.onState((s, msg) => {
        if (s === 'refused') el.append(h('p', { class: 'muted' }, msg ?? 'refused'));
      });
      this.colleagues.set(name, { ref, doc, editor, el });
    }
    const sections = [...this.colleagues.values()].map((o) => o.el);
    replace(
      this.colleaguesBox,
      docs.colleaguesHidden ? h('p', { class: 'muted', 'data-testid': 'colleague-notes-hidden' }, "Colleagues' notes open here after you submit your scorecard.") : null,
      sections,
    );
  }

  private openEarlier(name: string): void {
    const d = this.open(name, this.input.token);
    this.earlier = d;
    void d.synced.then(() => {
      if (this.earlier !== d) return;
      const text = d.doc.getText(NOTES_TEXT).toString();
      if (text.trim()) {
        replace(this.earlierBox, h('details', {}, h('summary', {}, 'Earlier shared notes'), h('pre', { class: 'notes-earlier-text' }, text)));
        this.earlierBox.hidden = false;
      }
      // A read-only archive: nothing more will arrive worth keeping a connection for.
      d.destroy();
      this.earlier = null;
    });
  }

  /** Stops every doc connection (e.g. when the session was refused). */
  disconnect(): void {
    this.own?.doc.provider.disconnect();
    for (const o of this.colleagues.values()) o.doc.provider.disconnect();
    this.earlier?.provider.disconnect();
  }

  destroy(): void {
    if (this.own) {
      this.own.editor.destroy();
      this.own.doc.destroy();
      this.own = null;
    }
    for (const o of this.colleagues.values()) {
      o.editor.destroy();
      o.doc.destroy();
    }
    this.colleagues.clear();
    this.earlier?.destroy();
    this.earlier = null;
  }
}
