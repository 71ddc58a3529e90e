// The interview room: session (snapshot, timer, questions, scorecard), the shared doc
// (whiteboard + code pad), the staff's notes (pages/notes.ts), and the interviewer panel when the
// role and the server's snapshot allow it. Study rooms are pages/study.ts. Owns everything
// it creates; `destroy` releases it.
// Rounds: the server keeps the loop's current round (LoopProgress) and opens every session
// on it; when the loop moves, the server sends the followers a new snapshot. This page
// only remembers a round the user chose to look at (staff), asks for it again after a
// reconnect, and writes the round on screen into the URL (?round=N, 1-based).

import { submittedDocPanel, writtenLinks } from '../written/room-doc';
import { languageOf } from '../code/pad';
import { RunPanel } from '../code/run_panel';
import type { StateSnapshot, ServerMessage } from '../gen/session_pb';
import { Role as ProtoRole } from '../gen/loop_pb';
import { RoundKind } from '../gen/content_pb';
import { h, replace } from '../lib/dom';
import type { DocState } from '../session/docs';
import { SessionClient, type ConnState } from '../session/session';
import { capabilitiesFor, normalizeRole, roleLabel, type Role } from '../state/roles';
import type { PhasePlanItem } from '../state/timer';
import { timerFromProto } from '../state/timer-proto';
import { NotesPanel, roundElapsedMs } from './notes';
import { progressFromProto, urlWithRound, type ProgressView } from '../state/progress';
import { InterviewerPanel } from './panel';
import { RoundBar } from './roundbar';
import { TimerBar } from './timerbar';
import { scheduleMenu } from './schedule';
import { Banner, mountSharedDoc, renderConn, syncBoardPhase, ViewTabs, type SharedWorkspace } from './workspace';
import { CallClient } from '../call/call_client';
import { CallStrip } from '../call/call_strip';

export interface RoomOptions {
  token?: string;
  displayName?: string;
}

function roleFromProto(r: ProtoRole): Role {
  return normalizeRole(ProtoRole[r]);
}

export class RoomPage {
  readonly el: HTMLElement;
  private session: SessionClient | null = null;
  private shared: SharedWorkspace | null = null;
  private notes: NotesPanel | null = null;
  private runs: RunPanel | null = null;
  private panel: InterviewerPanel | null = null;
  private timer: TimerBar;
  private header: HTMLElement;
  private conn: HTMLElement;
  private people: HTMLElement;
  private promptBox: HTMLElement;
  private work: HTMLElement;
  private side: HTMLElement;
  private banner: Banner;
  private headerLinks: HTMLElement;
  private roundBar: RoundBar | null = null;
  private roundBarSlot: HTMLElement;
  private progress: ProgressView = { current: 0, breakEndsAtMs: 0, movedBy: '', revision: 0 };
  private snapshot: StateSnapshot | null = null;
  private plan: PhasePlanItem[] = [];
  private role: Role = 'unknown';
  private sessionState: ConnState | 'none' = 'none';
  private docState: DocState = 'connecting';
  private tabs: ViewTabs;
  /** A round the user chose to look at instead of the loop's current one (staff only). */
  private viewChoice: number | undefined;
  /** The next snapshot is the one the server sends when the session (re)opens. */
  private openSnapshotDue = false;
  private pendingSnapshot: StateSnapshot | null = null;
  private call: CallClient | null = null;
  private callStrip: CallStrip | null = null;
  private callSlot: HTMLElement;

  constructor(private readonly opts: RoomOptions) {
    this.conn = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite', 'data-testid': 'conn-state' }, 'Connecting…');
    this.people = h('ul', { class: 'people', 'aria-label': 'People in the room', 'data-testid': 'people' });
    this.headerLinks = h('span', { class: 'header-links' });
    this.roundBarSlot = h('div');
    this.header = h('div', { class: 'room-title' }, h('strong', {}, 'Joining…'));
    this.banner = new Banner(() => this.el);
    this.timer = new TimerBar(null, false);
    this.timer.el.hidden = true;
    this.promptBox = h('section', { class: 'prompt-box', 'aria-label': 'Question', 'data-testid': 'question-prompt', hidden: true });
    this.work = h('div', { class: 'work view-split', 'data-testid': 'workspace' });
    this.tabs = new ViewTabs(this.work, 'split');
    this.side = h('div', { class: 'side' });
    this.callSlot = h('div', { hidden: true });
    this.el = h(
      'div',
      { class: 'room', 'data-testid': 'room' },
      h('header', { class: 'room-header' }, h('a', { href: '/', class: 'brand', 'aria-label': 'MockLoop home' }, 'MockLoop'), this.header, this.headerLinks, this.tabs.el, this.people, this.conn),
      this.banner.el,
      this.roundBarSlot,
      this.timer.el,
      this.promptBox,
      this.callSlot,
      h('main', { class: 'room-main' }, this.work, this.side),
    );
    if (opts.token) {
      // ?round= in the address is only a reflection: the session opens on the loop's
      // current round, so a reload or a late joiner lands where the loop is.
      this.startSession(opts.token);
    } else {
      this.fail('This link has no invite token. Open the full invite link you were given.');
    }
  }

