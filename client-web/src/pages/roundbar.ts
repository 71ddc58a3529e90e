// The round bar under the room header: which round is on screen and where the loop is.
//  - following the loop: the round's name; for those who may move the loop, "Next round"
//    (with the template's break) and "Move without break";
//  - looking at another round (staff): "Viewing round N - the loop is in round M", with
//    "Back to round M" and, when allowed, "Move the loop here";
//  - during a break, for everyone: "Break - next round in 12:40" (and "End break" for those
//    who may move the loop).
// A round picker lets staff and observers look at any round they may join; the candidate
// gets none (the server would refuse it). Owns its interval; `destroy` releases it.

import { h, replace } from '../lib/dom';
import type { SessionClient } from '../session/session';
import { breakRemaining, breakText, viewingText, type ProgressView } from '../state/progress';

export interface RoundInfo {
  index: number;
  title: string;
}

export interface RoundBarState {
  rounds: RoundInfo[];
  /** Rounds this participant may look at (empty: no picker). */
  viewable: number[];
  shown: number;
  progress: ProgressView;
  canMove: boolean;
}

export class RoundBar {
  readonly el: HTMLElement;
  private picker: HTMLElement;
  private status: HTMLElement;
  private breakEl: HTMLElement;
  private breakLeft: HTMLElement;
  private endBreak: HTMLButtonElement;
  private s: RoundBarState | null = null;
  private interval: number;

  constructor(private readonly session: SessionClient, private readonly onView: (round: number) => void) {
    this.picker = h('span');
    this.status = h('span', { class: 'round-status', 'data-testid': 'round-status' });
    this.breakLeft = h('span', { 'data-testid': 'break-text' });
    this.endBreak = h('button', { type: 'button', class: 'small', 'data-testid': 'end-break', onclick: () => this.s && this.session.send({ case: 'moveLoop', value: { roundIndex: this.s.progress.current, takeBreak: false } }) }, 'End break');
    this.breakEl = h('span', { class: 'break-banner', role: 'timer', 'data-testid': 'break-banner', hidden: true }, this.breakLeft, this.endBreak);
    this.el = h('div', { class: 'round-bar', 'data-testid': 'round-bar', hidden: true }, this.picker, this.status, this.breakEl);
    this.interval = window.setInterval(() => this.tickBreak(), 250);
  }

  update(s: RoundBarState): void {
    this.s = s;
    this.el.hidden = s.rounds.length < 2 && !s.progress.breakEndsAtMs;
    const viewing = s.shown !== s.progress.current;
    this.el.dataset.viewing = String(viewing);
    this.el.dataset.current = String(s.progress.current);
    this.renderPicker();
    const title = (i: number) => s.rounds.find((r) => r.index === i)?.title ?? '';
    const move = (round: number, takeBreak: boolean, label: string, testid: string) =>
      h('button', { type: 'button', class: 'small', 'data-testid': testid, onclick: () => this.session.send({ case: 'moveLoop', value: { roundIndex: round, takeBreak } }) }, label);
    if (viewing) {
      replace(
        this.status,
        h('strong', { class: 'viewing', 'data-testid': 'viewing-banner' }, viewingText(s.shown, s.progress.current)),
        h('button', { type: 'button', class: 'small', 'data-testid': 'back-to-current', onclick: () => this.onView(s.progress.current) }, `Back to round ${s.progress.current + 1}`),
        s.canMove ? move(s.shown, false, 'Move the loop here', 'move-loop-here') : null,
      );
    } else {
      const next = s.rounds.find((r) => r.index === s.progress.current + 1);
      replace(
        this.status,
        h('span', { class: 'muted' }, `Round ${s.progress.current + 1} of ${s.rounds.length}`),
        s.canMove && next ? move(next.index, true, `Next round: ${next.title} ▸`, 'next-round') : null,
        s.canMove && next ? move(next.index, false, 'without break', 'next-round-now') : null,
      );
    }
    this.status.title = s.progress.movedBy ? `Moved to round ${s.progress.current + 1} (${title(s.progress.current)}) by ${s.progress.movedBy}` : '';
    this.tickBreak();
  }

  private renderPicker(): void {
    const s = this.s!;
    if (s.viewable.length < 2) {
      replace(this.picker);
      return;
    }
    const sel = h(
      'select',
      { 'aria-label': 'Look at a round', 'data-testid': 'round-select', onchange: (e: Event) => this.onView(Number((e.target as HTMLSelectElement).value)) },
      s.rounds
        .filter((r) => s.viewable.includes(r.index))
        .map((r) => h('option', { value: r.index }, `${r.index + 1}. ${r.title}${r.index === s.progress.current ? ' (current)' : ''}`)),
    );
    sel.value = String(s.shown);
    replace(this.picker, sel);
  }

  private tickBreak(): void {
    const s = this.s;
    const left = s ? breakRemaining(s.progress, this.session.clock.serverNow()) : null;
    this.breakEl.hidden = left === null;
    this.el.classList.toggle('on-break', left !== null);
    if (left === null || !s) return;
    const text = breakText(left);
    if (this.breakLeft.textContent !== text) this.breakLeft.textContent = text;
    this.endBreak.hidden = !s.canMove;
    this.el.hidden = false;
  }

  destroy(): void {
    window.clearInterval(this.interval);
  }
}
