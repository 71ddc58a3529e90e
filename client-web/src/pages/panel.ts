// The interviewer panel: question bank with hints and follow-ups, the rubric form with each
// rating's anchor, overall recommendation, the notes (pages/notes.ts, built by the room), the Bar
// Raiser's verdict, save and submit. Only constructed when capabilitiesFor() allows it and
// the server's snapshot carried the rubric; the server never sends any of it to candidates.

import { create, clone } from '@bufbuild/protobuf';
import type { Question, Rubric } from '../gen/content_pb';
import { Rating } from '../gen/content_pb';
import { BarRaiserVerdict, ScorecardDraftSchema, ScorecardStatus, type Scorecard, type ScorecardDraft } from '../gen/loop_pb';
import { api } from '../lib/api';
import { h, replace } from '../lib/dom';
import type { SessionClient } from '../session/session';
import { ColleagueScorecards } from './scorecards';
import { ScorecardSync } from './scorecard-sync';

export const RATINGS: { value: Rating; label: string; anchor: 'strongNoHire' | 'noHire' | 'hire' | 'strongHire' }[] = [
  { value: Rating.STRONG_NO_HIRE, label: 'Strong no hire', anchor: 'strongNoHire' },
  { value: Rating.NO_HIRE, label: 'No hire', anchor: 'noHire' },
  { value: Rating.HIRE, label: 'Hire', anchor: 'hire' },
  { value: Rating.STRONG_HIRE, label: 'Strong hire', anchor: 'strongHire' },
];

export interface PanelInput {
  session: SessionClient;
  questions: Question[];
  selectedQuestion?: Question;
  rubric?: Rubric;
  scorecard?: Scorecard;
  barRaiser: boolean;
  canSelectQuestion: boolean;
  /** The notes section (pages/notes.ts), when the role keeps notes. */
  notes?: HTMLElement;
  /** For the REST reads (colleagues' scorecards) and the stash key. */
  loopId: string;
  roundIndex: number;
  token: string;
  participantId: string;
  /** Host and Bar Raiser: the server shows them colleagues' scorecards before their own. */
  seesOthersAtOnce: boolean;
}

export class InterviewerPanel {
  readonly el: HTMLElement;
  private draft: ScorecardDraft;
  private status: HTMLElement;
  private questionBox: HTMLElement;
  private form: HTMLElement;
  private locked = false;
  private version = 0;
  private selectedId = '';
  private rendered = false;
  private everSubmitted = false;
  private sync: ScorecardSync;
  private conflictBox: HTMLElement;
  private colleagues = new ColleagueScorecards();

  constructor(private input: PanelInput) {
    this.draft = input.scorecard?.content ? clone(ScorecardDraftSchema, input.scorecard.content) : create(ScorecardDraftSchema, {});
    this.status = h('p', { class: 'sc-status', role: 'status', 'data-testid': 'scorecard-status' });
    this.questionBox = h('div', { class: 'panel-question', 'data-testid': 'panel-question' });
    this.form = h('form', { class: 'rubric', 'aria-label': 'Scorecard', 'data-testid': 'rubric-form', onsubmit: (e: Event) => { e.preventDefault(); this.submit(); }, onfocusout: () => this.sync.flush() });
    this.conflictBox = h('div', { hidden: true, class: 'sc-conflict', role: 'alert', 'data-testid': 'scorecard-conflict' });
    this.sync = new ScorecardSync(
      {
        send: (body) => input.session.send(body),
        loopId: input.loopId,
        round: input.roundIndex,
        token: input.token,
        participantId: input.participantId,
        draft: () => this.draft,
        status: (text, state) => { this.status.textContent = text; this.status.dataset.state = state; },
        conflict: (mine, theirs) => this.showConflict(mine, theirs),
      },
      input.scorecard,
    );
    const restored = this.sync.restore(input.scorecard);
    this.el = h(
      'aside',
      { class: 'panel', 'aria-label': 'Interviewer panel', 'data-testid': 'interviewer-panel' },
      h('h2', {}, 'Interviewer panel'),
      h('details', { open: true }, h('summary', {}, 'Question'), this.questionBox),
      input.notes ? h('details', { open: true }, h('summary', {}, 'Notes'), input.notes) : null,
      h('details', { open: true }, h('summary', {}, 'Scorecard'), this.conflictBox, this.form, this.status, this.colleagues.el),
    );
    this.selectedId = input.selectedQuestion?.id ?? '';
    this.renderQuestions();
    this.everSubmitted = Boolean(input.scorecard && (input.scorecard.status === ScorecardStatus.SUBMITTED || input.scorecard.version > 1));
    this.applyScorecard(input.scorecard);
    if (restored) {
      this.draft = restored;
      this.renderForm();
      if (this.sync.dirty) this.status.textContent = 'Restored unsaved changes; saving…';
    }
    void this.refreshColleagues();
  }