  private fail(msg: string): void {
    this.banner.fail(msg);
  }

  private startSession(token: string): void {
    const s = new SessionClient(token);
    this.session = s;
    this.roundBar = new RoundBar(s, (round) => this.viewRound(round));
    this.roundBarSlot.replaceWith(this.roundBar.el);
    s.onState((st) => {
      this.sessionState = st;
      if (st === 'open') this.openSnapshotDue = true;
      if (st === 'refused') {
        this.fail(s.refusal);
        this.shared?.doc.provider.disconnect();
        this.notes?.disconnect();
      }
      this.renderConn();
    });
    // The round's call (issue 17): nothing starts before the user clicks Join.
    this.call = new CallClient(s, `mockloop-call:${token.slice(0, 16)}`);
    this.callStrip = new CallStrip(this.call);
    this.callSlot.replaceWith(this.callStrip.el);
    this.placeCallControls();
    s.onMessage((m) => this.onServer(m));
    s.connect();
    this.renderConn();
  }

  private onServer(m: ServerMessage): void {
    this.call?.onServer(m);
    switch (m.body.case) {
      case 'snapshot': {
        const snap = m.body.value;
        // The server opens every session on the loop's current round. A staff member who
        // was looking at another round before a reconnect asks for it again before
        // anything is shown, so the reconnect does not throw them out of it.
        const opening = m.requestId === 0n && this.openSnapshotDue;
        if (opening) this.openSnapshotDue = false;
        if (opening && this.viewChoice !== undefined && snap.round?.index !== this.viewChoice) {
          this.pendingSnapshot = snap;
          this.session?.send({ case: 'joinRound', value: { roundIndex: this.viewChoice } });
          break;
        }
        this.pendingSnapshot = null;
        this.applySnapshot(snap);
        break;
      }
      case 'progress':
        this.progress = progressFromProto(m.body.value);
        this.renderRoundBar();
        break;
      case 'timer':
        if (this.snapshot) {
          this.snapshot.timer = m.body.value;
          this.timer.update(timerFromProto(m.body.value), this.plan, this.snapshot.canControlTimer);
          syncBoardPhase(this.shared, this.snapshot.plan, m.body.value);
        }
        break;
      case 'questionSelected': {
        const v = m.body.value;
        if (this.snapshot) this.snapshot.selectedPrompt = v.prompt;
        this.renderPrompt();
        this.panel?.setSelected(v.question, v.prompt?.id ?? v.question?.id ?? '');
        break;
      }
      case 'scorecard':
        // A save answered after the page moved to another round belongs to that round's panel.
        if (m.body.value.scorecard?.roundIndex === this.snapshot?.round?.index) this.panel?.applyScorecard(m.body.value.scorecard, m.requestId);
        break;
      case 'panelChanged':
        if (m.body.value.roundIndex === this.snapshot?.round?.index) this.panel?.panelChanged();
        break;
      case 'notes':
        if (m.body.value.roundIndex === this.snapshot?.round?.index) this.notes?.update(m.body.value);
        break;
      case 'runUpdate':
        this.runs?.update(m.body.value);
        break;
      case 'error':
        if (this.call?.ownsError(m.requestId)) break;
        if (this.pendingSnapshot) {
          // The round we asked for was refused: show the one the server opened instead.
          const snap = this.pendingSnapshot;
          this.pendingSnapshot = null;
          this.viewChoice = undefined;
          this.applySnapshot(snap);
        }
        if (this.panel) this.panel.onError(m.body.value.code, m.body.value.message, m.requestId);
        else this.flash(`${m.body.value.code}: ${m.body.value.message}`);
        break;
    }
  }

  private flash(msg: string): void {
    this.banner.flash(msg);
  }

