// The progress page (issue 20; docs/progress.md): /progress (the signed-in user's own
// profile) and /progress/<profileId> (one they keep or mentor). Across the profile's loops:
// every competency and Leadership Principle rating over time with its spread (SVG charts,
// progress/chart.ts), each loop's decision, the self-assessment retaken over time, the
// weekly goals counted from what was done, and the STAR story bank with its coverage and
// gaps. Who sees it is the server's rule; the page only hides controls the caller lacks.

import { account, signInHref } from '../lib/account';
import { ApiError } from '../lib/api';
import { copyText, h, replace } from '../lib/dom';
import { progressApi } from '../lib/progress';
import { ratingChart, scoreChart } from '../progress/chart';
import { Role } from '../gen/loop_pb';
import { DecisionOutcome } from '../gen/loop_pb';
import {
  ProfileRelation,
  StoryKind,
  type CandidateProfile,
  type ProgressResponse,
  type RatingSeries,
  type SelfAssessmentForm,
  type StoryGuide,
  type ListStoriesResponse,
  type Story,
  type StoryDraft,
} from '../gen/progress_pb';

const OUTCOME: Record<number, string> = {
  [DecisionOutcome.PENDING]: 'Pending',
  [DecisionOutcome.HIRE]: 'Hire',
  [DecisionOutcome.NO_HIRE]: 'No hire',
  [DecisionOutcome.NOT_APPLICABLE]: 'Practice (no decision rule)',
};
const KIND_NAMES: Record<number, string> = {
  [StoryKind.LEADERSHIP_IMPACT]: 'Leadership impact',
  [StoryKind.CHARACTER]: 'Character',
  [StoryKind.VISION]: 'Vision',
};
const day = (ms: bigint | number) => new Date(Number(ms)).toISOString().slice(0, 10);

function chartBox(svg: string): HTMLElement {
  const box = h('div', { class: 'chart' });
  box.innerHTML = svg; // progress/chart.ts escapes every text it embeds
  return box;
}

function seriesCard(s: RatingSeries): HTMLElement {
  const points = s.points.map((p) => ({
    rating: p.rating,
    atMs: Number(p.atMs),
    label: `${p.loopTitle || p.loopId} · ${p.roundTitle || `round ${p.roundIndex}`} · ${p.interviewerName || 'interviewer'}`,
  }));
  return h('figure', { class: 'series', 'data-testid': 'series', 'data-id': s.id },
    h('figcaption', {}, h('strong', {}, s.name), ` · ${s.count} rating${s.count === 1 ? '' : 's'} · median ${s.median} · middle half ${s.q1}-${s.q3} · range ${s.min}-${s.max}`),
    chartBox(ratingChart(s.name, points, s)));
}

export async function renderProgress(app: HTMLElement, profileId?: string): Promise<void> {
  const root = h('main', { class: 'progress-page' }, h('p', {}, 'Loading...'));
  app.replaceChildren(root);
  const me = await account.me();
  if (!me) {
    replace(root, h('h1', {}, 'Progress'), h('p', {}, 'Sign in to see your progress. ', h('a', { href: '/login' }, 'Sign in')));
    return;
  }
  try {
    const pid = profileId ?? (await progressApi.ownProfile()).id;
    const [progress, form, guide, stories, profiles] = await Promise.all([
      progressApi.progress(pid), progressApi.form().catch(() => null), progressApi.guide(), progressApi.stories(pid), progressApi.profiles(),
    ]);
    draw(root, pid, progress, form, guide, stories, profiles.profiles);
  } catch (e) {
    const msg = e instanceof ApiError && e.status === 404 ? 'No such profile, or it is not shared with you.' : (e as Error).message;
    replace(root, h('h1', {}, 'Progress'), h('p', { class: 'error', role: 'alert' }, msg));
  }
}

