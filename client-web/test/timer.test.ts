import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../src/state/clock';
import { computeTimer, displayedSeconds, formatRemaining, statusFromProto, type TimerSnapshot } from '../src/state/timer';

const plan = [
  { title: 'Requirements', plannedMinutes: 10, minMinutes: 8, maxMinutes: 10 },
  { title: 'High-level design', plannedMinutes: 12 },
];

function running(endsAt: number): TimerSnapshot {
  return { status: 'running', phaseIndex: 0, phaseEndsAtMs: endsAt, remainingMs: 0, phaseDurationMs: 600_000 };
}

describe('ClockOffset', () => {
  it('estimates server minus client from the round-trip midpoint', () => {
    const c = new ClockOffset();
    c.addSample(10_000, 15_050, 10_100); // server 5 s ahead, 100 ms symmetric round trip
    expect(c.offsetMs).toBe(5000);
    expect(c.serverNow(20_000)).toBe(25_000);
  });

  it('trusts the sample with the shortest round trip', () => {
    const c = new ClockOffset();
    c.addSample(0, 5_700, 800); // rtt 800, skewed
    c.addSample(1_000, 6_010, 1_020); // rtt 20, offset 5000
    c.addSample(2_000, 7_300, 2_200); // rtt 200
    expect(c.rttMs).toBe(20);
    expect(c.offsetMs).toBe(5000);
  });

  it('is zero before any sample and forgets old samples', () => {
    const c = new ClockOffset(2);
    expect(c.offsetMs).toBe(0);
    c.addSample(0, 100, 10);
    c.addSample(0, 200, 50);
    c.addSample(0, 300, 60);
    expect(c.sampleCount).toBe(2);
    expect(c.rttMs).toBe(50);
  });
});

describe('computeTimer', () => {
  it('counts down to phaseEndsAtMs on the estimated server clock', () => {
    const v = computeTimer(running(1_000_000), plan, 1_000_000 - 510_000);
    expect(v.phaseTitle).toBe('Requirements');
    expect(v.remainingMs).toBe(510_000);
    expect(formatRemaining(v.remainingMs)).toBe('8:30');
    expect(v.overtime).toBe(false);
    expect(v.progress).toBeCloseTo(0.15);
  });

  it('gives two clients with very different local clocks the same displayed second', () => {
    const serverNow = 500_000;
    const t = running(serverNow + 300_400);
    // Client A's clock is 1 h behind, B's 2 min ahead; each measured its offset.
    const a = new ClockOffset();
    a.addSample(serverNow - 3_600_000 - 20, serverNow, serverNow - 3_600_000 + 20);
    const b = new ClockOffset();
    b.addSample(serverNow + 120_000 - 30, serverNow, serverNow + 120_000 + 30);
    const va = computeTimer(t, plan, a.serverNow(serverNow - 3_600_000 + 200));
    const vb = computeTimer(t, plan, b.serverNow(serverNow + 120_000 + 200));
    expect(Math.abs(va.remainingMs - vb.remainingMs)).toBeLessThan(100);
    expect(displayedSeconds(va.remainingMs)).toBe(displayedSeconds(vb.remainingMs));
    // Without the offset, A would be an hour off.
    expect(computeTimer(t, plan, serverNow - 3_600_000 + 200).remainingMs - va.remainingMs).toBeGreaterThan(3_500_000);
  });

  it('shows the server remainder while paused, whatever the local time', () => {
    const t: TimerSnapshot = { status: 'paused', phaseIndex: 1, phaseEndsAtMs: 0, remainingMs: 125_000, phaseDurationMs: 720_000 };
    expect(computeTimer(t, plan, 1).remainingMs).toBe(125_000);
    expect(computeTimer(t, plan, 9e12).remainingMs).toBe(125_000);
    expect(computeTimer(t, plan, 1).phaseTitle).toBe('High-level design');
  });

  it('reports overtime with a negative remainder and a plus sign', () => {
    const v = computeTimer(running(1_000_000), plan, 1_075_400);
    expect(v.overtime).toBe(true);
    expect(formatRemaining(v.remainingMs)).toBe('+1:15');
    expect(displayedSeconds(v.remainingMs)).toBe(-75);
    expect(v.progress).toBe(1);
  });

  it('shows the full planned phase before the round starts', () => {
    const v = computeTimer({ status: 'idle', phaseIndex: 0, phaseEndsAtMs: 0, remainingMs: 0, phaseDurationMs: 0 }, plan, 5);
    expect(v.remainingMs).toBe(600_000);
    expect(formatRemaining(v.remainingMs)).toBe('10:00');
  });

  it('rounds a countdown up and never shows 0:00 twice', () => {
    expect(formatRemaining(200)).toBe('0:01');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(-999)).toBe('+0:00');
    expect(formatRemaining(-1000)).toBe('+0:01');
  });

  it('maps protobuf enum values and names', () => {
    expect(statusFromProto(2)).toBe('running');
    expect(statusFromProto('TIMER_STATUS_PAUSED')).toBe('paused');
    expect(statusFromProto(4)).toBe('finished');
    expect(statusFromProto(0)).toBe('idle');
  });
});

describe('timerFromProto', () => {
  it('turns the bigint fields of a decoded TimerState into numbers a client can count with', async () => {
    const { create, toBinary, fromBinary } = await import('@bufbuild/protobuf');
    const { TimerStateSchema, TimerStatus } = await import('../src/gen/loop_pb');
    const { timerFromProto } = await import('../src/state/timer-proto');
    const wire = toBinary(TimerStateSchema, create(TimerStateSchema, { phaseIndex: 2, status: TimerStatus.RUNNING, phaseEndsAtMs: 1_763_800_000_000n, remainingMs: -5_000n, phaseDurationMs: 900_000n }));
    const t = timerFromProto(fromBinary(TimerStateSchema, wire));
    expect(t).toMatchObject({ status: 'running', phaseIndex: 2, phaseEndsAtMs: 1_763_800_000_000, remainingMs: -5000, phaseDurationMs: 900_000 });
    expect(typeof t.phaseEndsAtMs).toBe('number');
    expect(timerFromProto(undefined).status).toBe('idle');
  });
});
