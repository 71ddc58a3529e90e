// The host's lobby: pick a template (filtered by level), name the candidate and the
// interviewers, create the loop and copy each role's invite link; or open a study room in
// one click. Loops created in this browser are remembered (host token in localStorage).

import { Level } from '../gen/content_pb';
import { toJson } from '@bufbuild/protobuf';
import { LoopExportSchema } from '../gen/account_pb';
import { DecisionOutcome, Role, type CreateLoopResponse, type Invite } from '../gen/loop_pb';
import { account } from '../lib/account';
import { api, ApiError } from '../lib/api';
import { copyText, h, replace } from '../lib/dom';
import { roleLabel, normalizeRole } from '../state/roles';
import { PanelBuilder } from './panel-builder';
import { scheduleList } from './schedule';

interface SavedLoop {
  id: string;
  title: string;
  hostToken: string;
  createdAt: number;
}

const SAVED = 'mockloop.loops';

function savedLoops(): SavedLoop[] {
  try {
    return JSON.parse(localStorage.getItem(SAVED) ?? '[]') as SavedLoop[];
  } catch {
    return [];
  }
}

export function inviteUrl(link: string, token: string): string {
  if (link) return new URL(link, location.origin).toString();
  return `${location.origin}/join?token=${encodeURIComponent(token)}`;
}