function draw(root: HTMLElement, pid: string, pr: ProgressResponse, form: SelfAssessmentForm | null, guide: StoryGuide,
  stories: ListStoriesResponse, profiles: CandidateProfile[]): void {
  const profile = pr.profile!;
  const kept = profile.candidateUserId === '';
  const canShare = kept ? profile.relation === ProfileRelation.OWNER : profile.relation === ProfileRelation.CANDIDATE;
  const canWrite = kept ? profile.relation !== ProfileRelation.CANDIDATE : profile.relation === ProfileRelation.CANDIDATE;
  const reload = () => void renderProgress(root.parentElement as HTMLElement, pid);

  const picker = h('nav', { class: 'profile-picker', 'aria-label': 'Profiles' },
    profiles.map((p) => h('a', { href: `/progress/${encodeURIComponent(p.id)}`, 'aria-current': p.id === pid ? 'page' : undefined }, p.name || p.id)),
    h('form', { class: 'inline', onsubmit: async (e: Event) => {
      e.preventDefault();
      const name = (e.currentTarget as HTMLFormElement).querySelector('input')!.value.trim();
      if (name) location.href = `/progress/${encodeURIComponent((await progressApi.createProfile(name)).id)}`;
    } }, h('input', { placeholder: 'New profile you keep (candidate name)', maxlength: 200, 'aria-label': 'Name of a profile you keep' }), h('button', { type: 'submit', class: 'small' }, 'Add')));

  const sharing = h('section', { 'aria-labelledby': 'share-h' }, h('h2', { id: 'share-h' }, 'Who sees this'),
    h('p', {}, profile.mentors.length ? `Mentors: ${profile.mentors.map((m) => m.displayName || m.email).join(', ')}` : 'Only you.'),
    canShare ? h('form', { onsubmit: async (e: Event) => {
      e.preventDefault();
      const raw = (e.currentTarget as HTMLFormElement).querySelector('input')!.value;
      await progressApi.setMentors(pid, raw.split(/[\s,]+/).filter(Boolean));
      reload();
    } }, h('input', { value: profile.mentors.filter((m) => m.userId !== profile.ownerId || !kept).map((m) => m.email).join(', '), 'aria-label': 'Mentor e-mails', placeholder: 'mentor@example.com, ...' }), ' ', h('button', { type: 'submit', class: 'small' }, 'Save')) : null,
    kept && profile.relation === ProfileRelation.OWNER ? handoverBox(pid) : null);

  const attach = h('section', { 'aria-labelledby': 'attach-h' }, h('h2', { id: 'attach-h' }, 'Loops'),
    pr.loops.length === 0 ? h('p', { class: 'muted' }, 'No loops attached yet. The host of a loop attaches it here.') : h('table', { 'data-testid': 'loops' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Loop'), h('th', {}, 'Created'), h('th', {}, 'Scorecards'), h('th', {}, 'Decision'))),
      h('tbody', {}, pr.loops.map((l) => h('tr', {}, h('td', {}, l.title || l.loopId), h('td', {}, day(l.createdAtMs)), h('td', {}, `${l.scorecards}`),
        h('td', { title: [l.decision?.rule ?? '', ...(l.decision?.reasons ?? [])].join('\n') }, OUTCOME[l.decision?.outcome ?? 0] ?? '-'))))));
  void account.myLoops().then((mine) => {
    const hosted = mine.loops.filter((l) => l.role === Role.HOST && !l.revoked && !profile.loopIds.includes(l.loopId));
    if (!hosted.length) return;
    const sel = h('select', { 'aria-label': 'A loop you host' }, hosted.map((l) => h('option', { value: l.loopId }, l.title || l.loopId)));
    attach.append(h('p', {}, sel, ' ', h('button', { type: 'button', class: 'small', onclick: async () => { await progressApi.attachLoop(pid, sel.value); reload(); } }, 'Attach to this profile')));
  }).catch(() => undefined);

  const weeks = h('section', { 'aria-labelledby': 'weeks-h' }, h('h2', { id: 'weeks-h' }, 'Weekly goals'),
    h('table', { 'data-testid': 'weeks' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Week of'), pr.weeklyTargets.map((t) => h('th', {}, `${t.name} (goal ${t.perWeek})`)))),
      h('tbody', {}, pr.weeks.map((w) => h('tr', {}, h('td', {}, day(w.weekStartMs)), pr.weeklyTargets.map((t) => {
        const n = t.id === 'mock_interviews' ? w.mockInterviews : t.id === 'system_designs' ? w.systemDesigns : w.storiesWritten;
        return h('td', { class: n >= t.perWeek ? 'met' : 'short' }, `${n}`);
      }))))));

  const charts = (title: string, id: string, list: RatingSeries[]) => h('section', { 'aria-labelledby': id }, h('h2', { id }, title),
    list.length ? h('div', { class: 'series-grid' }, list.map(seriesCard)) : h('p', { class: 'muted' }, 'No ratings yet.'));

  const thresholds = form ? form.bands.map((b) => b.minScore).filter((s) => s > 0).sort((a, b) => a - b) : [];
  const assessment = h('section', { 'aria-labelledby': 'assess-h' }, h('h2', { id: 'assess-h' }, 'Self-assessment'),
    pr.assessments.length ? [
      h('p', { 'data-testid': 'latest-assessment' }, `Latest: ${pr.assessments.at(-1)!.score} / 100 · ${pr.assessments.at(-1)!.bandName}`),
      chartBox(scoreChart(pr.assessments.map((a) => ({ score: a.score, atMs: Number(a.takenAtMs), band: a.bandName })), thresholds)),
    ] : h('p', { class: 'muted' }, 'Not taken yet.'),
    form && canWrite ? assessmentForm(form, pid, reload) : null);

  root.replaceChildren(
    h('h1', {}, `Progress · ${profile.name}`), picker, sharing, attach,
    charts('Competencies', 'comp-h', pr.competencies), charts('Leadership Principles', 'lp-h', pr.principles),
    assessment, weeks, storyBank(pid, stories, guide, canWrite, reload));
}

// The keeper of a kept profile hands it to the candidate's own account: a one-time link.
function handoverBox(pid: string): HTMLElement {
  const out = h('div', { 'data-testid': 'handover' });
  const make = async () => {
    try {
      const ho = await progressApi.handover(pid);
      const url = `${location.origin}${ho.link}`;
      replace(out, h('p', {}, 'Send this link to the candidate. Signed in to their own account, they open it and the profile becomes theirs: ',
        'from then on they choose who sees it (you stay a mentor until they change that). ',
        `It works once, until ${new Date(Number(ho.expiresAtMs)).toLocaleString()}; a new link replaces it.`),
      h('p', {}, h('input', { readonly: true, value: url, size: 60, 'aria-label': 'Handover link', 'data-testid': 'handover-link' }), ' ',
        h('button', { type: 'button', class: 'small', onclick: () => void copyText(url) }, 'Copy')));
    } catch (e) {
      replace(out, h('p', { class: 'error', role: 'alert' }, (e as Error).message));
    }
  };
  replace(out, h('p', {}, h('button', { type: 'button', class: 'small', onclick: make }, 'Hand over to the candidate\'s account')));
  return out;
}

// /progress/claim?code=...: the signed-in candidate takes over the profile a mentor kept.
export async function renderClaim(app: HTMLElement, code: string): Promise<void> {
  const root = h('main', { class: 'progress-page' }, h('h1', {}, 'Take over your profile'));
  app.replaceChildren(root);
  const me = await account.me();
  if (!me) {
    // Signing in (by password or single sign-on) comes back here, code and all.
    const here = `${location.pathname}${location.search}`;
    root.append(h('p', {}, 'Sign in to your own account (or create one) first; you come back to this page afterwards.'),
      h('p', {}, h('a', { href: signInHref('/login', here), 'data-testid': 'claim-sign-in' }, 'Sign in'), ' · ',
        h('a', { href: signInHref('/signup', here), 'data-testid': 'claim-sign-up' }, 'Create an account')));
    return;
  }
  const status = h('p', { role: 'status' });
  root.append(
    h('p', {}, `A mentor kept a progress profile for you: your loops, self-assessments and STAR stories. Taking it over makes it part of your account (${me.user?.email ?? ''}); you then choose who sees it, and your mentors keep seeing it until you change that.`),
    h('p', {}, h('button', { type: 'button', 'data-testid': 'claim', onclick: async () => {
      try {
        const p = await progressApi.claim(code);
        location.assign(`/progress/${encodeURIComponent(p.id)}`);
      } catch (e) {
        status.className = 'error';
        status.textContent = e instanceof ApiError && e.status === 404 ? `${e.message}.` : (e as Error).message;
      }
    } }, 'Make this profile mine')),
    status);
}

function assessmentForm(form: SelfAssessmentForm, pid: string, done: () => void): HTMLElement {
  const selects = form.statements.map((s) => h('select', { 'aria-label': s.text, 'data-statement': s.id }, [1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === 3 }, `${n}`))));
  return h('details', {}, h('summary', {}, 'Take it (again)'),
    h('form', { onsubmit: async (e: Event) => { e.preventDefault(); await progressApi.assess(pid, selects.map((s) => Number(s.value))); done(); } },
      h('p', { class: 'muted' }, '1 = not at all true of me, 5 = fully true.'),
      h('ol', {}, form.statements.map((s, i) => h('li', {}, h('span', { class: 'area' }, s.area), ' ', s.text, ' ', selects[i]!))),
      h('button', { type: 'submit' }, 'Score it'),
      h('ul', { class: 'muted' }, form.bands.map((b) => h('li', {}, `${b.minScore}-${b.maxScore}: ${b.name}. ${b.plan}`)))));
}

