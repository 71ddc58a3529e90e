// The replay of a round (issue 19): /replay/<loopId>/<round>?token=...[&at=<ms>]. A scrubber
// over the round with its phase bands and event ticks, one activity track per participant,
// play at 1x-32x (optionally skipping idle stretches), previous/next event, and the board and
// code pad as the server rebuilt them at that moment (GET .../state?at=), shown read-only with
// the room's own BoardView and CodePad over a local mirror doc. What the reader may see is the
// server's decision (the candidate's timeline carries no staff-only event).
// A round still going on grows: the page fetches the timeline again every
// kTimelineRefreshMs while the tab is visible, redraws it when it changed, and a reader
// standing at the end follows the new end.

import { Awareness } from 'y-protocols/awareness';
import { BoardView } from '../board/view';
import { BoardModel } from '../board/model';
import { CodePad } from '../code/pad';
import { h, replace } from '../lib/dom';
import { ReplayMirror, type ReplayState } from './replay_mirror';
import { SnapshotsPanel } from './replay_snapshots';

export interface TimelineEvent {
  atMs: number;
  kind: string;
  participantId: string;
  summary: string;
}
export interface Timeline {
  startMs: number;
  endMs: number;
  staffEvents: boolean;
  events: TimelineEvent[];
  phases: { index: number; name: string; status: string; startMs: number; endMs: number }[];
  participants: { id: string; name: string; role: string }[];
  activity: { participantId: string; spans: [number, number, number][] }[];
}

export const SPEEDS = [1, 2, 4, 8, 16, 32];
const TICK_MS = 100; // playback step (wall time)
const IDLE_MS = 15_000; // with "skip idle", a stretch this long without activity is jumped over
/** How often an open replay asks for the timeline again (a live round grows); default 5 s. */
export const kTimelineRefreshMs = 5_000;

async function getJson<T>(path: string, token: string): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) {
    let msg = text.slice(0, 200);
    try {
      msg = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? msg;
    } catch {
      /* not JSON */
    }
    throw Object.assign(new Error(msg), { status: res.status });
  }
  return JSON.parse(text) as T;
}

/** "m:ss" of `ms` since the round's start. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The first moment after `at` (+ a small step) with an event or edit activity, or undefined. */
export function nextActivity(t: Timeline, at: number): number | undefined {
  let best: number | undefined;
  for (const e of t.events) if (e.atMs > at && (best === undefined || e.atMs < best)) best = e.atMs;
  for (const a of t.activity)
    for (const [s, e] of a.spans) {
      if (s > at && (best === undefined || s < best)) best = s;
      if (s <= at && e > at) return at; // inside a burst: not idle
    }
  return best;
}

export function renderReplay(root: HTMLElement, loopId: string, round: number, token: string, at?: number): void {
  const status = h('p', { role: 'status' }, 'Loading the replay…');
  replace(root, h('div', { class: 'replay', 'data-testid': 'replay' }, h('header', { class: 'room-header' }, h('a', { href: '/', class: 'brand' }, 'MockLoop'), h('strong', {}, `Replay · round ${round + 1}`)), status));
  const base = `/api/v1/loops/${encodeURIComponent(loopId)}/rounds/${round}`;
  getJson<Timeline>(`${base}/timeline`, token).then(
    (t) => {
      const page = new ReplayPage(t, base, token, at ?? t.startMs);
      status.replaceWith(page.el);
      const refresh = setInterval(() => {
        if (!page.el.isConnected) clearInterval(refresh);
        else if (document.visibilityState === 'visible')
          getJson<Timeline>(`${base}/timeline`, token).then((next) => page.update(next), () => undefined);
      }, kTimelineRefreshMs);
    },
    (err: Error & { status?: number }) => {
      status.setAttribute('role', 'alert');
      status.dataset.testid = 'replay-error';
      status.textContent =
        err.status === 403 ? 'This replay is not open to you (the candidate may watch once the loop has ended, if the host allows).' : `Could not load the replay: ${err.message}`;
    },
  );
}

/** True when `b` says more than `a`: a later end or more events (the page redraws then). */
export function timelineGrew(a: Timeline, b: Timeline): boolean {
  return b.endMs !== a.endMs || b.startMs !== a.startMs || b.events.length !== a.events.length || b.phases.length !== a.phases.length;
}