  private applySnapshot(snap: StateSnapshot): void {
    const first = !this.snapshot;
    const docChanged = this.snapshot?.sharedDoc !== snap.sharedDoc;
    this.snapshot = snap;
    this.role = roleFromProto(snap.role);
    this.call?.onSnapshot(snap.call, snap.you?.id ?? '', snap.role);
    const caps = capabilitiesFor(this.role, Boolean(snap.rubric));
    this.el.dataset.role = this.role;
    this.plan = (snap.plan?.phases ?? []).map((p) => ({ title: p.title, plannedMinutes: p.plannedMinutes, minMinutes: p.minMinutes, maxMinutes: p.maxMinutes, guidance: caps.interviewerPanel ? p.guidance : undefined }));
    const loop = snap.loop, round = snap.round;
    replace(
      this.header,
      h('strong', { 'data-testid': 'loop-title' }, loop?.title || 'Interview'),
      ' · ',
      h('span', { 'data-testid': 'round-title' }, round?.title ?? ''),
      ' ',
      h('span', { class: `role-badge role-${this.role}`, 'data-testid': 'role-badge' }, roleLabel(this.role)),
    );
    document.title = `${round?.title ?? 'Room'} · MockLoop`;
    this.progress = progressFromProto(snap.progress);
    if (round) history.replaceState(history.state, '', urlWithRound(location.href, round.index));
    this.renderRoundBar();
    this.timer.el.hidden = false;
    if (first) {
      this.timer.destroy();
      const fresh = new TimerBar(this.session, snap.canControlTimer);
      this.timer.el.replaceWith(fresh.el);
      this.timer = fresh;
    }
    this.timer.update(timerFromProto(snap.timer), this.plan, snap.canControlTimer);
    this.renderPrompt();
    if (docChanged) {
      // Each round opens in its kind's layout: coding on the pad, system design on the board.
      this.tabs.view = round?.kind === RoundKind.CODING ? 'code' : round?.kind === RoundKind.SYSTEM_DESIGN || round?.kind === RoundKind.PEER_SYSTEM_DESIGN ? 'board' : 'split';
      this.openShared(snap.sharedDoc, snap.canEditSharedDoc);
      this.openNotes(snap, caps.privateNotes);
    } else if (snap.notes) {
      this.notes?.update(snap.notes);
    }
    syncBoardPhase(this.shared, snap.plan, snap.timer);
    // A reconnect to the same round keeps the panel (and any unsaved edits in it); a new
    // round or a changed role rebuilds it from the snapshot.
    if (this.panel && !docChanged && caps.interviewerPanel) return this.finishSnapshot(caps.debrief);
    this.panel?.destroy();
    this.panel = null;
    if (caps.interviewerPanel) {
      this.panel = new InterviewerPanel({
        session: this.session!,
        questions: snap.questions.slice(),
        selectedQuestion: snap.selectedQuestion,
        rubric: snap.rubric,
        scorecard: snap.myScorecard,
        barRaiser: caps.barRaiserPanel,
        canSelectQuestion: snap.canControlTimer,
        notes: this.notes?.el,
        loopId: snap.loop?.id ?? '',
        roundIndex: snap.round?.index ?? 0,
        token: this.opts.token ?? '',
        participantId: snap.you?.id ?? '',
        seesOthersAtOnce: this.role === 'host' || this.role === 'bar_raiser',
      });
      this.side.append(this.panel.el);
    }
    this.finishSnapshot(caps.debrief);
  }

  private finishSnapshot(debrief: boolean): void {
    const loop = this.snapshot?.loop;
    this.el.classList.toggle('with-panel', Boolean(this.panel));
    replace(
      this.headerLinks,
      debrief && loop ? h('a', { class: 'button small', href: `/debrief/${encodeURIComponent(loop.id)}?token=${encodeURIComponent(this.opts.token ?? '')}`, 'data-testid': 'open-debrief' }, 'Debrief') : null,
      loop ? scheduleMenu(loop, this.role === 'host' ? this.opts.token : undefined) : null,
    );
    if (loop && this.opts.token) {
      const slot = this.headerLinks;
      void writtenLinks(loop.id, this.opts.token).then((a) => {
        slot.querySelector('[data-testid="open-written"]')?.remove(); // an earlier snapshot's
        if (a && slot.isConnected) slot.prepend(a);
      });
    }
  }

  private openNotes(snap: StateSnapshot, staff: boolean): void {
    this.notes?.destroy();
    this.notes = null;
    if (!staff || !snap.notes?.mine?.docName) return;
    const serverNow = () => this.session?.clock.serverNow() ?? Date.now();
    this.notes = new NotesPanel({
      token: this.opts.token,
      docs: snap.notes,
      earlierDoc: snap.privateDoc || undefined,
      userName: snap.you?.displayName || 'Me',
      clock: {
        serverNowMs: serverNow,
        elapsedMs: () => (this.snapshot ? roundElapsedMs(timerFromProto(this.snapshot.timer), this.plan, serverNow()) : 0),
      },
    });
  }

  /** Look at another round without moving anyone (or back at the loop's current one). */
  private viewRound(round: number): void {
    this.viewChoice = round === this.progress.current ? undefined : round;
    this.session?.send({ case: 'joinRound', value: { roundIndex: round } });
  }

