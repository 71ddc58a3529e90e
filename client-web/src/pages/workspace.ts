// What the interview room (room.ts) and the study room (study.ts) share: the layout tabs
// over the workspace, the shared doc mounted as whiteboard + code pad, the connection
// indicator and the banner. Each page keeps its own session and side panel.

import { BoardModel } from '../board/model';
import { templateFromPlan } from '../board/phase_frames';
import { BoardView } from '../board/view';
import type { PhasePlan } from '../gen/content_pb';
import type { TimerState } from '../gen/loop_pb';
import { CodePad } from '../code/pad';
import { h, replace } from '../lib/dom';
import { openDoc, userColor, type DocState, type OpenDoc } from '../session/docs';
import type { ConnState } from '../session/session';

export type WorkspaceView = 'board' | 'code' | 'split';

/** The Whiteboard / Split / Code tabs; the chosen one sets the workspace's class. */
export class ViewTabs {
  readonly el: HTMLElement;
  constructor(private readonly work: HTMLElement, private current: WorkspaceView) {
    this.el = h('div', { class: 'view-tabs', role: 'tablist', 'aria-label': 'Workspace layout' });
    this.render();
  }

  get view(): WorkspaceView {
    return this.current;
  }

  set view(v: WorkspaceView) {
    this.current = v;
    this.render();
  }

  private render(): void {
    const tab = (id: WorkspaceView, label: string) =>
      h('button', { type: 'button', role: 'tab', 'aria-selected': String(this.current === id), 'data-testid': `view-${id}`, onclick: () => { this.view = id; } }, label);
    replace(this.el, tab('board', 'Whiteboard'), tab('split', 'Split'), tab('code', 'Code'));
    this.work.className = `work view-${this.current}`;
  }
}

/** A shared doc open as whiteboard and code pad inside the workspace. */
export interface SharedWorkspace {
  doc: OpenDoc;
  model: BoardModel;
  board: BoardView;
  code: CodePad;
  destroy(): void;
}

export interface SharedWorkspaceOptions {
  docName: string;
  token: string | undefined;
  editable: boolean;
  /** The awareness user (name, role) the peers see. */
  user: { name: string; role: string };
  onState: (s: DocState, msg?: string) => void;
  /** Exposed with the doc on window.__mockloop for the browser tests. */
  session: unknown;
}

/** Opens `docName`, mounts the board and code pad into `work` (replacing its content). */
export function mountSharedDoc(work: HTMLElement, o: SharedWorkspaceOptions): SharedWorkspace {
  const d = openDoc(o.docName, o.token);
  d.provider.awareness.setLocalStateField('user', { name: o.user.name, role: o.user.role, ...userColor(o.user.name + d.doc.clientID) });
  d.onState(o.onState);
  const model = new BoardModel(d.doc, { client: d.doc.clientID });
  const board = new BoardView(model, d.provider.awareness, { readOnly: !o.editable, fileName: o.docName });
  const code = new CodePad(d.doc, d.provider.awareness, { readOnly: !o.editable });
  replace(work, board.el, code.el);
  // Measured by tests/e2e/measure.mjs: whiteboard and editor mounted and the doc synced.
  void d.synced.then(() => {
    if (!performance.getEntriesByName('room-interactive').length) performance.mark('room-interactive');
  });
  (window as unknown as { __mockloop?: unknown }).__mockloop = { doc: d.doc, board: model, session: o.session };
  return {
    doc: d,
    model,
    board,
    code,
    destroy: () => {
      board.destroy();
      code.destroy();
      model.destroy();
      d.destroy();
    },
  };
}

/**
 * Hands the board its round's template frames (the phase plan's board_frames) and the
 * timer's current phase, which the board scrolls to unless its user stopped following phases.
 */
export function syncBoardPhase(shared: SharedWorkspace | null | undefined, plan: PhasePlan | undefined, timer: TimerState | undefined): void {
  if (!shared || !plan) return;
  shared.board.setPhaseTemplate(templateFromPlan(plan));
  const phase = plan.phases[timer?.phaseIndex ?? 0];
  if (phase) shared.board.showPhase(phase.id);
}

/** The header's connection indicator from the session's and the doc's states. */
export function renderConn(el: HTMLElement, session: ConnState | 'none', doc: DocState): void {
  let text: string, state: string;
  if (session === 'refused' || doc === 'refused') { text = 'Access refused'; state = 'refused'; }
  else if (session === 'reconnecting' || doc === 'disconnected') { text = 'Reconnecting…'; state = 'reconnecting'; }
  else if (doc === 'synced' && (session === 'open' || session === 'none')) { text = 'Connected'; state = 'connected'; }
  else { text = 'Connecting…'; state = 'connecting'; }
  el.textContent = text;
  el.dataset.state = state;
}

/** The room's banner: fail() stays and marks the room refused, flash() hides after 5 s. */
export class Banner {
  readonly el: HTMLElement = h('div', { class: 'banner', role: 'alert', hidden: true, 'data-testid': 'room-banner' });
  constructor(private readonly room: () => HTMLElement) {}

  fail(msg: string): void {
    this.el.hidden = false;
    this.el.textContent = msg;
    this.room().dataset.refused = 'true';
  }

  flash(msg: string): void {
    this.el.hidden = false;
    this.el.textContent = msg;
    setTimeout(() => { if (this.room().dataset.refused !== 'true') this.el.hidden = true; }, 5000);
  }
}