export function renderLobby(root: HTMLElement): void {
  const status = h('p', { role: 'status', class: 'status', 'data-testid': 'lobby-status' });
  const levelSel = h('select', { id: 'level', 'data-testid': 'level-select' }, h('option', { value: String(Level.L6) }, 'L6 (engineering manager)'), h('option', { value: String(Level.L7) }, 'L7 (senior manager)'), h('option', { value: '' }, 'Any level / practice'));
  const tplSel = h('select', { id: 'template', required: true, 'data-testid': 'template-select' });
  const candidate = h('input', { id: 'candidate', required: true, maxlength: 200, autocomplete: 'off', 'data-testid': 'candidate-name' });
  const hostName = h('input', { id: 'host', maxlength: 200, value: 'Host', 'data-testid': 'host-name' });
  const builder = new PanelBuilder();
  const autoAdvance = h('input', { type: 'checkbox', id: 'auto', checked: true });
  const result = h('section', { class: 'invites', 'aria-live': 'polite', 'data-testid': 'invites' });
  const createBtn = h('button', { type: 'submit', class: 'primary', 'data-testid': 'create-loop' }, 'Create loop');
  let templates: Awaited<ReturnType<typeof api.templates>>['templates'] = [];

  const fillTemplates = () => {
    const lv = levelSel.value;
    const list = templates.filter((t) => !lv || t.level === Number(lv) || t.level === Level.UNSPECIFIED);
    replace(tplSel, list.map((t) => {
      const fixed = t.rounds.filter((r) => !r.optional).length, optional = t.rounds.length - fixed;
      return h('option', { value: t.id, title: t.description }, `${t.name} (${fixed} round${fixed === 1 ? '' : 's'}${optional ? ` + ${optional} optional` : ''})`);
    }));
    builder.setTemplate(templates.find((t) => t.id === tplSel.value));
  };
  levelSel.addEventListener('change', fillTemplates);
  tplSel.addEventListener('change', () => builder.setTemplate(templates.find((t) => t.id === tplSel.value)));

  const form = h(
    'form',
    {
      class: 'card',
      'aria-labelledby': 'create-h',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        createBtn.disabled = true;
        status.textContent = 'Creating…';
        try {
          const tpl = templates.find((t) => t.id === tplSel.value);
          const panel = builder.request();
          const res = await api.createLoop({ templateId: tplSel.value, title: `${tpl?.name ?? 'Loop'}: ${candidate.value}`, candidateName: candidate.value, hostName: hostName.value || 'Host', ...panel, autoAdvance: autoAdvance.checked });
          status.textContent = 'Loop created. Send each person their link.';
          const host = res.invites.find((i) => i.role === Role.HOST) ?? res.invites[0];
          if (host && res.loop) {
            localStorage.setItem(SAVED, JSON.stringify([{ id: res.loop.id, title: res.loop.title, hostToken: host.token, createdAt: Date.now() }, ...savedLoops()].slice(0, 20)));
          }
          showInvites(result, res);
        } catch (err) {
          status.textContent = err instanceof ApiError ? `Could not create the loop: ${err.message}` : String(err);
        } finally {
          createBtn.disabled = false;
        }
      },
    },
    h('h2', { id: 'create-h' }, 'New interview loop'),
    h('label', { for: 'level' }, 'Target level'),
    levelSel,
    h('label', { for: 'template' }, 'Template'),
    tplSel,
    h('label', { for: 'candidate' }, 'Candidate name'),
    candidate,
    h('label', { for: 'host' }, 'Your name (host)'),
    hostName,
    builder.el,
    h('label', { class: 'inline' }, autoAdvance, ' Advance phases automatically'),
    h('div', { class: 'row' }, createBtn),
    status,
  );

  const studyStatus = h('p', { role: 'status', class: 'status' });
  const studyName = h('input', { id: 'study-name', maxlength: 60, autocomplete: 'nickname', value: localStorage.getItem('mockloop.name') ?? '', 'data-testid': 'study-name' });
  const study = h(
    'section',
    { class: 'card', 'aria-labelledby': 'study-h' },
    h('h2', { id: 'study-h' }, 'Study room'),
    h('p', { class: 'muted' }, 'A peer system design session: shared whiteboard and code pad, a shared timer, practice prompts with hints, optional role rotation and peer feedback. Everyone with the link joins.'),
    h('label', { for: 'study-name' }, 'Your name'),
    studyName,
    h(
      'button',
      {
        type: 'button',
        'data-testid': 'create-study',
        onclick: async () => {
          studyStatus.textContent = 'Opening…';
          try {
            const name = studyName.value.trim();
            const r = await api.createStudyRoom({ title: 'Study room', hostName: name || 'Host' });
            location.assign(`/study/${encodeURIComponent(r.id)}?token=${encodeURIComponent(r.token)}${name ? `&name=${encodeURIComponent(name)}` : ''}`);
          } catch (err) {
            studyStatus.textContent = `Could not open a study room: ${(err as Error).message}`;
          }
        },
      },
      'Open a study room',
    ),
    studyStatus,
  );

  const saved = savedLoops();
  const mine = saved.length
    ? h('section', { class: 'card', 'aria-labelledby': 'mine-h' }, h('h2', { id: 'mine-h' }, 'Your loops'), h('ul', {}, saved.map((l) => h('li', {}, `${l.title} `, h('a', { href: `/join?token=${encodeURIComponent(l.hostToken)}` }, 'Open room'), ' · ', h('a', { href: `/debrief/${encodeURIComponent(l.id)}?token=${encodeURIComponent(l.hostToken)}` }, 'Debrief'), ' · ', h('a', { href: `/loop/${encodeURIComponent(l.id)}/settings?token=${encodeURIComponent(l.hostToken)}` }, 'Settings')))))
    : null;

  const accountBar = h('p', { class: 'account-bar', 'data-testid': 'account-bar' });
  const home = h('section', { class: 'card', 'aria-labelledby': 'home-h', hidden: true, 'data-testid': 'my-loops' });

  replace(root, h('div', { class: 'lobby', 'data-testid': 'lobby' }, h('header', { class: 'lobby-header' }, h('h1', {}, 'MockLoop'), h('p', {}, 'Mock interview loops for engineering managers: timed rounds, a shared whiteboard and code pad, rubric scorecards and a Bar Raiser debrief.'), accountBar), h('main', { class: 'lobby-main' }, home, form, result, study, mine)));

  account.me().then(
    (me) => {
      if (!me?.user) {
        replace(accountBar, 'Not signed in. ', h('a', { href: '/login', 'data-testid': 'sign-in-link' }, 'Sign in'), ' to create loops and find them again on any device.');
        return;
      }
      const out = async (everywhere: boolean) => {
        await account.logout(everywhere).catch(() => undefined);
        location.assign('/');
      };
      replace(accountBar, 'Signed in as ', h('strong', { 'data-testid': 'signed-in-as' }, me.user.displayName || me.user.email), ' · ', h('a', { href: '/progress', 'data-testid': 'progress-link' }, 'Progress and preparation'), ' · ', h('button', { type: 'button', class: 'link', 'data-testid': 'sign-out', onclick: () => out(false) }, 'Sign out'), ' · ', h('button', { type: 'button', class: 'link', onclick: () => out(true) }, 'Sign out everywhere'));
      void renderMyLoops(home);
    },
    () => replace(accountBar, ''),
  );

  api.templates().then(
    (r) => {
      templates = r.templates;
      fillTemplates();
    },
    (err) => (status.textContent = `Could not load templates: ${(err as Error).message}`),
  );
}

