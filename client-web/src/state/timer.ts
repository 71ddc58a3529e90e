// The phase timer as the client sees it: a snapshot of the server's timer (phase plan,
// current phase, running or paused, and server timestamps) turned into "what to show now".
// The server owns the timer; the client never advances it, it only computes remaining time
// from the server's timestamps and the estimated clock offset, so every participant shows
// the same numbers.

export interface PhasePlanItem {
  name: string;
  /** Planned duration of the phase, ms. */
  durationMs: number;
  /** Optional planned range, minutes ("8-10 min"), for display. */
  minMinutes?: number;
  maxMinutes?: number;
}

export interface TimerSnapshot {
  phases: PhasePlanItem[];
  /** Index into phases of the current phase; -1 = not started. */
  currentPhase: number;
  running: boolean;
  /** Server time (ms since epoch) when the current phase's running segment began (valid when running). */
  startedAtServerMs: number;
  /** Time already spent in the current phase before `startedAtServerMs` (pauses excluded), ms. */
  elapsedBeforeMs: number;
  /** Extra time granted to the current phase by "extend", ms. */
  extensionMs: number;
  /** The round is over (after the last phase was completed). */
  finished?: boolean;
}

export interface TimerView {
  phaseName: string;
  phaseIndex: number;
  phaseCount: number;
  running: boolean;
  /** Milliseconds left in the current phase; negative when over time. */
  remainingMs: number;
  overtime: boolean;
  /** Elapsed in the current phase, ms. */
  elapsedMs: number;
  /** Total planned length of the phase (with extensions), ms. */
  phaseDurationMs: number;
  /** Fraction of the phase used, 0..1 (clamped). */
  progress: number;
  notStarted: boolean;
  finished: boolean;
}

export function computeTimer(t: TimerSnapshot, serverNowMs: number): TimerView {
  const count = t.phases.length;
  const notStarted = t.currentPhase < 0 || count === 0;
  const idx = notStarted ? 0 : Math.min(t.currentPhase, count - 1);
  const phase = t.phases[idx];
  const duration = (phase?.durationMs ?? 0) + (notStarted ? 0 : t.extensionMs);
  let elapsed = 0;
  if (!notStarted) {
    elapsed = t.elapsedBeforeMs + (t.running ? Math.max(0, serverNowMs - t.startedAtServerMs) : 0);
  }
  const remaining = duration - elapsed;
  return {
    phaseName: phase?.name ?? '',
    phaseIndex: notStarted ? -1 : idx,
    phaseCount: count,
    running: t.running && !notStarted,
    remainingMs: remaining,
    overtime: !notStarted && remaining < 0,
    elapsedMs: elapsed,
    phaseDurationMs: duration,
    progress: duration > 0 ? Math.min(1, Math.max(0, elapsed / duration)) : 0,
    notStarted,
    finished: Boolean(t.finished),
  };
}

/**
 * Formats remaining time as m:ss, with a leading "+" when over time. Seconds are rounded
 * towards the phase's end (ceil while counting down) so two clients within a few ms of
 * each other show the same second.
 */
export function formatRemaining(remainingMs: number): string {
  if (remainingMs >= 0) {
    const s = Math.ceil(remainingMs / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  const s = Math.floor(-remainingMs / 1000);
  return `+${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Whole seconds remaining as displayed (negative when over time). */
export function displayedSeconds(remainingMs: number): number {
  return remainingMs >= 0 ? Math.ceil(remainingMs / 1000) : -Math.floor(-remainingMs / 1000);
}

export function planRange(p: PhasePlanItem): string {
  if (p.minMinutes && p.maxMinutes && p.minMinutes !== p.maxMinutes) return `${p.minMinutes}-${p.maxMinutes} min`;
  return `${Math.round(p.durationMs / 60000)} min`;
}
