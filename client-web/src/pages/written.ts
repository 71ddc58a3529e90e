// The written work page (issue 21): /written/<loopId>[/<assignmentId>]?token=...
// Without an assignment id: the loop's assignments with time left, and for the host the
// assign form (prompt bank or custom topic, due date, questions cut-off).
// With one: the draft in CodeMirror 6 bound with y-codemirror.next to the draft doc's
// Y.Text "text" (the candidate writes, staff and observers read), a live Markdown preview
// (markdown-it, raw HTML off), the page estimate per section against the template's budgets
// (a page = the template's words_per_page, 500), a warning past six pages, submitting
// (the server freezes its own copy as the next version), versions with a compare view,
// anchored review comments (written/comments.ts; staff choose "for the candidate" or
// "staff only", which are separate docs) and the clarifying-questions thread.

import { defaultKeymap } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, keymap, lineNumbers } from '@codemirror/view';
import MarkdownIt from 'markdown-it';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import * as Y from 'yjs';
import { ownUndoManager } from '../code/setup';
import { WrittenKind, type WrittenAssignment, type ListWrittenResponse } from '../gen/written_pb';
import { h, replace } from '../lib/dom';
import { openDoc, userColor, type OpenDoc } from '../session/docs';
import { writtenApi, timeLeft, ApiError } from '../written/api';
import { addComment, reply, resolve, threads, COMMENTS_MAP, DRAFT_TEXT, type StoredComment, type Thread } from '../written/comments';
import { lineDiff } from '../written/diff';
import { estimatePages } from '../written/estimate';

const md = new MarkdownIt({ html: false, linkify: true });

const kindName = (k: WrittenKind) => (k === WrittenKind.PRFAQ ? 'PR/FAQ' : '6-pager');
const fmtDate = (ms: number) => (ms ? new Date(ms).toLocaleString() : '—');

export async function renderWritten(app: HTMLElement, loopId: string, assignmentId: string | undefined, token: string): Promise<void> {
  if (!token) {
    replace(app, h('p', { class: 'banner' }, 'This link has no invite token. Open the full link you were given.'));
    return;
  }
  let list: ListWrittenResponse;
  try {
    list = await writtenApi.list(loopId, token);
  } catch (e) {
    replace(app, h('p', { class: 'banner', role: 'alert' }, (e as Error).message));
    return;
  }
  if (!assignmentId) return renderList(app, loopId, token, list);
  const a = list.assignments.find((x) => x.id === assignmentId);
  if (!a) {
    replace(app, h('p', { class: 'banner', role: 'alert' }, 'No such assignment.'));
    return;
  }
  new WrittenPage(app, loopId, a, token, list.canWrite, list.canComment, list.yourName);
}

function link(loopId: string, aid: string, token: string): string {
  return `/written/${encodeURIComponent(loopId)}/${encodeURIComponent(aid)}?token=${encodeURIComponent(token)}`;
}

function renderList(app: HTMLElement, loopId: string, token: string, list: ListWrittenResponse): void {
  const items = list.assignments.map((a) =>
    h('li', { 'data-testid': `assignment-${a.id}` },
      h('a', { href: link(loopId, a.id, token) }, `${kindName(a.kind)}: ${a.title}`),
      ` — due ${fmtDate(Number(a.dueAtMs))} (${timeLeft(Number(a.dueAtMs))})`,
      a.versions.length ? ` · ${a.versions.length} version(s) submitted` : ' · not submitted'),
  );
  const parts: HTMLElement[] = [h('h1', {}, 'Written work'), items.length ? h('ul', { class: 'written-list' }, ...items) : h('p', { class: 'muted' }, 'Nothing assigned yet.')];
  if (list.canAssign) parts.push(assignForm(loopId, token, list));
  replace(app, h('div', { class: 'written-home', 'data-testid': 'written-home' }, h('a', { href: '/', class: 'brand' }, 'MockLoop'), ...parts));
}

