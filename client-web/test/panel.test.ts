// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { create, toJson } from '@bufbuild/protobuf';
import { Rating, RubricSchema, QuestionSchema } from '../src/gen/content_pb';
import { BarRaiserVerdict, ScorecardSchema, ScorecardStatus } from '../src/gen/loop_pb';
import { TimerAction } from '../src/gen/session_pb';
import { InterviewerPanel } from '../src/pages/panel';
import { TimerBar } from '../src/pages/timerbar';
import type { SessionClient } from '../src/session/session';
import { ClockOffset } from '../src/state/clock';

type Sent = { case: string; value: any };

function fakeSession(): { session: SessionClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const session = { send: (b: Sent) => (sent.push(b), sent.length), clock: new ClockOffset() } as unknown as SessionClient;
  return { session, sent };
}

const rubric = create(RubricSchema, {
  id: 'sd',
  competencies: [{ id: 'requirements', name: 'Requirements', anchors: { strongNoHire: 'Jumped to boxes', noHire: 'Needed prompting', hire: 'Scoped functional and non-functional needs', strongHire: 'Drove scope with numbers' } }],
});

let panels = 0;
function panel(barRaiser = false) {
  const { session, sent } = fakeSession();
  const p = new InterviewerPanel({ session, questions: [create(QuestionSchema, { id: 'q1', title: 'CDN', prompt: 'Design a CDN', hints: ['edge caches'], lpIds: ['dive-deep'] })], rubric, barRaiser, canSelectQuestion: true, loopId: 'L', roundIndex: 1, token: 't', participantId: `p${++panels}`, seesOthersAtOnce: false });
  document.body.replaceChildren(p.el);
  return { p, sent };
}

describe('InterviewerPanel', () => {
  it('shows the written anchor beside each rating', () => {
    const { p } = panel();
    const text = p.el.querySelector('[data-testid="rating-requirements"]')!.textContent!;
    for (const a of ['Jumped to boxes', 'Needed prompting', 'Scoped functional and non-functional needs', 'Drove scope with numbers']) expect(text).toContain(a);
  });

  it('refuses to submit without an overall recommendation and sends nothing', () => {
    const { p, sent } = panel();
    (p.el.querySelector('form') as HTMLFormElement).requestSubmit();
    expect(sent.filter((s) => s.case === 'submitScorecard')).toHaveLength(0);
    expect(p.el.querySelector('[data-testid="scorecard-status"]')!.getAttribute('data-state')).toBe('error');
  });

  it('saves the ratings it shows, then submits, and shows the lock', () => {
    const { p, sent } = panel();
    (p.el.querySelector('[data-testid="rating-requirements-3"]') as HTMLInputElement).click();
    (p.el.querySelector('[data-testid="overall-4"]') as HTMLInputElement).click();
    (p.el.querySelector('form') as HTMLFormElement).requestSubmit();
    // The save goes first, naming the revision it started from; the submit waits for its answer.
    expect(sent.at(-1)!.case).toBe('saveScorecard');
    const draft = sent.at(-1)!.value.draft;
    expect(sent.at(-1)!.value.baseRevision).toBe(0n);
    expect(draft.overall).toBe(Rating.STRONG_HIRE);
    expect(draft.competencies).toEqual([expect.objectContaining({ competencyId: 'requirements', rating: Rating.HIRE })]);
    p.applyScorecard(create(ScorecardSchema, { version: 1, revision: 1n, status: ScorecardStatus.DRAFT, content: draft }), BigInt(sent.length));
    expect(sent.at(-1)).toEqual({ case: 'submitScorecard', value: { baseRevision: 1n, roundIndex: 1 } });
    p.applyScorecard(create(ScorecardSchema, { version: 1, revision: 2n, status: ScorecardStatus.SUBMITTED, content: draft }), BigInt(sent.length));
    expect(p.el.querySelector('[data-testid="scorecard-status"]')!.getAttribute('data-state')).toBe('submitted');
    expect(p.el.querySelector('[data-testid="scorecard-submit"]')!.textContent).toBe('Submit version 2');
  });

  it('saves after a short pause, one save at a time, each on the previous revision', async () => {
    vi.useFakeTimers();
    try {
      const { p, sent } = panel();
      const summary = p.el.querySelector('[data-testid="scorecard-summary"]') as HTMLTextAreaElement;
      summary.value = 'first';
      summary.dispatchEvent(new Event('input'));
      expect(sent.filter((s) => s.case === 'saveScorecard')).toHaveLength(0);
      expect(p.el.querySelector('[data-testid="scorecard-status"]')!.getAttribute('data-state')).toBe('dirty');
      vi.advanceTimersByTime(500);
      expect(sent.at(-1)!.case).toBe('saveScorecard');
      const first = sent.length;
      summary.value = 'first and more';
      summary.dispatchEvent(new Event('input'));
      vi.advanceTimersByTime(500);
      expect(sent).toHaveLength(first); // waits for the answer to the one in flight
      p.applyScorecard(create(ScorecardSchema, { version: 1, revision: 1n, status: ScorecardStatus.DRAFT }), BigInt(first));
      expect(sent.at(-1)!.value).toEqual(expect.objectContaining({ baseRevision: 1n }));
      expect(sent.at(-1)!.value.draft.summary).toBe('first and more');
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a refused stale save as a conflict with both texts', async () => {
    const { p, sent } = panel();
    const theirs = create(ScorecardSchema, { version: 1, revision: 5n, status: ScorecardStatus.DRAFT, content: { summary: 'written in the other tab' } });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ mine: toJson(ScorecardSchema, theirs) }), { status: 200 }));
    try {
      const summary = p.el.querySelector('[data-testid="scorecard-summary"]') as HTMLTextAreaElement;
      summary.value = 'written here';
      summary.dispatchEvent(new Event('input'));
      (p.el.querySelector('[data-testid="scorecard-save"]') as HTMLButtonElement).click();
      p.onError('conflict', 'stale', BigInt(sent.length));
      await vi.waitFor(() => expect((p.el.querySelector('[data-testid="scorecard-conflict"]') as HTMLElement).hidden).toBe(false));
      expect(p.el.querySelector('[data-testid="conflict-mine"]')!.textContent).toContain('written here');
      expect(p.el.querySelector('[data-testid="conflict-theirs"]')!.textContent).toContain('written in the other tab');
      (p.el.querySelector('[data-testid="conflict-keep-mine"]') as HTMLButtonElement).click();
      expect(sent.at(-1)!.value).toEqual(expect.objectContaining({ baseRevision: 5n }));
      expect(sent.at(-1)!.value.draft.summary).toBe('written here');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('offers the veto to the Bar Raiser only', () => {
    expect(panel(false).p.el.querySelector('[data-testid="bar-raiser-panel"]')).toBeNull();
    const { p, sent } = panel(true);
    (p.el.querySelector(`[data-testid="verdict-${BarRaiserVerdict.VETO}"]`) as HTMLInputElement).click();
    (p.el.querySelector('[data-testid="scorecard-save"]') as HTMLButtonElement).click();
    expect(sent.at(-1)!.value.draft.barRaiserVerdict).toBe(BarRaiserVerdict.VETO);
  });

  it('selects a question through the session and adds LP signal rows for it', () => {
    const { p, sent } = panel();
    (p.el.querySelector('[data-testid="select-question-q1"]') as HTMLButtonElement).click();
    expect(sent.at(-1)).toEqual({ case: 'selectQuestion', value: { questionId: 'q1' } });
    p.setSelected(create(QuestionSchema, { id: 'q1', title: 'CDN', prompt: 'Design a CDN', hints: ['edge caches'], lpIds: ['dive-deep'] }), 'q1');
    expect(p.el.querySelector('[data-testid="question-hints"]')!.textContent).toContain('edge caches');
    expect(p.el.querySelector('[data-testid="lp-dive-deep"]')).not.toBeNull();
  });
});

