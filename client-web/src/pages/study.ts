// The study room: a peer session (study.proto over /session/study). Asks for the peer's
// name when the link carries none, then keeps, from the server: the named roster with
// presence and roles (rotation optional), the shared timer on the peer system design plan,
// the chosen practice prompt with hints, and the room's feedback. The shared whiteboard and
// code pad are the study doc; under the pad, a Run console (code/run_panel.ts) whose runs
// every peer sees (custom stdin only: no question tests in a study room). Owns everything it
// creates; `destroy` releases it.

import type { Question } from '../gen/content_pb';
import type { ServerMessage } from '../gen/session_pb';
import { StudyRole, type StudyFeedback, type StudyPeer, type StudySnapshot } from '../gen/study_pb';
import { RunPanel } from '../code/run_panel';
import { languageOf } from '../code/pad';
import { copyText, h, replace } from '../lib/dom';
import { userColor, type DocState } from '../session/docs';
import { SessionClient, type ConnState } from '../session/session';
import type { PhasePlanItem } from '../state/timer';
import { timerFromProto } from '../state/timer-proto';
import { TimerBar } from './timerbar';
import { Banner, mountSharedDoc, renderConn, syncBoardPhase, ViewTabs, type SharedWorkspace } from './workspace';

export const MAX_NAME_BYTES = 60; // the server's kMaxStudyNameBytes
export const MAX_FEEDBACK_BYTES = 2000; // kMaxFeedbackTextBytes
const NAME_KEY = 'mockloop.name';
const STUDY_PATH = '/session/study';

export interface StudyOptions {
  /** The study room id (without the "study-" prefix). */
  id: string;
  token?: string;
  /** The name typed in the lobby or carried by the link (?name=). */
  displayName?: string;
}

export function roleName(r: StudyRole): string {
  return r === StudyRole.DESIGNER ? 'Designer' : r === StudyRole.INTERVIEWER ? 'Interviewer' : r === StudyRole.OBSERVER ? 'Observer' : '';
}

/** A name as the server accepts it: trimmed, no control characters, at most 60 UTF-8 bytes. */
export function cleanName(raw: string): string {
  let s = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  while (new TextEncoder().encode(s).length > MAX_NAME_BYTES) s = s.slice(0, -1);
  return s.trim();
}

