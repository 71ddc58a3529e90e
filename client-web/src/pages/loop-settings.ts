// The loop settings page, /loop/<id>/settings (host only; the server refuses everyone else):
// every person with their invite status (invited, joined, submitted, revoked), rename,
// change role or rounds, remove, and issue a fresh link for anyone (the old one stops at
// once on every channel); add people; plan each round's start (shown in the viewer's time
// zone). A fresh link is shown once, in the row it was issued for: the server keeps only
// its hash.

import { Role, InviteStatus, type GetLoopResponse, type Invite, type Loop, type Participant } from '../gen/loop_pb';
import { api, ApiError } from '../lib/api';
import { copyText, h, replace } from '../lib/dom';
import { normalizeRole, roleLabel } from '../state/roles';
import { inviteUrl } from './lobby';
import { fromLocalInput, scheduleList, timeZoneName, toLocalInput } from './schedule';

const EDITABLE_ROLES: Role[] = [Role.INTERVIEWER, Role.BAR_RAISER, Role.OBSERVER];

function roleName(r: Role): string {
  return roleLabel(normalizeRole(Role[r]));
}

function statusOf(invites: Invite[], pid: string): { label: string; key: string } {
  const mine = invites.filter((i) => i.participantId === pid);
  const live = mine.filter((i) => i.status !== InviteStatus.REVOKED).pop();
  const s = live?.status ?? (mine.length ? InviteStatus.REVOKED : InviteStatus.UNSPECIFIED);
  switch (s) {
    case InviteStatus.SUBMITTED: return { label: `submitted (round ${live!.submittedRounds.map((r) => r + 1).join(', ')})`, key: 'submitted' };
    case InviteStatus.JOINED: return { label: 'joined', key: 'joined' };
    case InviteStatus.INVITED: return { label: 'invited', key: 'invited' };
    case InviteStatus.REVOKED: return { label: 'link revoked', key: 'revoked' };
    default: return { label: '—', key: 'none' };
  }
}

function roundChecks(loop: Loop, selected: number[], testid: string): { el: HTMLElement; value: () => number[] } {
  const boxes = loop.rounds.map((r) => h('input', { type: 'checkbox', value: r.index, checked: selected.includes(r.index), 'data-testid': `${testid}-round-${r.index}` }));
  return {
    el: h('div', { class: 'round-checks' }, loop.rounds.map((r, i) => h('label', {}, boxes[i]!, ` ${r.index + 1}. ${r.title}`))),
    value: () => boxes.filter((b) => b.checked).map((b) => Number(b.value)),
  };
}

