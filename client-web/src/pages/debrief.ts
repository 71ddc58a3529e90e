// The debrief (host and bar raiser): decision under the template's rule with the Bar Raiser
// veto, each round's scorecards and recommendation with disagreements highlighted, and the
// Leadership Principle coverage matrix. The server decides who may read it (403 otherwise).

import { Rating } from '../gen/content_pb';
import { DecisionOutcome, Role, type Debrief } from '../gen/loop_pb';
import { api, ApiError } from '../lib/api';
import { h, replace } from '../lib/dom';

const RATING_LABEL: Record<number, string> = {
  [Rating.UNSPECIFIED]: '—',
  [Rating.STRONG_NO_HIRE]: 'Strong no hire',
  [Rating.NO_HIRE]: 'No hire',
  [Rating.HIRE]: 'Hire',
  [Rating.STRONG_HIRE]: 'Strong hire',
};

const OUTCOME_LABEL: Record<number, string> = {
  [DecisionOutcome.UNSPECIFIED]: '—',
  [DecisionOutcome.PENDING]: 'Pending',
  [DecisionOutcome.HIRE]: 'Hire',
  [DecisionOutcome.NO_HIRE]: 'No hire',
  [DecisionOutcome.NOT_APPLICABLE]: 'Practice (no decision)',
};

export function renderDebrief(root: HTMLElement, loopId: string, token: string): void {
  const body = h('main', { class: 'debrief-main' }, h('p', { role: 'status' }, 'Loading debrief…'));
  replace(root, h('div', { class: 'debrief', 'data-testid': 'debrief' }, h('header', { class: 'room-header' }, h('a', { href: '/', class: 'brand' }, 'MockLoop'), h('strong', {}, 'Debrief')), body));
  api.debrief(loopId, token).then(
    (d) => replace(body, debriefView(d, loopId, token)),
    (err) =>
      replace(
        body,
        h('p', { class: 'banner', role: 'alert', 'data-testid': 'debrief-error' }, err instanceof ApiError && (err.status === 401 || err.status === 403) ? 'Only the host and the Bar Raiser can open the debrief, with a valid link.' : `Could not load the debrief: ${(err as Error).message}`),
      ),
  );
}

/**
 * The report as the debrief page shows it: its links to cited moments (`a.moment`, relative
 * `/replay/<loop>/<round>?at=<ms>`, no token because the file may be passed around) open in a
 * new tab with the reader's token, so they work for whoever opened the debrief (a bar raiser,
 * or a host on another browser than the lobby's). Parsed inert (DOMParser runs nothing);
 * nothing else in the report changes. The downloaded file keeps the server's links.
 */