// The STAR form: empty to add a story, filled with `story` to edit it in place. `save` gets
// the draft; a refusal (a field too long, the bank full) is shown in the form.
function storyForm(principles: { lpId: string; lpName: string }[], guide: StoryGuide, story: Story | null,
  save: (d: StoryDraft) => Promise<unknown>, done: () => void, cancel?: () => void): HTMLFormElement {
  const c = story?.content;
  const fu = c?.followUps;
  const followValue: Record<string, string> = {
    surface: fu?.surface ?? '', technicalDepth: fu?.technicalDepth ?? '', leadershipImpact: fu?.leadershipImpact ?? '',
    organisationalContext: fu?.organisationalContext ?? '', growth: fu?.growth ?? '',
  };
  const field = (name: 'title' | 'situation' | 'task' | 'action' | 'result', label: string, long = true) =>
    h('label', {}, label, long ? h('textarea', { name, rows: 2, maxlength: 4000, value: c?.[name] ?? '' })
      : h('input', { name, maxlength: 200, value: c?.[name] ?? '', required: true }));
  const lpBoxes = principles.map((p) => h('label', { class: 'lp' },
    h('input', { type: 'checkbox', value: p.lpId, checked: c?.principles.includes(p.lpId) ?? false }), p.lpName));
  const kind = h('select', { name: 'kind', 'aria-label': 'Kind' },
    Object.entries(KIND_NAMES).map(([v, n]) => h('option', { value: v, selected: c ? Number(v) === c.kind : false }, n)));
  const shared = h('input', { type: 'checkbox', name: 'shared', checked: c?.shared ?? false });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  return h('form', { class: 'story-form', 'data-testid': story ? 'story-edit' : 'story-add', onsubmit: async (e: Event) => {
    e.preventDefault();
    const f = e.currentTarget as HTMLFormElement;
    const v = (n: string) => (f.elements.namedItem(n) as HTMLInputElement | null)?.value ?? '';
    try {
      await save({
        $typeName: 'mockloop.v1.StoryDraft', title: v('title'), situation: v('situation'), task: v('task'), action: v('action'), result: v('result'),
        principles: lpBoxes.map((b) => b.querySelector('input')!).filter((i) => i.checked).map((i) => i.value), kind: Number(kind.value),
        followUps: { $typeName: 'mockloop.v1.FollowUps', surface: v('surface'), technicalDepth: v('technicalDepth'), leadershipImpact: v('leadershipImpact'), organisationalContext: v('organisationalContext'), growth: v('growth') },
        shared: shared.checked,
      });
    } catch (err) {
      error.textContent = (err as Error).message;
      error.hidden = false;
      return;
    }
    done();
  } },
    field('title', 'Title', false), field('situation', 'Situation'), field('task', 'Task'), field('action', 'Action'), field('result', 'Result'),
    h('fieldset', {}, h('legend', {}, 'Principles it shows'), lpBoxes), h('label', {}, 'Kind ', kind),
    h('fieldset', {}, h('legend', {}, 'Five-whys follow-ups'), guide.followUps.map((q) => {
      const name = q.field.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase());
      return h('label', { title: q.prompt }, `${q.name}: ${q.prompt}`, h('textarea', { name, rows: 1, maxlength: 4000, value: followValue[name] ?? '' }));
    })),
    h('label', {}, shared, ' Share with my mentors'), error,
    h('p', {}, h('button', { type: 'submit' }, story ? 'Save changes' : 'Save story'),
      cancel ? [' ', h('button', { type: 'button', class: 'small secondary', onclick: cancel }, 'Cancel')] : null));
}