class ReplayPage {
  readonly el: HTMLElement;
  private pos: number;
  private speed = 1;
  private playing: ReturnType<typeof setInterval> | null = null;
  private skipIdle = true;
  private fetching = false;
  private wanted: number | null = null;
  private mirror = new ReplayMirror();
  private scrubber: HTMLInputElement;
  private timeLabel = h('span', { class: 'replay-time', 'data-testid': 'replay-time' });
  private timerLabel = h('span', { class: 'replay-timer', 'data-testid': 'replay-timer' });
  private questionLabel = h('span', { class: 'replay-question', 'data-testid': 'replay-question' });
  private playButton: HTMLButtonElement;
  private bands = h('div', { class: 'replay-bands' });
  private ticks = h('div', { class: 'replay-ticks' });
  private tracks = h('div', { class: 'replay-tracks', 'data-testid': 'replay-tracks' });
  private eventList = h('ol', { class: 'replay-events', 'data-testid': 'replay-events' });
  private eventCount = h('summary', {});

  constructor(private t: Timeline, private readonly base: string, private readonly token: string, at: number) {
    this.pos = Math.min(Math.max(at, t.startMs), Math.max(t.startMs, t.endMs));
    this.scrubber = h('input', {
      type: 'range', step: 'any',
      class: 'replay-scrubber', 'aria-label': 'Moment', 'data-testid': 'replay-scrubber',
      oninput: () => this.seek(Number(this.scrubber.value)),
    }) as HTMLInputElement;
    this.playButton = h('button', { 'data-testid': 'replay-play', onclick: () => this.togglePlay() }, 'Play') as HTMLButtonElement;
    const speed = h('select', { 'aria-label': 'Speed', 'data-testid': 'replay-speed', onchange: (e: Event) => (this.speed = Number((e.target as HTMLSelectElement).value)) },
      SPEEDS.map((s) => h('option', { value: s }, `${s}x`)));
    const skip = h('label', {}, h('input', { type: 'checkbox', checked: this.skipIdle, onchange: (e: Event) => (this.skipIdle = (e.target as HTMLInputElement).checked) }), ' skip idle');
    const controls = h('div', { class: 'replay-controls' },
      h('button', { 'data-testid': 'replay-prev', onclick: () => this.step(-1) }, '◀ Event'),
      this.playButton,
      h('button', { 'data-testid': 'replay-next', onclick: () => this.step(1) }, 'Event ▶'),
      speed, skip, this.timeLabel, this.timerLabel, this.questionLabel);

    const awareness = new Awareness(this.mirror.doc);
    awareness.setLocalState(null); // a viewer announces nothing
    const board = new BoardView(new BoardModel(this.mirror.doc), awareness, { readOnly: true, fileName: 'replay' });
    const code = new CodePad(this.mirror.doc, awareness, { readOnly: true });
    this.el = h('main', { class: 'replay-main' },
      controls,
      h('div', { class: 'replay-scrub' }, this.bands, this.ticks, this.scrubber),
      this.tracks,
      h('div', { class: 'replay-workspace' }, h('div', { class: 'replay-board', 'data-testid': 'replay-board' }, board.el), h('div', { class: 'replay-code' }, code.el)),
      h('details', { open: true }, this.eventCount, this.eventList));
    this.draw();
    // Staff (the timeline carries their events) may take snapshots and restore the live room.
    if (t.staffEvents)
      this.el.append(new SnapshotsPanel({ base, token, startMs: t.startMs, seek: (ms) => this.seek(ms), position: () => this.pos, label: clock }).el);
    this.seek(this.pos);
  }

  /** A newer timeline of the same round: redrawn when it grew; a reader at the end follows it. */
  update(next: Timeline): void {
    if (!timelineGrew(this.t, next)) return;
    const atEnd = this.pos >= this.t.endMs;
    this.t = next;
    this.draw();
    this.seek(atEnd && !this.playing ? next.endMs : this.pos);
  }