  /** A scorecard of this round was submitted by someone (PanelChanged). */
  panelChanged(): void {
    void this.refreshColleagues();
  }

  destroy(): void {
    this.sync.flush();
    this.sync.destroy();
    this.el.remove();
  }

  /** Reads what the server lets us see; before we submit (and unless host / Bar Raiser) nothing is asked for. */
  private async refreshColleagues(): Promise<void> {
    if (!this.everSubmitted && !this.input.seesOthersAtOnce) return this.colleagues.hidden();
    try {
      const view = await api.scorecard(this.input.loopId, this.input.roundIndex, this.input.token);
      this.colleagues.show(view, this.input.rubric);
    } catch {
      /* shown on the next change */
    }
  }

  private showConflict(mine: ScorecardDraft, theirs: Scorecard): void {
    const texts = (d: ScorecardDraft | undefined) =>
      [
        `Overall: ${RATINGS.find((r) => r.value === d?.overall)?.label ?? '—'}`,
        ...(d?.competencies ?? []).filter((c) => c.rating || c.evidence).map((c) => `${c.competencyId}: ${RATINGS.find((r) => r.value === c.rating)?.label ?? '—'}${c.evidence ? ` — ${c.evidence}` : ''}`),
        d?.summary ? `Summary: ${d.summary}` : '',
      ].filter(Boolean).join('\n');
    this.conflictBox.hidden = false;
    replace(
      this.conflictBox,
      h('strong', {}, 'This scorecard was saved in another tab or device while you were editing it.'),
      h('p', {}, 'Nothing was overwritten. Choose which text to keep:'),
      h('div', { class: 'texts' },
        h('div', {}, h('h4', {}, 'Your text (this tab)'), h('pre', { 'data-testid': 'conflict-mine' }, texts(mine))),
        h('div', {}, h('h4', {}, `Saved elsewhere (version ${theirs.version})`), h('pre', { 'data-testid': 'conflict-theirs' }, texts(theirs.content))),
      ),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'data-testid': 'conflict-keep-mine', onclick: () => { this.conflictBox.hidden = true; this.draft = clone(ScorecardDraftSchema, mine); this.renderForm(); this.sync.keepMine(theirs); } }, 'Keep mine'),
        h('button', { type: 'button', 'data-testid': 'conflict-keep-theirs', onclick: () => { this.conflictBox.hidden = true; this.draft = theirs.content ? clone(ScorecardDraftSchema, theirs.content) : create(ScorecardDraftSchema, {}); this.sync.keepTheirs(theirs); this.renderForm(); this.status.textContent = `Draft saved (version ${theirs.version}).`; } }, 'Keep the saved one'),
      ),
    );
    this.status.textContent = 'Conflict: choose which text to keep.';
    this.status.dataset.state = 'conflict';
  }

  /** A question was selected (broadcast); staff get the full question with hints. */
  setSelected(q: Question | undefined, id: string): void {
    this.selectedId = id;
    if (q && !this.input.questions.some((x) => x.id === q.id)) this.input.questions.push(q);
    this.input.selectedQuestion = q;
    this.renderQuestions();
    if ((q?.lpIds.length ?? 0) > 0) this.renderForm(); // new LP signal rows
  }

  /** The server's copy of our scorecard (after save or submit). */
  applyScorecard(sc: Scorecard | undefined, requestId = 0n): void {
    const first = !this.rendered;
    const wasLocked = this.locked;
    if (sc && !first) this.sync.onScorecard(sc, requestId);
    if (sc?.status === ScorecardStatus.SUBMITTED && !this.everSubmitted) {
      this.everSubmitted = true;
      void this.refreshColleagues();
    }
    if (sc) {
      this.locked = sc.status === ScorecardStatus.SUBMITTED;
      this.version = sc.version;
      // The local draft stays the source of truth while editing (the user may have typed
      // since the save); the server's copy is taken on first render only.
      if (first && sc.content) this.draft = clone(ScorecardDraftSchema, sc.content);
    }
    // Re-rendering would steal focus from a textarea mid-sentence: only on first render and
    // when the lock state changes (the submit button's label).
    if (first || wasLocked !== this.locked) this.renderForm();
    this.rendered = true;
    if (this.sync.inConflict) return;
    this.status.textContent = !sc
      ? 'Not saved yet.'
      : this.locked
        ? `Submitted (version ${sc.version}). Editing starts version ${sc.version + 1}.`
        : this.sync.dirty
          ? 'Unsaved changes…'
          : `Draft saved (version ${sc.version}).`;
    this.status.dataset.state = !sc ? 'none' : this.locked ? 'submitted' : this.sync.dirty ? 'dirty' : 'draft';
  }

  /** An error answer from the session; a stale save opens the conflict view. */
  onError(code: string, message: string, requestId: bigint): void {
    if (this.sync.onError(code, requestId) && code === 'conflict') return;
    this.error(`${code}: ${message}`);
  }

  error(msg: string): void {
    this.status.textContent = msg;
    this.status.dataset.state = 'error';
  }

  private renderQuestions(): void {
    const { questions } = this.input;
    const sel = this.input.selectedQuestion ?? questions.find((q) => q.id === this.selectedId);
    const list = h('ul', { class: 'qlist' });
    for (const q of questions) {
      list.append(
        h(
          'li',
          { class: q.id === this.selectedId ? 'current' : '' },
          h('span', {}, q.title || q.id, q.category ? h('small', {}, ` · ${q.category}`) : null),
          this.input.canSelectQuestion
            ? h('button', { type: 'button', class: 'small', 'aria-label': `Ask: ${q.title}`, 'data-testid': `select-question-${q.id}`, onclick: () => this.input.session.send({ case: 'selectQuestion', value: { questionId: q.id } }) }, q.id === this.selectedId ? 'Asked' : 'Ask')
            : null,
        ),
      );
    }
    replace(
      this.questionBox,
      sel
        ? h(
            'div',
            { class: 'qdetail' },
            h('h3', {}, sel.title),
            h('p', { class: 'prompt' }, sel.prompt),
            sel.hints.length ? h('div', {}, h('h4', {}, 'Hints'), h('ul', { 'data-testid': 'question-hints' }, sel.hints.map((x) => h('li', {}, x)))) : null,
            sel.followUps.length ? h('div', {}, h('h4', {}, 'Follow-ups'), h('ol', {}, sel.followUps.map((x) => h('li', {}, x)))) : null,
            sel.interviewerNotes ? h('p', { class: 'notes' }, h('strong', {}, 'What good looks like: '), sel.interviewerNotes) : null,
          )
        : h('p', { class: 'muted' }, 'No question asked yet.'),
      questions.length ? h('details', {}, h('summary', {}, `Question bank (${questions.length})`), list) : null,
    );
  }

  private ratingGroup(name: string, legend: string, current: Rating, anchors: Partial<Record<string, string>> | undefined, onPick: (r: Rating) => void, testid: string): HTMLElement {
    return h(
      'fieldset',
      { class: 'rating', 'data-testid': testid },
      h('legend', {}, legend),
      RATINGS.map((r) =>
        h(
          'label',
          { class: 'rating-opt', title: anchors?.[r.anchor] ?? '' },
          h('input', { type: 'radio', name, value: r.value, checked: current === r.value, disabled: false, onchange: () => onPick(r.value), 'data-testid': `${testid}-${r.value}` }),
          h('span', { class: 'rating-label' }, r.label),
          anchors?.[r.anchor] ? h('span', { class: 'anchor' }, anchors[r.anchor]!) : null,
        ),
      ),
    );
  }

  /**
   * The moments a rating cites (issue 19): "Mark now" adds the server's present time, each
   * chip opens the replay at that moment in a new tab and can be removed. At most 8 (the
   * server refuses more: loop/limits.hpp kMaxMomentsPerRating).
   */
  private momentsField(current: () => bigint[], mutable: () => bigint[], testid: string): HTMLElement {
    const list = h('span', { class: 'moments', 'data-testid': testid });
    const draw = () => {
      const ms = current();
      list.replaceChildren(
        ...ms.map((m, i) =>
          h('span', { class: 'moment-chip' },
            h('a', { href: `/replay/${encodeURIComponent(this.input.loopId)}/${this.input.roundIndex}?token=${encodeURIComponent(this.input.token)}&at=${m}`, target: '_blank', rel: 'noopener' }, new Date(Number(m)).toLocaleTimeString()),
            h('button', { type: 'button', class: 'linklike', 'aria-label': 'Remove this moment', onclick: () => { mutable().splice(i, 1); draw(); this.changed(); } }, '×'))),
      );
    };
    draw();
    const mark = h('button', { type: 'button', class: 'mark-now', 'data-testid': `${testid}-mark`, onclick: () => {
      const ms = mutable();
      if (ms.length >= 8) return;
      ms.push(BigInt(Math.round(this.input.session.clock.serverNow())));
      draw();
      this.changed();
    } }, 'Mark now');
    return h('div', { class: 'moments-field' }, mark, list);
  }

  private renderForm(): void {
    const rubric = this.input.rubric;
    const d = this.draft;
    const parts: HTMLElement[] = [];
    if (rubric) {
      if (rubric.overallGuidance) parts.push(h('p', { class: 'muted' }, rubric.overallGuidance));
      for (const c of rubric.competencies) {
        let score = d.competencies.find((x) => x.competencyId === c.id);
        const ensure = () => {
          if (!score) {
            score = { $typeName: 'mockloop.v1.CompetencyScore', competencyId: c.id, rating: Rating.UNSPECIFIED, evidence: '', momentsMs: [] };
            d.competencies.push(score);
          }
          return score;
        };
        parts.push(
          h(
            'div',
            { class: 'competency', 'data-testid': `competency-${c.id}` },
            h('h4', {}, c.name),
            c.description ? h('p', { class: 'muted' }, c.description) : null,
            c.subCriteria.length ? h('ul', { class: 'sub-criteria', 'data-testid': `sub-criteria-${c.id}` }, ...c.subCriteria.map((x) => h('li', {}, x))) : null,
            this.ratingGroup(`c-${c.id}`, `${c.name}: rating`, score?.rating ?? Rating.UNSPECIFIED, c.anchors as unknown as Record<string, string>, (r) => { ensure().rating = r; this.changed(); }, `rating-${c.id}`),
            h('label', { class: 'evidence' }, 'Evidence', h('textarea', { rows: 2, 'aria-label': `${c.name}: evidence`, oninput: (e: Event) => { ensure().evidence = (e.target as HTMLTextAreaElement).value; this.changed(); } }, score?.evidence ?? '')),
            this.momentsField(() => score?.momentsMs ?? [], () => ensure().momentsMs, `moments-${c.id}`),
          ),
        );
      }
    }
    // LP signals: the principles the asked question probes, plus any already rated.
    const lpIds = [...new Set([...(this.input.selectedQuestion?.lpIds ?? []), ...d.lpSignals.map((x) => x.lpId)])];
    if (lpIds.length) {
      parts.push(h('h4', {}, 'Leadership Principle signals'));
      for (const lp of lpIds) {
        const name = lp.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
        let sig = d.lpSignals.find((x) => x.lpId === lp);
        const ensure = () => {
          if (!sig) {
            sig = { $typeName: 'mockloop.v1.LpSignal', lpId: lp, rating: Rating.UNSPECIFIED, evidence: '', momentsMs: [] };
            d.lpSignals.push(sig);
          }
          return sig;
        };
        parts.push(
          h(
            'div',
            { class: 'competency', 'data-testid': `lp-${lp}` },
            this.ratingGroup(`lp-${lp}`, name, sig?.rating ?? Rating.UNSPECIFIED, undefined, (r) => { ensure().rating = r; this.changed(); }, `lp-rating-${lp}`),
            h('label', { class: 'evidence' }, 'Evidence', h('textarea', { rows: 2, 'aria-label': `${name}: evidence`, oninput: (e: Event) => { ensure().evidence = (e.target as HTMLTextAreaElement).value; this.changed(); } }, sig?.evidence ?? '')),
            this.momentsField(() => sig?.momentsMs ?? [], () => ensure().momentsMs, `lp-moments-${lp}`),
          ),
        );
      }
    }
    parts.push(this.ratingGroup('overall', 'Overall recommendation', d.overall, undefined, (r) => { d.overall = r; this.changed(); }, 'overall'));
    parts.push(h('label', { class: 'evidence' }, 'Summary', h('textarea', { rows: 3, 'aria-label': 'Summary', 'data-testid': 'scorecard-summary', oninput: (e: Event) => { d.summary = (e.target as HTMLTextAreaElement).value; this.changed(); } }, d.summary)));
    if (this.input.barRaiser) {
      parts.push(
        h(
          'fieldset',
          { class: 'veto', 'data-testid': 'bar-raiser-panel' },
          h('legend', {}, 'Bar Raiser verdict (applies to the whole loop)'),
          ...[
            [BarRaiserVerdict.APPROVE, 'Approve'],
            [BarRaiserVerdict.VETO, 'Veto the loop'],
          ].map(([v, l]) =>
            h('label', {}, h('input', { type: 'radio', name: 'verdict', checked: d.barRaiserVerdict === v, 'data-testid': `verdict-${v}`, onchange: () => { d.barRaiserVerdict = v as BarRaiserVerdict; this.changed(); } }), ` ${l}`),
          ),
        ),
      );
    }
    parts.push(
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', 'data-testid': 'scorecard-save', onclick: () => this.save() }, 'Save draft'),
        h('button', { type: 'submit', class: 'primary', 'data-testid': 'scorecard-submit' }, this.locked ? `Submit version ${this.version + 1}` : 'Submit scorecard'),
      ),
    );
    replace(this.form, parts);
  }

  private changed(): void {
    this.sync.changed();
  }

  private save(): void {
    this.sync.dirty = true;
    this.sync.flush();
  }

  private submit(): void {
    if (this.draft.overall === Rating.UNSPECIFIED) {
      this.error('Choose an overall recommendation before submitting.');
      return;
    }
    this.sync.submit();
  }
}
