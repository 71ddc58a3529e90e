// The phase timer as the client sees it: the server's TimerState (session.proto) turned into
// "what to show now". The server owns the timer; the client never advances it. While
// RUNNING, remaining = phaseEndsAtMs - estimated server now (local now + clock offset, see
// clock.ts); otherwise the server's `remainingMs` is shown as is. So every participant shows
// the same numbers whatever their local clock says.

export type TimerStatusName = 'idle' | 'running' | 'paused' | 'finished';

export interface PhasePlanItem {
  title: string;
  plannedMinutes: number;
  minMinutes?: number;
  maxMinutes?: number;
  guidance?: string;
}

/** The fields of mockloop.v1.TimerState the client uses. */
export interface TimerSnapshot {
  status: TimerStatusName;
  phaseIndex: number;
  /** Server clock, ms since the epoch; meaningful while running. */
  phaseEndsAtMs: number;
  /** Remaining at the server's `serverNowMs`; shown while not running. Negative = overtime. */
  remainingMs: number;
  /** Planned length of the phase plus extensions. */
  phaseDurationMs: number;
  autoAdvance?: boolean;
}

export interface TimerView {
  status: TimerStatusName;
  phaseTitle: string;
  phaseIndex: number;
  phaseCount: number;
  /** Milliseconds left in the current phase; negative when over time. */
  remainingMs: number;
  overtime: boolean;
  phaseDurationMs: number;
  /** Fraction of the phase used, 0..1. */
  progress: number;
}

export function statusFromProto(v: number | string | undefined): TimerStatusName {
  const s = String(v ?? '').toUpperCase();
  if (v === 2 || s.endsWith('RUNNING')) return 'running';
  if (v === 3 || s.endsWith('PAUSED')) return 'paused';
  if (v === 4 || s.endsWith('FINISHED')) return 'finished';
  return 'idle';
}

export function computeTimer(t: TimerSnapshot, plan: PhasePlanItem[], serverNowMs: number): TimerView {
  const idx = Math.max(0, Math.min(t.phaseIndex, Math.max(0, plan.length - 1)));
  const phase = plan[idx];
  const duration = t.phaseDurationMs > 0 ? t.phaseDurationMs : (phase?.plannedMinutes ?? 0) * 60_000;
  let remaining: number;
  if (t.status === 'running') remaining = t.phaseEndsAtMs - serverNowMs;
  else if (t.status === 'idle' && t.remainingMs === 0) remaining = duration;
  else if (t.status === 'finished') remaining = 0;
  else remaining = t.remainingMs;
  const elapsed = duration - remaining;
  return {
    status: t.status,
    phaseTitle: t.status === 'finished' ? 'Finished' : (phase?.title ?? ''),
    phaseIndex: idx,
    phaseCount: plan.length,
    remainingMs: remaining,
    overtime: remaining < 0 && t.status !== 'finished',
    phaseDurationMs: duration,
    progress: duration > 0 ? Math.min(1, Math.max(0, elapsed / duration)) : 0,
  };
}

/**
 * m:ss, with a leading "+" when over time. Counting down rounds up (a phase with 0.2 s left
 * shows 0:01) and overtime rounds down, so a display never shows 0:00 twice.
 */
export function formatRemaining(remainingMs: number): string {
  const neg = remainingMs < 0;
  const s = neg ? Math.floor(-remainingMs / 1000) : Math.ceil(remainingMs / 1000);
  const txt = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return neg ? `+${txt}` : txt;
}

/** Whole seconds remaining as displayed (negative when over time). */
export function displayedSeconds(remainingMs: number): number {
  return remainingMs >= 0 ? Math.ceil(remainingMs / 1000) : -Math.floor(-remainingMs / 1000);
}

export function planRange(p: PhasePlanItem): string {
  if (p.minMinutes && p.maxMinutes && p.minMinutes !== p.maxMinutes) return `${p.minMinutes}-${p.maxMinutes} min`;
  return `${p.plannedMinutes} min`;
}
