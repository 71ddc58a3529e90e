// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { PhaseAlert } from '../src/pages/phase_alert';

describe('PhaseAlert', () => {
  afterEach(() => localStorage.clear());

  it('flashes on every phase end and remembers the mute choice', () => {
    const bar = document.createElement('section');
    const a = new PhaseAlert(bar);
    expect(a.button.getAttribute('aria-pressed')).toBe('false');
    a.fire();
    expect(bar.classList.contains('phase-ended')).toBe(true);
    expect(bar.dataset.phaseAlerts).toBe('1');
    a.button.click();
    expect(localStorage.getItem('mockloop.phaseAlert.muted')).toBe('1');
    a.fire(); // muted: still flashes
    expect(bar.dataset.phaseAlerts).toBe('2');
    a.destroy();
    const b = new PhaseAlert(document.createElement('section'));
    expect(b.button.getAttribute('aria-pressed')).toBe('true');
    b.destroy();
  });
});

describe('TimerBar phase-end alert', () => {
  it('fires once when a running phase reaches 0, and once when the server moves past a phase at its end', async () => {
    const { vi } = await import('vitest');
    vi.useFakeTimers();
    vi.setSystemTime(1_000_000);
    const { TimerBar } = await import('../src/pages/timerbar');
    const plan = [{ title: 'A', plannedMinutes: 1 }, { title: 'B', plannedMinutes: 1 }];
    const bar = new TimerBar(null, false);
    const running = (phaseIndex: number, endsAt: number) => ({ status: 'running' as const, phaseIndex, phaseEndsAtMs: endsAt, remainingMs: 0, phaseDurationMs: 60_000 });
    bar.update(running(0, 1_001_000), plan, false);
    vi.advanceTimersByTime(500);
    expect(bar.el.dataset.phaseAlerts).toBeUndefined();
    vi.advanceTimersByTime(1000); // phase A's end passes
    expect(bar.el.dataset.phaseAlerts).toBe('1');
    vi.advanceTimersByTime(1000);
    bar.update(running(1, 1_062_000), plan, false); // auto-advance arrives: same end, no second alert
    expect(bar.el.dataset.phaseAlerts).toBe('1');
    vi.setSystemTime(1_061_900);
    bar.update(running(1, 1_062_000), plan, false);
    bar.update({ status: 'finished', phaseIndex: 1, phaseEndsAtMs: 0, remainingMs: 0, phaseDurationMs: 60_000 }, plan, false);
    expect(bar.el.dataset.phaseAlerts).toBe('2'); // the server finished phase B 100 ms before its end
    bar.destroy();
    vi.useRealTimers();
  });
});
