// The phase timer bar: the round's plan as steps, the current phase, remaining time
// (overtime in red), and controls for those the snapshot allows to control the timer.
// When a running phase ends (its time reaches 0, or the server moves past it on
// auto-advance) the PhaseAlert chimes and flashes the bar, once per phase end.

import { TimerAction } from '../gen/session_pb';
import { h, replace } from '../lib/dom';
import { PhaseAlert } from './phase_alert';
import type { SessionClient } from '../session/session';
import { computeTimer, formatRemaining, planRange, type PhasePlanItem, type TimerSnapshot } from '../state/timer';

export class TimerBar {
  readonly el: HTMLElement;
  private steps: HTMLOListElement;
  private phase: HTMLElement;
  private remaining: HTMLElement;
  private progress: HTMLElement;
  private controls: HTMLElement;
  /** The current phase's guidance; only staff receive it from the server. */
  private guidance: HTMLElement;
  private autoBox: HTMLInputElement | null = null;
  private interval: number;
  private t: TimerSnapshot | null = null;
  private plan: PhasePlanItem[] = [];
  private lastStepsKey = '';
  private alert: PhaseAlert;
  /** phaseEndsAtMs of the last phase end alerted (one alert per end). */
  private alertedEnd = 0;

  constructor(private readonly session: SessionClient | null, private canControl: boolean) {
    this.steps = h('ol', { class: 'phase-steps', 'aria-label': 'Phase plan', 'data-testid': 'phase-plan' });
    this.phase = h('span', { class: 'phase-name', 'data-testid': 'timer-phase' }, '—');
    this.remaining = h('span', { class: 'remaining', 'data-testid': 'timer-remaining', 'aria-label': 'Time remaining in this phase' }, '--:--');
    this.progress = h('div', { class: 'progress-fill' });
    this.controls = h('div', { class: 'timer-controls', role: 'group', 'aria-label': 'Timer controls' });
    this.guidance = h('p', { class: 'phase-guidance muted', 'data-testid': 'phase-guidance', hidden: true });
    this.el = h(
      'section',
      { class: 'timerbar', 'aria-label': 'Phase timer', 'data-testid': 'timer-bar' },
      h('div', { class: 'timer-main' }, this.phase, this.remaining, this.controls),
      h('div', { class: 'progress', 'aria-hidden': 'true' }, this.progress),
      h('div', { class: 'timer-plan' }, this.steps, this.guidance),
    );
    this.alert = new PhaseAlert(this.el);
    this.remaining.after(this.alert.button);
    this.interval = window.setInterval(() => this.tick(), 250);
  }

  update(t: TimerSnapshot, plan: PhasePlanItem[], canControl: boolean): void {
    const old = this.t;
    // The server moved past a running phase at (or just before) its end: auto-advance.
    if (old && old.status === 'running' && plan === this.plan && (t.phaseIndex > old.phaseIndex || t.status === 'finished') &&
        old.phaseEndsAtMs - this.now() <= 1000 && this.alertedEnd !== old.phaseEndsAtMs) {
      this.alertedEnd = old.phaseEndsAtMs;
      this.alert.fire();
    }
    this.t = t;
    if (plan !== this.plan) this.lastStepsKey = ''; // a new round's plan may have as many phases as the last
    this.plan = plan;
    this.canControl = canControl;
    this.renderControls();
    this.tick();
  }

  private cmd(action: TimerAction, extra: { extendSeconds?: bigint; autoAdvance?: boolean } = {}): void {
    this.session?.send({ case: 'timer', value: { action, ...extra } });
  }

  private renderControls(): void {
    if (!this.canControl || !this.session || !this.t) {
      replace(this.controls);
      return;
    }
    const st = this.t.status;
    const b = (label: string, testid: string, action: TimerAction, extra = {}, aria = label) =>
      h('button', { type: 'button', 'data-testid': testid, 'aria-label': aria, onclick: () => this.cmd(action, extra) }, label);
    this.autoBox = h('input', { type: 'checkbox', checked: Boolean(this.t.autoAdvance), onchange: (e: Event) => this.cmd(TimerAction.SET_AUTO_ADVANCE, { autoAdvance: (e.target as HTMLInputElement).checked }) });
    replace(
      this.controls,
      b('◂ Prev', 'timer-prev', TimerAction.PREVIOUS, {}, 'Previous phase'),
      st === 'idle' ? b('Start', 'timer-start', TimerAction.START) : st === 'running' ? b('Pause', 'timer-pause', TimerAction.PAUSE) : st === 'paused' ? b('Resume', 'timer-resume', TimerAction.RESUME) : null,
      b('Next ▸', 'timer-next', TimerAction.NEXT, {}, 'Next phase'),
      b('+5 min', 'timer-extend', TimerAction.EXTEND, { extendSeconds: 300n }, 'Extend this phase by 5 minutes'),
      h('label', { class: 'auto' }, this.autoBox, ' Auto-advance'),
      st !== 'idle' ? b('Reset', 'timer-reset', TimerAction.RESET, {}, 'Reset the timer to the first phase') : null,
    );
  }

  private now(): number {
    return this.session ? this.session.clock.serverNow() : Date.now();
  }

  private tick(): void {
    if (!this.t) return;
    const now = this.now();
    const v = computeTimer(this.t, this.plan, now);
    if (v.status === 'running' && v.remainingMs <= 0 && v.remainingMs > -2000 && this.alertedEnd !== this.t.phaseEndsAtMs) {
      this.alertedEnd = this.t.phaseEndsAtMs;
      this.alert.fire();
    }
    this.phase.textContent = v.status === 'finished' ? 'Round finished' : `${v.phaseIndex + 1}/${v.phaseCount} · ${v.phaseTitle}${v.status === 'paused' ? ' (paused)' : v.status === 'idle' ? ' (not started)' : ''}`;
    this.remaining.textContent = v.status === 'finished' ? '0:00' : formatRemaining(v.remainingMs);
    this.remaining.dataset.ms = String(Math.round(v.remainingMs));
    this.el.classList.toggle('overtime', v.overtime);
    this.el.dataset.status = v.status;
    this.progress.style.width = `${v.progress * 100}%`;
    const key = `${v.phaseIndex}|${v.status}|${this.plan.length}`;
    if (key !== this.lastStepsKey) {
      this.lastStepsKey = key;
      const g = v.status === 'finished' ? '' : (this.plan[v.phaseIndex]?.guidance ?? '');
      this.guidance.hidden = !g;
      this.guidance.textContent = g ? `Interviewer guidance: ${g}` : '';
      this.guidance.title = g;
      replace(
        this.steps,
        this.plan.map((p, i) =>
          h('li', { class: i < v.phaseIndex || v.status === 'finished' ? 'done' : i === v.phaseIndex ? 'current' : '', 'aria-current': i === v.phaseIndex ? 'step' : undefined, title: p.guidance || undefined }, `${p.title} `, h('small', {}, planRange(p))),
        ),
      );
    }
  }

  destroy(): void {
    window.clearInterval(this.interval);
    this.alert.destroy();
  }
}