function assignForm(loopId: string, token: string, list: ListWrittenResponse): HTMLElement {
  const kind = h('select', { 'data-testid': 'assign-kind' }, h('option', { value: String(WrittenKind.SIX_PAGER) }, '6-pager'), h('option', { value: String(WrittenKind.PRFAQ) }, 'PR/FAQ'));
  const prompt = h('select', { 'data-testid': 'assign-prompt' }, ...list.prompts.map((p) => h('option', { value: p.id }, p.title)), h('option', { value: '' }, 'Custom topic…'));
  const title = h('input', { type: 'text', placeholder: 'Custom title', maxlength: 200, 'data-testid': 'assign-title' });
  const text = h('textarea', { placeholder: 'Custom prompt', rows: 3, 'data-testid': 'assign-text' });
  const due = h('input', { type: 'date', 'data-testid': 'assign-due', value: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10) });
  const status = h('p', { class: 'muted', role: 'status' });
  const go = async () => {
    try {
      const custom = !prompt.value;
      await writtenApi.assign(loopId, {
        kind: Number(kind.value) as WrittenKind,
        promptId: prompt.value,
        title: custom ? title.value : '',
        prompt: custom ? text.value : '',
        dueAtMs: BigInt(new Date(due.value + 'T17:00:00').getTime()),
      }, token);
      location.reload();
    } catch (e) {
      status.textContent = (e as Error).message;
    }
  };
  return h('section', { class: 'assign-form', 'aria-label': 'Assign written work' }, h('h2', {}, 'Assign written work'),
    h('label', {}, 'Kind ', kind), h('label', {}, 'Topic ', prompt), title, text, h('label', {}, 'Due ', due),
    h('p', { class: 'muted' }, 'Clarifying questions stay open until one week before the due date.'),
    h('button', { type: 'button', onclick: go, 'data-testid': 'assign-submit' }, 'Assign'), status);
}

class WrittenPage {
  private draft: OpenDoc;
  private review: OpenDoc;
  private staff: OpenDoc | null = null;
  private view: EditorView;
  private text: Y.Text;
  private preview = h('div', { class: 'written-preview doc', 'data-testid': 'written-preview' });
  private estimateBox = h('section', { class: 'estimate', 'aria-label': 'Page estimate', 'data-testid': 'page-estimate' });
  private commentsBox = h('section', { class: 'comments', 'aria-label': 'Review comments', 'data-testid': 'comments' });
  private versionsBox = h('section', { class: 'versions', 'aria-label': 'Versions', 'data-testid': 'versions' });
  private questionsBox = h('section', { class: 'questions', 'aria-label': 'Clarifying questions', 'data-testid': 'questions' });
  private status = h('p', { class: 'muted', role: 'status', 'data-testid': 'written-status' });
  private readonly isCandidate: boolean;
  private readonly isStaff: boolean;

  constructor(app: HTMLElement, private readonly loopId: string, private a: WrittenAssignment, private readonly token: string, canWrite: boolean, canComment: boolean, private readonly yourName: string) {
    this.isStaff = canComment;
    this.isCandidate = canWrite;
    this.draft = openDoc(a.draftDoc, token);
    this.review = openDoc(a.reviewDoc, token);
    if (a.staffDoc) this.staff = openDoc(a.staffDoc, token);
    this.text = this.draft.doc.getText(DRAFT_TEXT);
    const name = this.isCandidate ? 'Candidate' : this.isStaff ? 'Reviewer' : 'Observer';
    const who = this.yourName || name;
    this.draft.provider.awareness.setLocalStateField('user', { name: who, ...userColor(who + this.draft.doc.clientID) });
    const undo = ownUndoManager(this.text);
    this.view = new EditorView({
      parent: undefined,
      state: EditorState.create({
        doc: this.text.toString(),
        extensions: [
          lineNumbers(),
          drawSelection(),
          EditorView.lineWrapping,
          EditorState.readOnly.of(!this.isCandidate),
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
          yCollab(this.text, this.draft.provider.awareness, { undoManager: undo }),
          EditorView.updateListener.of((u) => { if (u.docChanged) this.renderLive(); }),
        ],
      }),
    });
    const submit = h('button', { type: 'button', 'data-testid': 'written-submit', onclick: () => void this.submit() }, 'Submit this version');
    const reportLink = h('a', { href: '#', 'data-testid': 'written-report', onclick: (e: Event) => { e.preventDefault(); void this.openReport(); } }, 'Printable report');
    replace(app,
      h('div', { class: 'written-page', 'data-testid': 'written-page' },
        h('header', { class: 'room-header' }, h('a', { href: '/', class: 'brand' }, 'MockLoop'),
          h('strong', {}, `${kindName(a.kind)}: ${a.title}`),
          h('span', { class: 'muted', 'data-testid': 'written-due' }, ` due ${fmtDate(Number(a.dueAtMs))} · ${timeLeft(Number(a.dueAtMs))}`),
          h('span', { class: 'role-badge' }, name)),
        h('section', { class: 'prompt-box' }, h('p', {}, a.prompt)),
        h('main', { class: 'written-main' },
          h('div', { class: 'written-editor', 'data-testid': 'written-editor' }, this.view.dom),
          this.preview,
          h('aside', { class: 'written-side' }, this.estimateBox, this.isCandidate ? submit : null, this.status, reportLink,
            this.isStaff ? this.commentForm() : null, this.commentsBox, this.versionsBox, this.questionsBox))));
    void this.draft.synced.then(() => this.prefill());
    this.review.doc.getMap(COMMENTS_MAP).observe(() => this.renderComments());
    this.staff?.doc.getMap(COMMENTS_MAP).observe(() => this.renderComments());
    this.text.observe(() => this.renderComments());
    this.renderLive();
    this.renderVersions();
    void this.renderQuestions();
    (window as unknown as { __written?: unknown }).__written = { draft: this.draft.doc, review: this.review.doc, staff: this.staff?.doc, view: this.view };
  }

