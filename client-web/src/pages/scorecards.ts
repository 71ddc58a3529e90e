// Colleagues' scorecards in the room: the round's other submitted scorecards side by side
// with yours, per competency (rating and evidence), the LP signals and the overall call,
// with disagreements highlighted (ratings that differ, or a hire / no-hire split). The
// server decides what reaches the page (ScorecardView.others stays empty and othersHidden
// set until you submit yours; the host and the Bar Raiser see them at once); this view only
// renders what the REST answer carried and asks for nothing before it may.

import { Rating, type Rubric } from '../gen/content_pb';
import type { Scorecard, ScorecardView } from '../gen/loop_pb';
import { h, replace } from '../lib/dom';

const LABEL: Record<number, string> = {
  [Rating.STRONG_NO_HIRE]: 'Strong no hire',
  [Rating.NO_HIRE]: 'No hire',
  [Rating.HIRE]: 'Hire',
  [Rating.STRONG_HIRE]: 'Strong hire',
};

/** Ratings disagree when rated ones differ, and split when they fall on both sides of the line. */
export function disagreement(ratings: Rating[]): 'none' | 'differ' | 'split' {
  const rated = ratings.filter((r) => r !== Rating.UNSPECIFIED);
  if (new Set(rated).size < 2) return 'none';
  const hire = rated.some((r) => r >= Rating.HIRE);
  const noHire = rated.some((r) => r <= Rating.NO_HIRE);
  return hire && noHire ? 'split' : 'differ';
}

interface Row {
  key: string;
  label: string;
  cell: (sc: Scorecard) => { rating: Rating; evidence: string };
}

export class ColleagueScorecards {
  readonly el: HTMLElement;
  private body: HTMLElement;

  constructor() {
    this.body = h('div', { class: 'colleagues-body' });
    this.el = h('section', { class: 'colleagues', 'aria-label': "Colleagues' scorecards", 'data-testid': 'colleague-scorecards' }, h('h3', {}, "Colleagues' scorecards"), this.body);
    this.hidden();
  }

  /** Nothing to show yet: the server keeps them until you submit. */
  hidden(): void {
    this.el.dataset.state = 'hidden';
    replace(this.body, h('p', { class: 'muted' }, "The other interviewers' scorecards for this round appear here after you submit yours."));
  }

  /** Renders what the server let this viewer see. */
  show(view: ScorecardView, rubric: Rubric | undefined): void {
    if (view.othersHidden) return this.hidden();
    const cards: { who: string; sc: Scorecard | undefined; mine: boolean }[] = [
      { who: 'You', sc: view.mine, mine: true },
      ...view.others.map((sc) => ({ who: sc.authorName || 'Colleague', sc, mine: false })),
    ];
    this.el.dataset.state = 'shown';
    if (!view.others.length) {
      replace(this.body, h('p', { class: 'muted', 'data-testid': 'colleagues-none' }, 'No other scorecard has been submitted for this round yet.'));
      return;
    }
    const rows: Row[] = [];
    for (const c of rubric?.competencies ?? []) {
      rows.push({ key: c.id, label: c.name, cell: (sc) => { const x = sc.content?.competencies.find((y) => y.competencyId === c.id); return { rating: x?.rating ?? Rating.UNSPECIFIED, evidence: x?.evidence ?? '' }; } });
    }
    const lps = [...new Set(cards.flatMap((c) => c.sc?.content?.lpSignals.map((s) => s.lpId) ?? []))];
    for (const lp of lps) {
      const label = lp.replace(/-/g, ' ').replace(/^./, (ch) => ch.toUpperCase());
      rows.push({ key: `lp-${lp}`, label: `LP: ${label}`, cell: (sc) => { const x = sc.content?.lpSignals.find((y) => y.lpId === lp); return { rating: x?.rating ?? Rating.UNSPECIFIED, evidence: x?.evidence ?? '' }; } });
    }
    rows.push({ key: 'overall', label: 'Overall', cell: (sc) => ({ rating: sc.content?.overall ?? Rating.UNSPECIFIED, evidence: sc.content?.summary ?? '' }) });

    const table = h(
      'table',
      { class: 'compare' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), cards.map((c) => h('th', { 'data-testid': c.mine ? 'compare-you' : 'compare-colleague' }, c.who, c.sc?.version ? h('small', {}, ` v${c.sc.version}`) : null)))),
      h(
        'tbody',
        {},
        rows.map((row) => {
          const cells = cards.map((c) => (c.sc ? row.cell(c.sc) : { rating: Rating.UNSPECIFIED, evidence: '' }));
          const d = disagreement(cells.map((x) => x.rating));
          return h(
            'tr',
            { class: d === 'none' ? '' : `disagree disagree-${d}`, 'data-testid': `compare-${row.key}`, 'data-disagreement': d },
            h('th', { scope: 'row' }, row.label, d === 'split' ? h('span', { class: 'flag', title: 'Hire and no-hire on the same point' }, ' hire vs no hire') : d === 'differ' ? h('span', { class: 'flag', title: 'The ratings differ' }, ' ratings differ') : null),
            cells.map((x) => h('td', {}, h('strong', {}, LABEL[x.rating] ?? '—'), x.evidence ? h('p', { class: 'evidence-text' }, x.evidence) : null)),
          );
        }),
      ),
    );
    replace(this.body, table);
  }
}
