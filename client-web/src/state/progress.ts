// Where the loop is, as the client shows it: the server's LoopProgress (loop.proto) turned
// into plain numbers, the break countdown, the "viewing another round" text and the URL
// that reflects the round on screen. The server owns the current round and the break; the
// client never moves anyone by itself.

import type { LoopProgress } from '../gen/loop_pb';
import { formatRemaining } from './timer';

export interface ProgressView {
  /** The loop's current round (index). */
  current: number;
  /** Server clock, ms since the epoch; 0 = no break. */
  breakEndsAtMs: number;
  movedBy: string;
  revision: number;
}

export function progressFromProto(p: LoopProgress | undefined): ProgressView {
  return {
    current: p?.currentRound ?? 0,
    breakEndsAtMs: Number(p?.breakEndsAtMs ?? 0n),
    movedBy: p?.movedBy ?? '',
    revision: Number(p?.revision ?? 0n),
  };
}

/** Milliseconds of break left at `serverNowMs`, or null when no break is running. */
export function breakRemaining(p: ProgressView, serverNowMs: number): number | null {
  if (!p.breakEndsAtMs) return null;
  const left = p.breakEndsAtMs - serverNowMs;
  return left > 0 ? left : null;
}

/** "Break - next round in 12:40" (rounds up, like the phase timer). */
export function breakText(remainingMs: number): string {
  return `Break - next round in ${formatRemaining(remainingMs)}`;
}

/** Round numbers on screen and in the URL are 1-based ("round 4" is index 3). */
export function viewingText(shownIndex: number, currentIndex: number): string {
  return `Viewing round ${shownIndex + 1} - the loop is in round ${currentIndex + 1}`;
}

/** The page's URL with ?round=N (1-based) for the round on screen; other parts kept. */
export function urlWithRound(href: string, roundIndex: number): string {
  const u = new URL(href);
  u.searchParams.set('round', String(roundIndex + 1));
  return u.pathname + u.search + u.hash;
}