  private prefill(): void {
    if (!this.isCandidate || this.text.length > 0 || !this.a.template?.markdown) return;
    this.draft.doc.transact(() => this.text.insert(0, this.a.template!.markdown));
  }

  private renderLive(): void {
    const src = this.view.state.doc.toString();
    this.preview.innerHTML = md.render(src);
    const t = this.a.template;
    const est = estimatePages(src, (t?.sections ?? []).map((s) => ({ heading: s.heading, budgetPages: s.budgetPages, optional: s.optional })), t?.wordsPerPage ?? 500, t?.maxPages ?? 6);
    replace(this.estimateBox,
      h('h3', {}, 'Page estimate'),
      h('p', { class: 'muted' }, `A page is ${est.wordsPerPage} words (single-spaced 11 pt prose); headings are not counted.`),
      h('table', {}, h('tbody', {}, ...est.sections.map((s) =>
        h('tr', { class: s.over ? 'over' : '', 'data-testid': `estimate-${s.heading}` },
          h('td', {}, s.heading), h('td', {}, `${s.words} w`), h('td', { 'data-testid': 'section-pages' }, `${s.pages.toFixed(1)}${s.budgetPages ? ` / ${s.budgetPages} p` : ' p'}`))))),
      h('p', { 'data-testid': 'estimate-total', class: est.overMax ? 'warn' : '' }, `Total: ${est.words} words ≈ ${est.pages.toFixed(1)} of ${est.maxPages} pages`),
      est.overMax ? h('p', { class: 'warn', role: 'alert', 'data-testid': 'estimate-warning' }, `Past ${est.maxPages} pages: cut before you submit.`) : null);
  }

  private async submit(): Promise<void> {
    this.status.textContent = 'Submitting…';
    try {
      const v = await writtenApi.submit(this.loopId, this.a.id, this.text.toString(), this.token);
      this.status.textContent = `Version ${v.version} submitted ${fmtDate(Number(v.submittedAtMs))}. Later edits start a new draft.`;
      await this.refresh();
    } catch (e) {
      this.status.textContent = e instanceof ApiError ? e.message : String(e);
    }
  }

  private async refresh(): Promise<void> {
    const list = await writtenApi.list(this.loopId, this.token);
    const a = list.assignments.find((x) => x.id === this.a.id);
    if (a) this.a = a;
    this.renderVersions();
  }

  private async openReport(): Promise<void> {
    const res = await fetch(writtenApi.reportUrl(this.loopId, this.a.id), { headers: { Accept: 'text/html', Authorization: `Bearer ${this.token}` } });
    const html = await res.text();
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener');
  }

  private renderVersions(): void {
    const vs = this.a.versions;
    if (!vs.length) return replace(this.versionsBox, h('h3', {}, 'Versions'), h('p', { class: 'muted' }, 'Nothing submitted yet.'));
    const left = h('select', { 'data-testid': 'compare-left' }, ...vs.map((v) => h('option', { value: String(v.version) }, `Version ${v.version}`)));
    const right = h('select', { 'data-testid': 'compare-right' }, h('option', { value: 'draft' }, 'Current draft'), ...vs.map((v) => h('option', { value: String(v.version) }, `Version ${v.version}`)));
    left.value = String(vs[vs.length - 1]!.version);
    const out = h('pre', { class: 'diff', 'data-testid': 'compare-output' });
    const compare = async () => {
      const a = await writtenApi.version(this.loopId, this.a.id, Number(left.value), this.token);
      const b = right.value === 'draft' ? this.text.toString() : (await writtenApi.version(this.loopId, this.a.id, Number(right.value), this.token)).text;
      const lines = lineDiff(a.text, b);
      const changed = lines.filter((l) => l.op !== ' ').length;
      replace(out, changed ? '' : 'No differences.', ...lines.filter((l) => l.op !== ' ').map((l) => h('div', { class: l.op === '+' ? 'add' : 'del' }, `${l.op} ${l.text}`)));
    };
    replace(this.versionsBox, h('h3', {}, 'Versions'),
      h('ul', {}, ...vs.map((v) => h('li', {}, `Version ${v.version} · ${fmtDate(Number(v.submittedAtMs))} · ${v.words} words`))),
      h('div', {}, 'Compare ', left, ' with ', right, ' ', h('button', { type: 'button', 'data-testid': 'compare-run', onclick: () => void compare() }, 'Compare')), out);
  }