/** The signed-in user's loops (GET /api/me/loops): upcoming first, then past loops with
 * their decisions, by role. The host's own loops carry the account's actions: a fresh host
 * link (the way in from any device), archive, export and delete. */
async function renderMyLoops(root: HTMLElement, showArchived = false): Promise<void> {
  let loops;
  try {
    loops = (await account.myLoops(showArchived)).loops;
  } catch {
    return;
  }
  const now = Date.now();
  const tokens = new Map(savedLoops().map((l) => [l.id, l.hostToken]));
  const refresh = () => renderMyLoops(root, showArchived);
  const action = (label: string, testid: string, run: (b: HTMLButtonElement) => Promise<void>) => {
    const b = h('button', { type: 'button', class: 'small', 'data-testid': testid }, label) as HTMLButtonElement;
    b.onclick = async () => {
      b.disabled = true;
      try {
        await run(b);
      } catch (err) {
        b.textContent = `Failed: ${(err as Error).message}`;
      }
      b.disabled = false;
    };
    return b;
  };
  const hostActions = (l: (typeof loops)[number]) => [
    ' ',
    action('Get a new host link', 'my-loop-host-link', async () => {
      const inv = await account.reissue(l.loopId, l.participantId);
      localStorage.setItem(SAVED, JSON.stringify([{ id: l.loopId, title: l.title, hostToken: inv.token, createdAt: Date.now() }, ...savedLoops().filter((s) => s.id !== l.loopId)].slice(0, 20)));
      await refresh();
    }),
    ' ',
    action(l.archived ? 'Unarchive' : 'Archive', 'my-loop-archive', async () => {
      await account.archive(l.loopId, !l.archived);
      await refresh();
    }),
    ' ',
    action('Export', 'my-loop-export', async () => {
      const data = await account.exportLoop(l.loopId);
      const blob = new Blob([JSON.stringify(toJson(LoopExportSchema, data), null, 2)], { type: 'application/json' });
      const a = h('a', { href: URL.createObjectURL(blob), download: `mockloop-${l.loopId}.json` }) as HTMLAnchorElement;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }),
    ' ',
    action('Delete', 'my-loop-delete', async () => {
      if (!confirm(`Delete "${l.title || l.loopId}" for everyone? Its boards, code, notes, scorecards, written work and links are removed for good.`)) return;
      await account.deleteLoop(l.loopId);
      localStorage.setItem(SAVED, JSON.stringify(savedLoops().filter((s) => s.id !== l.loopId)));
      await refresh();
    }),
  ];
  const item = (l: (typeof loops)[number]) => {
    const role = normalizeRole(Role[l.role]);
    const next = Number(l.nextRoundStartsAtMs);
    const when = next > now ? ` · next round ${new Date(next).toLocaleString()}` : '';
    const outcome = l.decision ? decisionLabel(l.decision.outcome) : '';
    const token = tokens.get(l.loopId);
    return h(
      'li',
      { 'data-testid': 'my-loop', 'data-loop': l.loopId },
      h('strong', {}, l.title || l.loopId),
      ` · ${roleLabel(role)}${l.revoked ? ' (link no longer valid)' : ''}${when}`,
      outcome ? [' · ', h('span', { class: 'my-loop-decision', 'data-testid': 'my-loop-decision' }, outcome)] : null,
      l.archived ? ' · archived' : '',
      token && l.role === Role.HOST
        ? [' · ', h('a', { href: `/join?token=${encodeURIComponent(token)}` }, 'Open room'), ' · ', h('a', { href: `/loop/${encodeURIComponent(l.loopId)}/settings?token=${encodeURIComponent(token)}` }, 'Settings')]
        : null,
      l.role === Role.HOST ? h('span', { class: 'my-loop-actions' }, hostActions(l)) : null,
    );
  };
  const upcoming = loops.filter((l) => Number(l.nextRoundStartsAtMs) > now).sort((a, b) => Number(a.nextRoundStartsAtMs) - Number(b.nextRoundStartsAtMs));
  const past = loops.filter((l) => !(Number(l.nextRoundStartsAtMs) > now) && l.past);
  const rest = loops.filter((l) => !(Number(l.nextRoundStartsAtMs) > now) && !l.past);
  root.hidden = false;
  replace(
    root,
    h('h2', { id: 'home-h' }, 'My loops'),
    loops.length === 0 ? h('p', { class: 'muted' }, showArchived ? 'No loops.' : 'No loops yet: loops you create, and invites you open while signed in, appear here.') : null,
    upcoming.length ? [h('h3', {}, 'Upcoming rounds'), h('ul', {}, upcoming.map(item))] : null,
    rest.length ? [h('h3', {}, upcoming.length ? 'Other loops' : 'Loops'), h('ul', {}, rest.map(item))] : null,
    past.length ? [h('h3', {}, 'Past loops'), h('ul', { 'data-testid': 'past-loops' }, past.map(item))] : null,
    h('p', {}, h('label', {}, h('input', { type: 'checkbox', checked: showArchived, 'data-testid': 'show-archived', onchange: (e: Event) => renderMyLoops(root, (e.target as HTMLInputElement).checked) }), ' Show archived loops')),
  );
}

