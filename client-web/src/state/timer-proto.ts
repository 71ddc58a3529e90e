// Converts the session protocol's TimerState (int64 fields arrive as bigint from
// protobuf-es) into the plain numbers timer.ts computes with.

import type { TimerState } from '../gen/loop_pb';
import { TimerStatus } from '../gen/loop_pb';
import { statusFromProto, type TimerSnapshot } from './timer';

export function timerFromProto(t: TimerState | undefined): TimerSnapshot {
  return {
    status: statusFromProto(t?.status ?? TimerStatus.IDLE),
    phaseIndex: t?.phaseIndex ?? 0,
    phaseEndsAtMs: Number(t?.phaseEndsAtMs ?? 0n),
    remainingMs: Number(t?.remainingMs ?? 0n),
    phaseDurationMs: Number(t?.phaseDurationMs ?? 0n),
    autoAdvance: t?.autoAdvance,
  };
}