  private commentForm(): HTMLElement {
    const body = h('textarea', { rows: 3, placeholder: 'Select text in the draft, then comment', maxlength: 4000, 'data-testid': 'comment-body' });
    const vis = h('select', { 'data-testid': 'comment-visibility' }, h('option', { value: 'candidate' }, 'For the candidate'), h('option', { value: 'staff' }, 'Staff only'));
    const note = h('p', { class: 'muted', role: 'status' });
    const add = () => {
      const sel = this.view.state.selection.main;
      if (sel.empty) return void (note.textContent = 'Select the text to comment on first.');
      if (!body.value.trim()) return void (note.textContent = 'Write the comment first.');
      const target = vis.value === 'staff' ? this.staff : this.review;
      if (!target) return;
      addComment(target.doc.getMap(COMMENTS_MAP) as Y.Map<StoredComment>, this.text, sel.from, sel.to, this.yourName || 'Reviewer', body.value.trim());
      body.value = '';
      note.textContent = '';
    };
    return h('section', { class: 'comment-form', 'aria-label': 'New comment' }, h('h3', {}, 'Comment on the selection'), body, vis, h('button', { type: 'button', 'data-testid': 'comment-add', onclick: add }, 'Comment'), note);
  }

  private renderComments(): void {
    const all: Thread[] = [
      ...threads(this.review.doc.getMap(COMMENTS_MAP) as Y.Map<StoredComment>, this.text, false),
      ...(this.staff ? threads(this.staff.doc.getMap(COMMENTS_MAP) as Y.Map<StoredComment>, this.text, true) : []),
    ];
    const items = all.map((t) => {
      const map = ((t.staffOnly ? this.staff! : this.review).doc.getMap(COMMENTS_MAP)) as Y.Map<StoredComment>;
      const quote = t.range ? this.text.toString().slice(t.range.from, t.range.to) : `(deleted) ${t.root.quote ?? ''}`;
      const replyBox = h('input', { type: 'text', placeholder: 'Reply', maxlength: 4000 });
      return h('div', { class: `thread${t.root.resolved ? ' resolved' : ''}${t.staffOnly ? ' staff-only' : ''}`, 'data-testid': 'comment-thread' },
        h('blockquote', { class: 'quote', 'data-testid': 'comment-quote', onclick: () => t.range && this.view.dispatch({ selection: { anchor: t.range.from, head: t.range.to }, scrollIntoView: true }) }, quote),
        t.staffOnly ? h('span', { class: 'role-badge' }, 'Staff only') : null,
        h('div', {}, h('b', {}, t.root.author), ': ', t.root.body),
        ...t.replies.map((r) => h('div', { class: 'reply' }, h('b', {}, r.c.author), ': ', r.c.body)),
        this.isStaff ? h('div', {}, replyBox, h('button', { type: 'button', onclick: () => { if (replyBox.value.trim()) reply(map, t.id, this.yourName || 'Reviewer', replyBox.value.trim()); } }, 'Reply'),
          h('button', { type: 'button', onclick: () => resolve(map, t.id, !t.root.resolved) }, t.root.resolved ? 'Reopen' : 'Resolve')) : null);
    });
    replace(this.commentsBox, h('h3', {}, 'Review comments'), items.length ? items : h('p', { class: 'muted' }, 'No comments yet.'));
  }

  private async renderQuestions(): Promise<void> {
    let q;
    try {
      q = await writtenApi.questions(this.loopId, this.a.id, this.token);
    } catch {
      return replace(this.questionsBox);
    }
    const input = h('textarea', { rows: 2, maxlength: 4000, placeholder: 'Ask a clarifying question', 'data-testid': 'question-text' });
    const note = h('p', { class: 'muted', role: 'status' });
    const ask = async () => {
      try {
        await writtenApi.ask(this.loopId, this.a.id, input.value, this.token);
        void this.renderQuestions();
      } catch (e) {
        note.textContent = (e as Error).message;
      }
    };
    replace(this.questionsBox, h('h3', {}, 'Clarifying questions'),
      h('p', { class: 'muted' }, q.open ? `Open until ${fmtDate(Number(q.cutoffMs))}.` : `Closed on ${fmtDate(Number(q.cutoffMs))}.`),
      ...q.questions.map((x) => h('div', { class: 'question' }, h('b', {}, `${x.authorName} (${x.role})`), ': ', x.text)),
      q.open ? h('div', {}, input, h('button', { type: 'button', 'data-testid': 'question-ask', onclick: () => void ask() }, 'Send')) : null, note);
  }
}