export function renderLoopSettings(root: HTMLElement, loopId: string, token: string): void {
  const status = h('p', { role: 'status', class: 'status', 'data-testid': 'settings-status' });
  const say = (msg: string) => (status.textContent = msg);
  const fail = (what: string) => (err: unknown) => say(`${what}: ${err instanceof ApiError ? err.message : String(err)}`);

  const load = async () => {
    let res: GetLoopResponse;
    try {
      res = await api.getLoop(loopId, token);
    } catch (err) {
      replace(root, h('div', { class: 'lobby' }, h('p', { class: 'banner', 'data-testid': 'settings-refused' }, err instanceof ApiError && err.status === 401 ? 'This link is invalid or has been revoked.' : `Cannot open the loop settings: ${(err as Error).message}`)));
      return;
    }
    if (res.you?.role !== Role.HOST) {
      replace(root, h('div', { class: 'lobby' }, h('p', { class: 'banner', 'data-testid': 'settings-refused' }, 'Only the host can change the panel.')));
      return;
    }
    render(res);
  };

  const render = (res: GetLoopResponse) => {
    const loop = res.loop!;
    const people = h('tbody', {});
    for (const p of loop.participants) people.append(personRow(loop, p, res.invites, res.you?.id === p.id));
    replace(
      root,
      h(
        'div',
        { class: 'lobby settings', 'data-testid': 'loop-settings' },
        h('header', { class: 'lobby-header' }, h('h1', {}, 'Loop settings'), h('p', {}, h('strong', { 'data-testid': 'settings-title' }, loop.title), ' · ', h('a', { href: `/join?token=${encodeURIComponent(token)}` }, 'Open the room'), ' · ', h('a', { href: `/debrief/${encodeURIComponent(loop.id)}?token=${encodeURIComponent(token)}` }, 'Debrief'))),
        h('main', { class: 'lobby-main' },
          h('p', { class: 'warn', role: 'note', 'data-testid': 'keep-link-warning' },
            h('strong', {}, 'Keep your own host link safe. '),
            'It is the only way into this loop as its host: this browser remembers it, another browser or device does not (signed in, the loop is listed under "My loops", but the link cannot be recovered from the account yet), and nobody can issue you a new one. ',
            h('button', { type: 'button', class: 'small', 'data-testid': 'copy-my-link', onclick: async (e: Event) => { (e.currentTarget as HTMLButtonElement).textContent = (await copyText(inviteUrl('', token))) ? 'Copied' : 'Copy failed'; } }, 'Copy my link')),
          status,
          h('section', { class: 'card' }, h('h2', {}, 'People'),
            h('table', { class: 'people-table', 'data-testid': 'people-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Role'), h('th', {}, 'Rounds'), h('th', {}, 'Status'), h('th', {}, ''))), people),
            addForm(loop)),
          scheduleForm(loop),
        ),
      ),
    );
  };

  const personRow = (loop: Loop, p: Participant, invites: Invite[], isYou: boolean): HTMLElement => {
    const fixed = p.role === Role.HOST || p.role === Role.CANDIDATE;
    const name = h('input', { type: 'text', value: p.displayName, maxlength: 200, 'aria-label': `Name of ${p.displayName}`, 'data-testid': `person-name-${p.displayName}` });
    const role = h('select', { 'aria-label': `Role of ${p.displayName}`, disabled: fixed, 'data-testid': `person-role-${p.displayName}` },
      (fixed ? [p.role] : EDITABLE_ROLES).map((r) => h('option', { value: r }, roleName(r))));
    role.value = String(p.role);
    const rounds = roundChecks(loop, p.roundIndexes, `person-${p.displayName}`);
    const showRounds = () => (rounds.el.hidden = Number(role.value) !== Role.INTERVIEWER);
    role.addEventListener('change', showRounds);
    showRounds();
    const st = statusOf(invites, p.id);
    const linkBox = h('div', { class: 'fresh-link' });
    const row = h(
      'tr',
      { 'data-testid': `person-${p.displayName}`, 'data-status': st.key },
      h('td', {}, name, isYou ? h('small', {}, ' (you)') : null),
      h('td', {}, role),
      h('td', {}, fixed ? h('span', { class: 'muted' }, 'every round') : Number(role.value) === Role.INTERVIEWER ? null : h('span', { class: 'muted' }, 'every round'), rounds.el),
      h('td', {}, h('span', { class: 'status-badge', 'data-status': st.key, 'data-testid': `person-status-${p.displayName}` }, st.label)),
      h('td', {},
        h('button', { type: 'button', class: 'small', 'data-testid': `person-save-${p.displayName}`, onclick: () => {
          api.updateParticipant(loop.id, p.id, { displayName: name.value, role: Number(role.value) as Role, roundIndexes: Number(role.value) === Role.INTERVIEWER ? rounds.value() : [] }, token)
            .then(() => { say(`Saved ${name.value}. Their open pages reconnect with the new rights.`); return load(); }, fail(`Could not save ${p.displayName}`));
        } }, 'Save'),
        ' ',
        isYou ? null : h('button', { type: 'button', class: 'small', 'data-testid': `person-reissue-${p.displayName}`, onclick: () => {
          if (!confirm(`Issue ${p.displayName} a new link? Their current link stops working at once.`)) return;
          api.reissueInvite(loop.id, p.id, token).then((inv) => {
            const url = inviteUrl(inv.link, inv.token);
            row.dataset.status = 'invited';
            replace(linkBox, h('input', { readonly: true, value: url, 'aria-label': `New link for ${p.displayName}`, 'data-testid': `person-link-${p.displayName}`, onfocus: (e: Event) => (e.target as HTMLInputElement).select() }),
              h('button', { type: 'button', class: 'small', onclick: async (e: Event) => { (e.currentTarget as HTMLButtonElement).textContent = (await copyText(url)) ? 'Copied' : 'Copy failed'; } }, 'Copy'),
              h('small', { class: 'muted' }, ' Shown once: send it now.'));
            say(`New link for ${p.displayName}; the old one no longer works.`);
          }, fail(`Could not issue a link for ${p.displayName}`));
        } }, 'New link'),
        ' ',
        fixed ? null : h('button', { type: 'button', class: 'small danger', 'data-testid': `person-remove-${p.displayName}`, onclick: () => {
          if (!confirm(`Remove ${p.displayName} from the loop? Their link stops working and their open pages close.`)) return;
          api.removeParticipant(loop.id, p.id, token).then(() => { say(`Removed ${p.displayName}.`); return load(); }, fail(`Could not remove ${p.displayName}`));
        } }, 'Remove'),
        linkBox,
      ),
    );
    return row;
  };

  const addForm = (loop: Loop): HTMLElement => {
    const name = h('input', { type: 'text', maxlength: 200, placeholder: 'Name', 'aria-label': 'New person: name', 'data-testid': 'add-name' });
    const role = h('select', { 'aria-label': 'New person: role', 'data-testid': 'add-role' }, EDITABLE_ROLES.map((r) => h('option', { value: r }, roleName(r))));
    const rounds = roundChecks(loop, [], 'add');
    role.addEventListener('change', () => (rounds.el.hidden = Number(role.value) !== Role.INTERVIEWER));
    const out = h('div', { class: 'fresh-link', 'data-testid': 'add-result' });
    return h('div', { class: 'add-person' }, h('h3', {}, 'Add a person'), h('div', { class: 'row' }, name, role), rounds.el,
      h('button', { type: 'button', 'data-testid': 'add-person', onclick: () => {
        const r = Number(role.value) as Role;
        api.addParticipant(loop.id, { displayName: name.value, role: r, roundIndexes: r === Role.INTERVIEWER ? rounds.value() : [] }, token).then(async (res) => {
          const url = inviteUrl(res.invite?.link ?? '', res.invite?.token ?? '');
          await load();
          say(`Added ${res.participant?.displayName}. Their link (shown once): ${url}`);
        }, fail('Could not add the person'));
      } }, 'Add'), out);
  };

  const scheduleForm = (loop: Loop): HTMLElement => {
    const inputs = loop.rounds.map((r) => h('input', { type: 'datetime-local', value: toLocalInput(r.startsAtMs), 'aria-label': `Start of ${r.title}`, 'data-testid': `start-${r.index}` }));
    return h('section', { class: 'card' }, h('h2', {}, 'Schedule'), h('p', { class: 'muted' }, `Times in your time zone (${timeZoneName()}); everyone sees them in theirs.`),
      h('table', { class: 'builder-table' }, h('tbody', {}, loop.rounds.map((r, i) => h('tr', {}, h('td', {}, `${r.index + 1}. ${r.title}`), h('td', {}, inputs[i]!))))),
      h('button', { type: 'button', 'data-testid': 'save-schedule', onclick: () => {
        api.setSchedule(loop.id, { starts: loop.rounds.map((r, i) => ({ roundIndex: r.index, startsAtMs: fromLocalInput(inputs[i]!.value) })) }, token)
          .then((l) => { say('Schedule saved.'); scheduleBox.replaceChildren(scheduleList(l)); }, fail('Could not save the schedule'));
      } }, 'Save schedule'),
      scheduleBox);
  };
  const scheduleBox = h('div', {});

  replace(root, h('p', {}, 'Loading…'));
  void load();
}