  /** The parts drawn from the timeline: scrubber range, phase bands, ticks, tracks, events. */
  private draw(): void {
    const t = this.t;
    const span = Math.max(1, t.endMs - t.startMs);
    const pct = (ms: number) => `${(((ms - t.startMs) / span) * 100).toFixed(3)}%`;
    const width = (a: number, b: number) => `${((Math.max(b - a, span / 400) / span) * 100).toFixed(3)}%`;
    const names = new Map(t.participants.map((p) => [p.id, p.name]));
    this.scrubber.min = String(t.startMs);
    this.scrubber.max = String(Math.max(t.startMs + 1, t.endMs));
    this.el.dataset.endMs = String(t.endMs);
    replace(this.bands, t.phases.map((p) => h('div', { class: `replay-band replay-band-${p.status} replay-band-${p.index % 4}`, style: `left:${pct(p.startMs)};width:${width(p.startMs, p.endMs)}`, title: `${p.name} (${p.status})` }, p.name)));
    replace(this.ticks, t.events.filter((e) => e.kind !== 'edits').map((e) => h('button', { class: `replay-tick replay-tick-${e.kind}`, style: `left:${pct(e.atMs)}`, title: `${clock(e.atMs - t.startMs)} ${e.summary}`, 'aria-label': e.summary, onclick: () => this.seek(e.atMs) })));
    replace(this.tracks, t.activity.map((a) => h('div', { class: 'replay-track' },
      h('span', { class: 'replay-track-name' }, names.get(a.participantId) ?? (a.participantId || 'unknown')),
      h('div', { class: 'replay-track-lane' }, a.spans.map(([s, e, n]) => h('div', { class: 'replay-span', style: `left:${pct(s)};width:${width(s, e)}`, title: `${n} changes` }))))));
    replace(this.eventList, t.events.map((e) => h('li', { 'data-kind': e.kind },
      h('button', { class: 'linklike', onclick: () => this.seek(e.atMs) }, clock(e.atMs - t.startMs)), ' ',
      h('span', { class: 'replay-who' }, names.get(e.participantId) ?? ''), ' ', e.summary)));
    this.eventCount.textContent = `Events (${t.events.length})`;
  }

  private seek(at: number): void {
    this.pos = Math.min(Math.max(at, this.t.startMs), this.t.endMs);
    this.scrubber.value = String(this.pos);
    this.timeLabel.textContent = `${clock(this.pos - this.t.startMs)} / ${clock(this.t.endMs - this.t.startMs)}`;
    this.wanted = this.pos;
    void this.load();
  }

  /** One request in flight; the latest wanted moment wins. */
  private async load(): Promise<void> {
    if (this.fetching || this.wanted === null) return;
    const at = this.wanted;
    this.wanted = null;
    this.fetching = true;
    try {
      const s = await getJson<ReplayState>(`${this.base}/state?at=${Math.round(at)}`, this.token);
      this.mirror.apply(s);
      this.el.dataset.shownAt = String(s.atMs);
      const left = Math.abs(s.timer.remainingMs);
      this.timerLabel.textContent = `${s.timer.phaseName} · ${s.timer.status}${s.timer.status === 'running' || s.timer.status === 'paused' ? ` · ${clock(left)}${s.timer.overtime ? ' over' : ' left'}` : ''}`;
      this.questionLabel.textContent = s.question ? `Question: ${s.question.title}` : '';
    } catch (e) {
      this.timerLabel.textContent = `Could not load this moment: ${(e as Error).message}`;
    } finally {
      this.fetching = false;
      if (this.wanted !== null) void this.load();
    }
  }

  private step(dir: 1 | -1): void {
    const evs = this.t.events.map((e) => e.atMs);
    const target = dir > 0 ? evs.find((m) => m > this.pos + 50) : [...evs].reverse().find((m) => m < this.pos - 50);
    if (target !== undefined) this.seek(target);
  }

  private togglePlay(): void {
    if (this.playing) {
      clearInterval(this.playing);
      this.playing = null;
      this.playButton.textContent = 'Play';
      return;
    }
    if (this.pos >= this.t.endMs) this.seek(this.t.startMs);
    this.playButton.textContent = 'Pause';
    this.playing = setInterval(() => {
      let next = this.pos + TICK_MS * this.speed;
      if (this.skipIdle) {
        const act = nextActivity(this.t, this.pos);
        if (act !== undefined && act - this.pos > IDLE_MS) next = act;
      }
      if (next >= this.t.endMs) {
        this.seek(this.t.endMs);
        this.togglePlay();
        return;
      }
      this.seek(next);
    }, TICK_MS);
  }
}
