import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../src/state/clock';
import { computeTimer, displayedSeconds, formatRemaining, type TimerSnapshot } from '../src/state/timer';

const plan = [
  { name: 'Requirements', durationMs: 10 * 60_000 },
  { name: 'High-level design', durationMs: 12 * 60_000 },
];

function snap(p: Partial<TimerSnapshot>): TimerSnapshot {
  return { phases: plan, currentPhase: 0, running: true, startedAtServerMs: 1_000_000, elapsedBeforeMs: 0, extensionMs: 0, ...p };
}

describe('ClockOffset', () => {
  it('estimates server minus client from the round-trip midpoint', () => {
    const c = new ClockOffset();
    // Server is 5 s ahead; 100 ms round trip, symmetric.
    c.addSample(10_000, 15_050, 10_100);
    expect(c.offsetMs).toBe(5000);
    expect(c.serverNow(20_000)).toBe(25_000);
  });

  it('trusts the sample with the shortest round trip', () => {
    const c = new ClockOffset();
    c.addSample(0, 5_400, 800); // slow, asymmetric: offset estimate 5000 but rtt 800
    c.addSample(1_000, 6_010, 1_020); // rtt 20, offset 5000
    c.addSample(2_000, 7_300, 2_200); // rtt 200, offset 5200
    expect(c.rttMs).toBe(20);
    expect(c.offsetMs).toBe(5000);
  });

  it('is zero before any sample and forgets old samples', () => {
    const c = new ClockOffset(2);
    expect(c.offsetMs).toBe(0);
    c.addSample(0, 100, 10); // rtt 10, offset 95
    c.addSample(0, 200, 50); // rtt 50
    c.addSample(0, 300, 60); // rtt 60; first sample evicted
    expect(c.sampleCount).toBe(2);
    expect(c.rttMs).toBe(50);
  });
});

describe('computeTimer', () => {
  it('computes remaining time from server timestamps and the estimated server time', () => {
    const v = computeTimer(snap({}), 1_000_000 + 90_000);
    expect(v.phaseName).toBe('Requirements');
    expect(v.remainingMs).toBe(10 * 60_000 - 90_000);
    expect(formatRemaining(v.remainingMs)).toBe('8:30');
    expect(v.overtime).toBe(false);
  });

  it('gives two clients with different local clocks the same remaining seconds', () => {
    const server = 1_000_000 + 61_500;
    const a = new ClockOffset();
    a.addSample(500, server - 400, 540); // local clock ~ 999 s behind... (arbitrary)
    const b = new ClockOffset();
    b.addSample(7_000_000, server - 300, 7_000_040);
    const localA = 540 + 400 - 20; // some later local moment on A
    const localB = 7_000_040 + 300 - 20;
    const va = computeTimer(snap({}), a.serverNow(localA));
    const vb = computeTimer(snap({}), b.serverNow(localB));
    expect(Math.abs(va.remainingMs - vb.remainingMs)).toBeLessThan(1000);
    expect(displayedSeconds(va.remainingMs)).toBe(displayedSeconds(vb.remainingMs));
  });

  it('freezes while paused and counts time spent before the pause', () => {
    const v1 = computeTimer(snap({ running: false, elapsedBeforeMs: 120_000 }), 9_999_999);
    const v2 = computeTimer(snap({ running: false, elapsedBeforeMs: 120_000 }), 1);
    expect(v1.remainingMs).toBe(8 * 60_000);
    expect(v2.remainingMs).toBe(v1.remainingMs);
    expect(v1.running).toBe(false);
  });

  it('reports overtime with a negative remainder and a plus sign', () => {
    const v = computeTimer(snap({ elapsedBeforeMs: 10 * 60_000 }), 1_000_000 + 75_000);
    expect(v.overtime).toBe(true);
    expect(v.remainingMs).toBe(-75_000);
    expect(formatRemaining(v.remainingMs)).toBe('+1:15');
    expect(v.progress).toBe(1);
  });

  it('adds extensions to the current phase', () => {
    const v = computeTimer(snap({ extensionMs: 5 * 60_000 }), 1_000_000 + 11 * 60_000);
    expect(v.overtime).toBe(false);
    expect(v.remainingMs).toBe(4 * 60_000);
  });

  it('shows the first phase and no countdown before the round starts', () => {
    const v = computeTimer(snap({ currentPhase: -1, running: false }), 5);
    expect(v.notStarted).toBe(true);
    expect(v.phaseName).toBe('Requirements');
    expect(v.remainingMs).toBe(10 * 60_000);
    expect(v.overtime).toBe(false);
  });

  it('never counts time from the future (start stamp after our estimated now)', () => {
    const v = computeTimer(snap({}), 1_000_000 - 500);
    expect(v.remainingMs).toBe(10 * 60_000);
  });
});
