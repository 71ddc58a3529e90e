// The loop's schedule as everyone sees it: each round with its planned start in the
// viewer's own time zone (Round.startsAtMs is server-clock epoch ms; 0 = not scheduled).
// For the host, a link to the loop settings page.

import type { Loop } from '../gen/loop_pb';
import { h } from '../lib/dom';

/** "Thu 10 Dec, 14:30" in the viewer's locale and time zone; '' when unscheduled. */
export function formatStart(ms: bigint | number): string {
  const n = Number(ms);
  if (!n) return '';
  return new Date(n).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function timeZoneName(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return 'local time';
  }
}

export function scheduleList(loop: Loop): HTMLElement {
  return h(
    'ol',
    { class: 'schedule-list', 'data-testid': 'schedule' },
    loop.rounds.map((r) =>
      h('li', { 'data-testid': `schedule-round-${r.index}` }, `${r.title}`, r.startsAtMs ? h('span', { class: 'start' }, ` · ${formatStart(r.startsAtMs)}`) : h('span', { class: 'muted' }, ' · not scheduled'), ` · ${r.durationMinutes} min`, r.breakMinutesAfter ? h('small', {}, ` then ${r.breakMinutesAfter} min break`) : null),
    ),
  );
}

/** A compact "Schedule" disclosure for the room header (and the settings link for the host). */
export function scheduleMenu(loop: Loop, hostToken?: string): HTMLElement {
  return h(
    'details',
    { class: 'schedule-menu', 'data-testid': 'schedule-menu' },
    h('summary', {}, 'Schedule'),
    h('div', { class: 'schedule-pop' }, h('p', { class: 'muted' }, `Times in your time zone (${timeZoneName()}).`), scheduleList(loop),
      hostToken ? h('a', { href: `/loop/${encodeURIComponent(loop.id)}/settings?token=${encodeURIComponent(hostToken)}`, 'data-testid': 'open-settings' }, 'Loop settings: people, links, schedule') : null),
  );
}

/** `<input type=datetime-local>` value for epoch ms in the viewer's zone, and back. */
export function toLocalInput(ms: bigint | number): string {
  const n = Number(ms);
  if (!n) return '';
  const d = new Date(n);
  const pad = (x: number) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(v: string): bigint {
  if (!v) return 0n;
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? BigInt(t) : 0n;
}