// One story: its STAR text and follow-ups, with Edit (the form in its place) and Delete for
// those who may write.
function storyItem(pid: string, s: Story, principles: { lpId: string; lpName: string }[], guide: StoryGuide,
  canWrite: boolean, done: () => void): HTMLElement {
  const c = s.content;
  const names = new Map(principles.map((p) => [p.lpId, p.lpName]));
  const li = h('li', { 'data-testid': 'story', 'data-id': s.id });
  const show = () => replace(li,
    h('details', {}, h('summary', {}, h('strong', { class: 'story-title' }, c?.title ?? ''),
      ` · ${KIND_NAMES[c?.kind ?? 0] ?? ''}${c?.shared ? ' · shared' : ''}${c?.principles.length ? ` · ${c.principles.map((id) => names.get(id) ?? id).join(', ')}` : ''}`),
    h('dl', { class: 'star' }, ([['Situation', c?.situation], ['Task', c?.task], ['Action', c?.action], ['Result', c?.result]] as const)
      .filter(([, t]) => t).flatMap(([k, t]) => [h('dt', {}, k), h('dd', {}, t ?? '')])),
    guide.followUps.some((q) => followUp(c, q.field)) ? h('dl', { class: 'star' }, guide.followUps.filter((q) => followUp(c, q.field))
      .flatMap((q) => [h('dt', {}, q.name), h('dd', {}, followUp(c, q.field))])) : null),
    canWrite ? h('p', { class: 'story-actions' },
      h('button', { type: 'button', class: 'small', onclick: () => replace(li, storyForm(principles, guide, s, (d) => progressApi.updateStory(pid, s.id, d), done, show)) }, 'Edit'),
      ' ', h('button', { type: 'button', class: 'small secondary', onclick: async () => {
        if (!confirm(`Delete the story "${c?.title ?? ''}"?`)) return;
        await progressApi.deleteStory(pid, s.id);
        done();
      } }, 'Delete')) : null);
  show();
  return li;
}