function decisionLabel(outcome: DecisionOutcome): string {
  switch (outcome) {
    case DecisionOutcome.HIRE: return 'Decision: hire';
    case DecisionOutcome.NO_HIRE: return 'Decision: no hire';
    case DecisionOutcome.NOT_APPLICABLE: return 'Practice: done';
    case DecisionOutcome.PENDING: return 'Decision pending';
    default: return '';
  }
}

function showInvites(root: HTMLElement, res: CreateLoopResponse): void {
  const hostToken = res.invites.find((i) => i.role === Role.HOST)?.token ?? '';
  const rows = res.invites.map((inv: Invite) => {
    const url = inviteUrl(inv.link, inv.token);
    const role = normalizeRole(Role[inv.role]);
    const btn = h('button', { type: 'button', class: 'small', 'aria-label': `Copy ${roleLabel(role)} link for ${inv.displayName}`, 'data-testid': `copy-${role}`, onclick: async () => { btn.textContent = (await copyText(url)) ? 'Copied' : 'Copy failed'; } }, 'Copy link');
    return h(
      'tr',
      {},
      h('td', {}, roleLabel(role)),
      h('td', {}, inv.displayName),
      h('td', {}, h('input', { readonly: true, value: url, 'aria-label': `${roleLabel(role)} invite link for ${inv.displayName}`, 'data-testid': `invite-${role}`, 'data-person': inv.displayName, onfocus: (e: Event) => (e.target as HTMLInputElement).select() })),
      h(
        'td',
        {},
        btn,
        ' ',
        h('a', { href: url, target: '_blank', rel: 'noopener' }, 'Open'),
        inv.role !== Role.HOST && res.loop
          ? h('button', {
              type: 'button',
              class: 'small',
              'aria-label': `Revoke the ${roleLabel(role)} link for ${inv.displayName}`,
              'data-testid': `revoke-${role}`,
              onclick: async (e: Event) => {
                const b = e.currentTarget as HTMLButtonElement;
                if (!confirm(`Revoke ${inv.displayName}'s link? Their open sessions close at once.`)) return;
                try {
                  await api.revoke(res.loop!.id, inv.tokenId, hostToken);
                  b.textContent = 'Revoked';
                  b.disabled = true;
                } catch (err) {
                  b.textContent = `Failed: ${(err as Error).message}`;
                }
              },
            }, 'Revoke')
          : null,
      ),
    );
  });
  const loop = res.loop;
  replace(
    root,
    h('h2', {}, loop?.title ?? 'Loop'),
    (() => {
      const host = res.invites.find((i) => i.role === Role.HOST);
      return loop && host
        ? [
            h('p', { class: 'warn', role: 'note', 'data-testid': 'keep-link-warning' }, h('strong', {}, 'Keep your host link (the first one below) safe. '), 'It is the only way into this loop as its host: this browser remembers it under "Your loops"; signed in, the loop is also listed under "My loops" on every device, but the link itself cannot be recovered from the account yet, nor reissued.'),
            h('p', {}, h('a', { href: `/loop/${encodeURIComponent(loop.id)}/settings?token=${encodeURIComponent(host.token)}`, 'data-testid': 'open-settings-link' }, 'Loop settings (host): people, links, schedule'), ' · ', h('a', { href: `/debrief/${encodeURIComponent(loop.id)}?token=${encodeURIComponent(host.token)}`, 'data-testid': 'open-debrief-link' }, 'Debrief page (host)')),
          ]
        : null;
    })(),
    loop ? scheduleList(loop) : null,
    h('table', { class: 'invite-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Role'), h('th', {}, 'Name'), h('th', {}, 'Invite link'), h('th', {}, ''))), h('tbody', {}, rows)),
  );
}