export function reportForFrame(html: string, token: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const links = doc.querySelectorAll<HTMLAnchorElement>('a.moment');
  if (!links.length) return html;
  for (const a of links) {
    const href = a.getAttribute('href') ?? '';
    if (!/^\/replay\/[^/?#]+\/\d+\?at=\d+$/.test(href)) continue; // only the server's own moment links
    a.setAttribute('href', `${href}&token=${encodeURIComponent(token)}`);
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer');
  }
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

/**
 * Shows the server's HTML report below `after` in a sandboxed frame: `sandbox` without
 * `allow-same-origin` or `allow-scripts` gives it an opaque origin, so nothing in the report
 * (which quotes what participants typed) can act as the app or read its storage; it is never
 * opened as a `blob:` of the app's own origin. `allow-popups` and
 * `allow-popups-to-escape-sandbox` only let a click on a cited moment open the replay in a new
 * tab as an ordinary page (without them the click navigated the frame to the app, which
 * refuses to be framed: an error page). A download link saves the server's file unchanged.
 */
async function showReport(after: HTMLElement, loopId: string, token: string): Promise<void> {
  const html = await api.debriefHtml(loopId, token);
  after.parentElement?.querySelector('[data-testid="debrief-report"]')?.remove();
  const frame = h('iframe', { sandbox: 'allow-popups allow-popups-to-escape-sandbox', title: 'Debrief report', class: 'debrief-report-frame', 'data-testid': 'debrief-report-frame' }) as HTMLIFrameElement;
  frame.srcdoc = reportForFrame(html, token);
  const download = h('a', { href: URL.createObjectURL(new Blob([html], { type: 'text/html' })), download: `debrief-${loopId}.html` }, 'Download the report');
  after.after(h('div', { class: 'debrief-report', 'data-testid': 'debrief-report' }, download, frame));
}

/** Links opening the round's replay at each moment a rating cites (issue 19). */
function momentLinks(loopId: string, token: string, round: number, moments: bigint[]): HTMLElement | null {
  if (!moments.length) return null;
  return h('span', { class: 'moments', 'data-testid': 'debrief-moments' }, ' ',
    moments.map((m) => h('a', { class: 'moment-link', href: `/replay/${encodeURIComponent(loopId)}/${round}?token=${encodeURIComponent(token)}&at=${m}`, target: '_blank', rel: 'noopener' }, `▶ ${new Date(Number(m)).toLocaleTimeString()}`)));
}

function debriefView(d: Debrief, loopId: string, token: string): HTMLElement {
  const dec = d.decision;
  const rounds = d.rounds;
  return h(
    'div',
    {},
    h('h1', { 'data-testid': 'debrief-title' }, d.loop?.title ?? 'Loop'),
    h(
      'section',
      { class: `decision outcome-${dec?.outcome ?? 0}`, 'aria-label': 'Decision', 'data-testid': 'debrief-decision' },
      h('h2', {}, 'Decision: ', OUTCOME_LABEL[dec?.outcome ?? 0] ?? '—'),
      dec?.rule ? h('p', {}, h('strong', {}, 'Rule: '), dec.rule) : null,
      dec?.barRaiserVetoed ? h('p', { class: 'veto-flag' }, 'The Bar Raiser vetoed this loop.') : dec?.barRaiserApproved ? h('p', {}, 'The Bar Raiser approved.') : null,
      dec?.reasons.length ? h('ul', {}, dec.reasons.map((r) => h('li', {}, r))) : null,
      h('p', { class: 'muted' }, `Onsite rounds: ${dec?.onsiteRounds ?? 0} · inclined to hire: ${dec?.hireRounds ?? 0} · weak: ${dec?.weakRounds ?? 0}`),
      h('button', { type: 'button', 'data-testid': 'debrief-html', onclick: (ev: Event) => void showReport(ev.currentTarget as HTMLElement, loopId, token) }, 'Open the HTML report'),
    ),
    h(
      'section',
      { 'aria-label': 'Rounds' },
      h('h2', {}, 'Rounds'),
      rounds.map((r) =>
        h(
          'article',
          { class: `round-outcome${r.disagreement ? ' disagreement' : ''}${r.weak ? ' weak' : ''}`, 'data-testid': `debrief-round-${r.roundIndex}` },
          h('h3', {}, `${r.roundIndex + 1}. ${r.title} `, h('span', { class: 'pill' }, r.complete ? RATING_LABEL[r.recommendation] ?? '—' : 'No scorecard yet'), ' ',
            h('a', { class: 'replay-link', href: `/replay/${encodeURIComponent(loopId)}/${r.roundIndex}?token=${encodeURIComponent(token)}`, target: '_blank', rel: 'noopener', 'data-testid': `debrief-replay-${r.roundIndex}` }, 'Watch the replay')),
          r.disagreement ? h('p', { class: 'disagree' }, '⚠ Interviewers disagree: ', r.disagreementNote) : null,
          r.scorecards.length
            ? h(
                'table',
                { class: 'scores' },
                h('thead', {}, h('tr', {}, h('th', {}, 'Interviewer'), h('th', {}, 'Overall'), h('th', {}, 'Competencies'), h('th', {}, 'Summary'))),
                h(
                  'tbody',
                  {},
                  r.scorecards.map((s) =>
                    h(
                      'tr',
                      { 'data-testid': 'debrief-scorecard' },
                      h('td', {}, `${s.authorName} (${Role[s.authorRole]?.replace('_', ' ').toLowerCase() ?? ''}) v${s.version}`),
                      h('td', {}, RATING_LABEL[s.content?.overall ?? 0] ?? '—', s.content?.barRaiserVerdict === 2 ? h('strong', { class: 'veto-flag' }, ' VETO') : null),
                      h('td', {}, h('ul', {},
                        (s.content?.competencies ?? []).map((c) => h('li', {}, `${c.competencyId}: ${RATING_LABEL[c.rating] ?? '—'}`, momentLinks(loopId, token, r.roundIndex, c.momentsMs))),
                        (s.content?.lpSignals ?? []).filter((x) => x.momentsMs.length).map((x) => h('li', {}, `LP ${x.lpId}: ${RATING_LABEL[x.rating] ?? '—'}`, momentLinks(loopId, token, r.roundIndex, x.momentsMs))))),
                      h('td', {}, s.content?.summary ?? ''),
                    ),
                  ),
                ),
              )
            : null,
        ),
      ),
    ),
    d.lpCoverage.length
      ? h(
          'section',
          { 'aria-label': 'Leadership Principle coverage' },
          h('h2', {}, 'Leadership Principle coverage'),
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'lp-matrix', 'data-testid': 'lp-matrix' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Principle'), rounds.map((r) => h('th', { title: r.title }, `R${r.roundIndex + 1}`)))),
              h(
                'tbody',
                {},
                d.lpCoverage.map((row) =>
                  h(
                    'tr',
                    {},
                    h('th', { scope: 'row' }, row.lpName, row.weight > 1 ? h('span', { class: 'weight', title: 'Weighted at this level' }, ' ★') : null),
                    rounds.map((r) => {
                      const c = row.cells.find((x) => x.roundIndex === r.roundIndex);
                      return h('td', { class: c ? `r${c.rating}` : '' }, c ? `${RATING_LABEL[c.rating] ?? ''}${c.signals ? ` (${c.signals})` : ''}` : '');
                    }),
                  ),
                ),
              ),
            ),
          ),
        )
      : null,
  );
}