function followUp(c: StoryDraft | undefined, field: string): string {
  const fu = c?.followUps;
  if (!fu) return '';
  const name = field.replace(/_(\w)/g, (_m, ch: string) => ch.toUpperCase()) as 'surface' | 'technicalDepth' | 'leadershipImpact' | 'organisationalContext' | 'growth';
  return fu[name] ?? '';
}

function storyBank(pid: string, list: ListStoriesResponse, guide: StoryGuide, canWrite: boolean, done: () => void): HTMLElement {
  const cov = list.coverage!;
  const principles = cov.principles.map((p) => ({ lpId: p.lpId, lpName: p.lpName }));
  return h('section', { 'aria-labelledby': 'stories-h' }, h('h2', { id: 'stories-h' }, `STAR stories (${cov.stories})`),
    h('div', { class: 'coverage', 'data-testid': 'coverage' },
      h('p', {}, cov.kinds.map((k) => h('span', { class: k.stories >= k.min && k.stories <= k.max ? 'chip met' : 'chip short' }, `${k.name} ${k.stories} (${k.min}-${k.max})`))),
      h('p', {}, cov.principles.map((p) => h('span', { class: p.stories ? 'chip met' : 'chip short', title: `${p.stories} stories` }, p.lpName)))),
    cov.gaps.length ? h('ul', { class: 'gaps', 'data-testid': 'gaps' }, cov.gaps.map((g) => h('li', {}, g))) : h('p', {}, 'No gaps: the bank covers every principle and the Bar Raiser mix.'),
    h('ul', { class: 'stories' }, list.stories.map((s) => storyItem(pid, s, principles, guide, canWrite, done))),
    canWrite ? h('details', {}, h('summary', {}, 'Add a story'), storyForm(principles, guide, null, (d) => progressApi.addStory(pid, d), done)) : null);
}