  private renderRoundBar(): void {
    const snap = this.snapshot;
    if (!snap || !this.roundBar) return;
    const shown = snap.round?.index ?? 0;
    if (shown === this.progress.current) this.viewChoice = undefined;
    const rounds = (snap.loop?.rounds ?? []).map((r) => ({ index: r.index, title: r.title }));
    // Interviewers look only at the rounds they are assigned to (empty list = every round);
    // the candidate is always in the current round and gets no picker.
    const assigned = this.role === 'interviewer' ? snap.you?.roundIndexes ?? [] : [];
    const viewable = this.role === 'candidate' ? [] : rounds.map((r) => r.index).filter((i) => !assigned.length || assigned.includes(i) || i === shown);
    this.el.dataset.round = String(shown);
    this.el.dataset.loopRound = String(this.progress.current);
    this.roundBar.update({ rounds, viewable, shown, progress: this.progress, canMove: snap.canMoveLoop });
    this.placeCallControls();
  }

  /** Join sits at the end of the round bar (free space there), or in the header without one. */
  private placeCallControls(): void {
    const ctl = this.callStrip?.headerEl;
    if (!ctl) return;
    if (this.roundBar && !this.roundBar.el.hidden) {
      if (ctl.parentElement !== this.roundBar.el) this.roundBar.el.append(ctl);
    } else if (ctl.nextElementSibling !== this.people) {
      this.people.before(ctl);
    }
  }

  private renderPrompt(): void {
    const p = this.snapshot?.selectedPrompt;
    this.promptBox.hidden = !p?.id;
    if (p?.id) replace(this.promptBox, h('h2', {}, p.title), h('p', {}, p.prompt));
  }

  private openShared(docName: string, editable: boolean): void {
    this.shared?.destroy();
    const name = this.snapshot?.you?.displayName || this.opts.displayName || `Guest ${Math.floor(Math.random() * 900 + 100)}`;
    this.shared = mountSharedDoc(this.work, {
      docName,
      token: this.opts.token,
      editable,
      user: { name, role: this.role },
      onState: (s, msg) => {
        this.docState = s;
        if (s === 'refused') this.fail(msg ?? 'The document was refused.');
        this.renderConn();
      },
      session: this.session,
    });
    this.shared.doc.provider.awareness.on('change', () => this.renderPeople());
    // The 6-pager deep dive: the submitted document beside the board instead of the code pad.
    if (this.snapshot?.round?.kind === RoundKind.SIX_PAGER_DEEP_DIVE && this.snapshot.loop?.id && this.opts.token) {
      const shared = this.shared;
      void submittedDocPanel(this.snapshot.loop.id, this.opts.token).then((panel) => {
        if (this.shared === shared) replace(this.work, shared.board.el, panel);
      });
    }
    this.renderPeople();
    // The browser tests read the call's peer connections here (workspace.ts sets the rest).
    const w = window as unknown as { __mockloop?: Record<string, unknown> };
    if (w.__mockloop) w.__mockloop.call = this.call;
    this.mountRuns();
  }

  /** The runner console under the pad (loop rooms only: runs belong to a round). */
  private mountRuns(): void {
    this.runs = null;
    const loop = this.snapshot?.loop;
    const shared = this.shared;
    if (!this.session || !loop || !this.opts.token || !shared) return;
    const doc = shared.doc.doc;
    const roundBase = `/api/loops/${encodeURIComponent(loop.id)}/rounds/${this.snapshot?.round?.index ?? 0}`;
    const runs = new RunPanel({
      runsUrl: `${roundBase}/runs`,
      settingsUrl: `${roundBase}/run-settings`,
      token: this.opts.token,
      code: () => doc.getText('code').toString(),
      language: () => languageOf(doc.getMap('codepad')),
      questionId: () => this.snapshot?.selectedPrompt?.id ?? '',
      staff: capabilitiesFor(this.role).privateNotes,
      onDiagnostics: (d) => shared.code.showDiagnostics(d),
    });
    this.runs = runs;
    shared.code.el.append(runs.el);
    shared.code.el.addEventListener('keydown', (e) => runs.onKey(e));
  }

  private renderPeople(): void {
    const aw = this.shared?.doc.provider.awareness;
    if (!aw) return;
    const items: HTMLElement[] = [];
    aw.getStates().forEach((st, id) => {
      const u = (st as { user?: { name?: string; color?: string; role?: string } }).user;
      if (!u?.name) return;
      items.push(h('li', { title: `${u.name} (${roleLabel(normalizeRole(u.role))})${id === aw.clientID ? ' — you' : ''}`, style: `--c:${u.color}` }, u.name.slice(0, 2).toUpperCase()));
    });
    replace(this.people, items);
  }

  private renderConn(): void {
    renderConn(this.conn, this.sessionState, this.docState);
  }

  destroy(): void {
    this.callStrip?.destroy();
    this.call?.destroy();
    this.panel?.destroy();
    this.session?.close();
    this.roundBar?.destroy();
    this.timer.destroy();
    this.shared?.destroy();
    this.notes?.destroy();
  }
}