function store(kind: 'local' | 'session', key: string, value?: string): string | undefined {
  try {
    const st = kind === 'local' ? localStorage : sessionStorage;
    if (value !== undefined) st.setItem(key, value);
    return st.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

export class StudyPage {
  readonly el: HTMLElement;
  private session: SessionClient | null = null;
  private shared: SharedWorkspace | null = null;
  private runs: RunPanel | null = null;
  private timer: TimerBar;
  private header: HTMLElement;
  private conn: HTMLElement;
  private people: HTMLElement;
  private promptBox: HTMLElement;
  private work: HTMLElement;
  private side: HTMLElement;
  private banner: Banner;
  private snap: StudySnapshot | null = null;
  private peers: StudyPeer[] = [];
  private rotation = false;
  private block = 0;
  private selected: Question | undefined;
  private feedback: StudyFeedback[] = [];
  private plan: PhasePlanItem[] = [];
  private name = '';
  private sessionState: ConnState | 'none' = 'none';
  private docState: DocState = 'connecting';
  private questionsBox: HTMLElement;
  private rolesBox: HTMLElement;
  private feedbackBox: HTMLElement;
  private feedbackList: HTMLElement;
  private tabs: ViewTabs;

  constructor(private readonly opts: StudyOptions) {
    this.conn = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite', 'data-testid': 'conn-state' }, 'Connecting…');
    this.people = h('ul', { class: 'people-names', 'aria-label': 'People in the room', 'data-testid': 'people' });
    this.header = h('div', { class: 'room-title' }, h('strong', { 'data-testid': 'study-title' }, 'Study room'));
    this.banner = new Banner(() => this.el);
    this.timer = new TimerBar(null, false);
    this.timer.el.hidden = true;
    this.promptBox = h('section', { class: 'prompt-box', 'aria-label': 'Prompt', 'data-testid': 'question-prompt', hidden: true });
    this.work = h('div', { class: 'work view-board', 'data-testid': 'workspace' });
    this.tabs = new ViewTabs(this.work, 'board');
    this.questionsBox = h('div', { 'data-testid': 'prompt-picker' });
    this.rolesBox = h('div', { 'data-testid': 'roles' });
    this.feedbackList = h('ol', { class: 'feedback-list', 'data-testid': 'feedback-list' });
    this.feedbackBox = h('div', {});
    this.side = h(
      'aside',
      { class: 'side panel study-panel', 'aria-label': 'Study panel', 'data-testid': 'study-panel' },
      h('details', { open: true }, h('summary', {}, 'Invite'), this.inviteBox()),
      h('details', { open: true }, h('summary', {}, 'Roles'), this.rolesBox),
      h('details', { open: true }, h('summary', {}, 'Prompt'), this.questionsBox),
      h('details', { open: true }, h('summary', {}, 'Feedback'), this.feedbackBox, this.feedbackList),
    );
    this.el = h(
      'div',
      { class: 'room study', 'data-testid': 'room' },
      h('header', { class: 'room-header' }, h('a', { href: '/', class: 'brand', 'aria-label': 'MockLoop home' }, 'MockLoop'), this.header, this.tabs.el, this.people, this.conn),
      this.banner.el,
      this.timer.el,
      this.promptBox,
      h('main', { class: 'room-main' }, this.work, this.side),
    );
    if (!opts.token) {
      // An anonymous doc (servers started with --allow-anonymous-docs): the shared board
      // and code pad only, no peer session.
      this.name = cleanName(opts.displayName ?? '') || `Guest ${Math.floor(Math.random() * 900 + 100)}`;
      this.sessionState = 'none';
      this.openShared();
      return;
    }
    const name = cleanName(opts.displayName ?? '');
    if (name) this.start(name);
    else this.askName();
  }

  private get docName(): string {
    return this.opts.id.startsWith('study-') ? this.opts.id : `study-${this.opts.id}`;
  }

  private get roomId(): string {
    return this.opts.id.replace(/^study-/, '');
  }

  private inviteBox(): HTMLElement {
    const url = `${location.origin}/study/${encodeURIComponent(this.roomId)}?token=${encodeURIComponent(this.opts.token ?? '')}`;
    const btn = h('button', { type: 'button', class: 'small', 'data-testid': 'copy-study-link', onclick: async () => { btn.textContent = (await copyText(url)) ? 'Copied' : 'Copy failed'; } }, 'Copy link');
    return h('div', {}, h('p', { class: 'muted' }, 'Everyone with this link joins as a peer.'), h('input', { readonly: true, value: url, 'aria-label': 'Study room link', 'data-testid': 'study-link', onfocus: (e: Event) => (e.target as HTMLInputElement).select() }), btn);
  }

  private askName(): void {
    const input = h('input', { id: 'study-name', required: true, maxlength: MAX_NAME_BYTES, autocomplete: 'nickname', value: store('local', NAME_KEY) ?? '', 'data-testid': 'study-name' });
    const form = h(
      'form',
      {
        class: 'card join-card',
        'aria-labelledby': 'join-h',
        'data-testid': 'study-join',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const name = cleanName(input.value);
          if (!name) return;
          form.remove();
          this.start(name);
        },
      },
      h('h2', { id: 'join-h' }, 'Join the study room'),
      h('label', { for: 'study-name' }, 'Your name (shown to the other peers)'),
      input,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'study-join-submit' }, 'Join')),
    );
    replace(this.work, form);
    queueMicrotask(() => input.focus());
  }

  private start(name: string): void {
    this.name = name;
    this.sessionState = 'connecting';
    store('local', NAME_KEY, name);
    const s = new SessionClient(this.opts.token!, undefined, STUDY_PATH);
    this.session = s;
    s.onState((st) => {
      this.sessionState = st;
      if (st === 'open') this.join();
      if (st === 'refused') {
        this.fail(s.refusal);
        this.shared?.doc.provider.disconnect();
      }
      this.renderConn();
    });
    s.onMessage((m) => this.onServer(m));
    s.connect();
    const fresh = new TimerBar(s, true);
    this.timer.el.replaceWith(fresh.el);
    this.timer.destroy();
    this.timer = fresh;
    this.timer.el.hidden = true;
    this.openShared();
    this.renderConn();
  }

  private peerKey(): string {
    return `mockloop.study-peer:${this.roomId}`;
  }

  /** (Re)joins after every (re)connect, as the same peer while this tab lives. */
  private join(): void {
    this.session?.send({ case: 'studyJoin', value: { peerId: store('session', this.peerKey()) ?? '', name: this.name } });
  }

  private onServer(m: ServerMessage): void {
    switch (m.body.case) {
      case 'studySnapshot':
        this.applySnapshot(m.body.value);
        break;
      case 'studyPeers':
        this.peers = m.body.value.peers;
        this.rotation = m.body.value.rotation;
        this.block = m.body.value.block;
        this.renderPeople();
        break;
      case 'timer':
        if (this.snap) {
          this.timer.update(timerFromProto(m.body.value), this.plan, true);
          syncBoardPhase(this.shared, this.snap.plan, m.body.value);
        }
        break;
      case 'questionSelected':
        this.selected = m.body.value.question;
        this.renderPrompt();
        this.renderQuestions();
        break;
      case 'studyFeedback':
        if (m.body.value.feedback) this.feedback.push(m.body.value.feedback);
        this.renderFeedbackList();
        break;
      case 'runUpdate':
        this.runs?.update(m.body.value);
        break;
      case 'error':
        this.flash(`${m.body.value.code}: ${m.body.value.message}`);
        break;
    }
  }

  private applySnapshot(snap: StudySnapshot): void {
    this.snap = snap;
    store('session', this.peerKey(), snap.you);
    this.peers = snap.peers;
    this.rotation = snap.rotation;
    this.block = snap.block;
    this.selected = snap.selected?.id ? snap.selected : undefined;
    this.feedback = snap.feedback.slice();
    this.plan = (snap.plan?.phases ?? []).map((p) => ({ title: p.title, plannedMinutes: p.plannedMinutes, minMinutes: p.minMinutes, maxMinutes: p.maxMinutes, guidance: p.guidance || undefined }));
    replace(this.header, h('strong', { 'data-testid': 'study-title' }, snap.room?.title || 'Study room'), ' · ', h('span', { class: 'muted' }, 'peer system design'));
    document.title = `${snap.room?.title || 'Study room'} · MockLoop`;
    this.timer.el.hidden = false;
    this.timer.update(timerFromProto(snap.timer), this.plan, true);
    syncBoardPhase(this.shared, snap.plan, snap.timer);
    this.renderPeople();
    this.renderPrompt();
    this.renderQuestions();
    this.renderFeedbackForm();
    this.renderFeedbackList();
  }

  private flash(msg: string): void {
    this.banner.flash(msg);
  }

  private fail(msg: string): void {
    this.banner.fail(msg);
  }

  private openShared(): void {
    this.shared = mountSharedDoc(this.work, {
      docName: this.docName,
      token: this.opts.token,
      editable: true,
      user: { name: this.name, role: 'peer' },
      onState: (s, msg) => {
        this.docState = s;
        if (s === 'refused') this.fail(msg ?? 'The document was refused.');
        this.renderConn();
      },
      session: this.session,
    });
    this.mountRuns();
  }

  /** The Run console under the pad (rooms with a token: runs are the server's, per room). */
  private mountRuns(): void {
    const shared = this.shared;
    if (!shared || !this.opts.token || !this.session) return;
    const doc = shared.doc.doc;
    const runs = new RunPanel({
      runsUrl: `/api/study-rooms/${encodeURIComponent(this.roomId)}/runs`,
      author: this.name,
      token: this.opts.token,
      code: () => doc.getText('code').toString(),
      language: () => languageOf(doc.getMap('codepad')),
      questionId: () => '',
      staff: false,
      onDiagnostics: (d) => shared.code.showDiagnostics(d),
    });
    this.runs = runs;
    shared.code.el.append(runs.el);
    shared.code.el.addEventListener('keydown', (e) => runs.onKey(e));
  }

  private renderPeople(): void {
    const me = this.snap?.you;
    replace(
      this.people,
      this.peers.filter((p) => p.present).map((p) =>
        h(
          'li',
          { class: `peer${p.id === me ? ' me' : ''}`, 'data-testid': 'peer', 'data-name': p.name, 'data-role': roleName(p.role).toLowerCase(), style: `--c:${userColor(p.name).color}`, title: p.id === me ? `${p.name} (you)` : p.name },
          h('span', { class: 'peer-name' }, p.name),
          p.role ? h('span', { class: 'role-badge', 'data-testid': 'peer-role' }, roleName(p.role)) : null,
        ),
      ),
    );
    const toggle = h('input', { type: 'checkbox', checked: this.rotation, 'data-testid': 'rotation-toggle', onchange: (e: Event) => this.session?.send({ case: 'studyRotation', value: { enabled: (e.target as HTMLInputElement).checked } }) });
    const mine = this.peers.find((p) => p.id === me);
    replace(
      this.rolesBox,
      h('label', { class: 'inline' }, toggle, ' Rotate roles after each block (designer → observer, interviewer → designer)'),
      h('p', { 'data-testid': 'block' }, `Block ${this.block + 1}`, this.rotation && mine?.role ? h('span', {}, ' · you are the ', h('strong', { 'data-testid': 'my-role' }, roleName(mine.role).toLowerCase())) : null),
      this.rotation ? h('ul', { class: 'role-list' }, this.peers.filter((p) => p.role).map((p) => h('li', {}, `${roleName(p.role)}: ${p.name}${p.present ? '' : ' (away)'}`))) : null,
    );
    this.renderFeedbackForm();
  }

  private renderPrompt(): void {
    const q = this.selected;
    this.promptBox.hidden = !q;
    if (!q) return;
    replace(
      this.promptBox,
      h('h2', { 'data-testid': 'prompt-title' }, q.title),
      h('p', {}, q.prompt),
      q.hints.length ? h('details', { 'data-testid': 'prompt-hints' }, h('summary', {}, `Hints (${q.hints.length})`), h('ul', {}, q.hints.map((x) => h('li', {}, x)))) : null,
      q.followUps.length ? h('details', {}, h('summary', {}, 'Follow-ups'), h('ul', {}, q.followUps.map((x) => h('li', {}, x)))) : null,
    );
  }

  private renderQuestions(): void {
    const qs = this.snap?.questions ?? [];
    replace(
      this.questionsBox,
      h('p', { class: 'muted' }, 'Practice prompts; everyone sees the hints.'),
      h('ul', { class: 'qlist' }, qs.map((q) =>
        h('li', { class: q.id === this.selected?.id ? 'current' : '' }, h('span', { title: q.prompt }, q.title), h('button', { type: 'button', class: 'small', 'data-testid': `pick-${q.id}`, 'aria-label': `Use the prompt ${q.title}`, onclick: () => this.session?.send({ case: 'selectQuestion', value: { questionId: q.id } }) }, q.id === this.selected?.id ? 'Chosen' : 'Use'))),
      ),
    );
  }

  private renderFeedbackForm(): void {
    if (!this.snap) return;
    const me = this.snap.you;
    const others = this.peers.filter((p) => p.id !== me);
    const designer = others.find((p) => p.role === StudyRole.DESIGNER);
    const focused = this.feedbackBox.contains(document.activeElement);
    if (focused) return; // do not rebuild what the peer is typing in
    const about = h('select', { 'data-testid': 'feedback-about', 'aria-label': 'Feedback for' }, h('option', { value: '' }, 'The whole session'), others.map((p) => h('option', { value: p.id, selected: p.id === designer?.id }, p.name)));
    const rating = h('select', { 'data-testid': 'feedback-rating', 'aria-label': 'Rating' }, ['No rating', '1 · needs work', '2 · mixed', '3 · good', '4 · excellent'].map((t, i) => h('option', { value: String(i) }, t)));
    const wentWell = h('textarea', { rows: 2, maxlength: MAX_FEEDBACK_BYTES, 'data-testid': 'feedback-well', 'aria-label': 'What went well' });
    const improve = h('textarea', { rows: 2, maxlength: MAX_FEEDBACK_BYTES, 'data-testid': 'feedback-improve', 'aria-label': 'What to improve' });
    const form = h(
      'form',
      {
        class: 'feedback-form',
        'data-testid': 'feedback-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const fits = (t: string) => new TextEncoder().encode(t).length <= MAX_FEEDBACK_BYTES;
          if (!fits(wentWell.value) || !fits(improve.value)) return this.flash('Each feedback field is limited to 2000 bytes.');
          this.session?.send({ case: 'studyFeedback', value: { aboutPeerId: about.value, rating: Number(rating.value), wentWell: wentWell.value, toImprove: improve.value } });
          wentWell.value = '';
          improve.value = '';
          (document.activeElement as HTMLElement | null)?.blur();
        },
      },
      h('label', {}, 'For ', about), h('label', {}, 'Rating ', rating),
      h('label', {}, 'What went well', wentWell), h('label', {}, 'What to improve', improve),
      h('button', { type: 'submit', class: 'small', 'data-testid': 'feedback-submit' }, 'Share feedback'),
    );
    replace(this.feedbackBox, form);
  }

  private renderFeedbackList(): void {
    replace(
      this.feedbackList,
      this.feedback.map((f) =>
        h(
          'li',
          { 'data-testid': 'feedback-entry' },
          h('strong', {}, f.authorName), ` → ${f.aboutName || 'the session'} · block ${f.block + 1}${f.rating ? ` · ${f.rating}/4` : ''}`,
          f.wentWell ? h('p', {}, h('em', {}, 'Went well: '), f.wentWell) : null,
          f.toImprove ? h('p', {}, h('em', {}, 'To improve: '), f.toImprove) : null,
        ),
      ),
    );
  }

  private renderConn(): void {
    renderConn(this.conn, this.sessionState, this.docState);
  }

  destroy(): void {
    this.session?.close();
    this.timer.destroy();
    this.shared?.destroy();
  }
}