describe('TimerBar', () => {
  const plan = [{ title: 'Requirements', plannedMinutes: 10 }];
  const idle = { status: 'idle' as const, phaseIndex: 0, phaseEndsAtMs: 0, remainingMs: 0, phaseDurationMs: 0 };

  it('has no controls for those who may not control the timer', () => {
    const { session } = fakeSession();
    const t = new TimerBar(session, false);
    t.update(idle, plan, false);
    // Only the phase-end sound toggle, which is the viewer's own setting.
    expect([...t.el.querySelectorAll('button')].map((b) => b.dataset.testid)).toEqual(['alert-mute']);
    expect(t.el.querySelector('[data-testid="timer-remaining"]')!.textContent).toBe('10:00');
    t.destroy();
  });

  it('shows the current phase guidance only when the plan carries it', () => {
    const { session } = fakeSession();
    const t = new TimerBar(session, false);
    t.update(idle, plan, false);
    expect((t.el.querySelector('[data-testid="phase-guidance"]') as HTMLElement).hidden).toBe(true);
    t.update(idle, [{ title: 'Requirements', plannedMinutes: 10, guidance: 'Let the candidate drive scope' }], true);
    const g = t.el.querySelector('[data-testid="phase-guidance"]') as HTMLElement;
    expect(g.hidden).toBe(false);
    expect(g.textContent).toContain('Let the candidate drive scope');
    t.destroy();
  });

  it('sends timer commands for interviewers', () => {
    const { session, sent } = fakeSession();
    const t = new TimerBar(session, true);
    t.update(idle, plan, true);
    (t.el.querySelector('[data-testid="timer-start"]') as HTMLButtonElement).click();
    (t.el.querySelector('[data-testid="timer-extend"]') as HTMLButtonElement).click();
    expect(sent.map((s) => s.value.action)).toEqual([TimerAction.START, TimerAction.EXTEND]);
    expect(sent[1]!.value.extendSeconds).toBe(300n);
    t.destroy();
  });
});
