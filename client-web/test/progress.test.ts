import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { LoopProgressSchema } from '../src/gen/loop_pb';
import { breakRemaining, breakText, progressFromProto, urlWithRound, viewingText } from '../src/state/progress';

describe('LoopProgress on the client', () => {
  it('reads the server message (int64 arrive as bigint)', () => {
    const p = progressFromProto(create(LoopProgressSchema, { currentRound: 3, breakEndsAtMs: 1_000_000n, revision: 4n, movedBy: 'Lin' }));
    expect(p).toEqual({ current: 3, breakEndsAtMs: 1_000_000, movedBy: 'Lin', revision: 4 });
    expect(progressFromProto(undefined).current).toBe(0);
  });

  it('counts a break down on the server clock and ends it at zero', () => {
    const p = progressFromProto(create(LoopProgressSchema, { currentRound: 1, breakEndsAtMs: 100_000n }));
    expect(breakRemaining(p, 100_000 - 760_000)).toBe(760_000);
    expect(breakText(760_000)).toBe('Break - next round in 12:40');
    expect(breakRemaining(p, 100_000)).toBeNull();
    expect(breakRemaining({ ...p, breakEndsAtMs: 0 }, 0)).toBeNull();
  });

  it('names rounds 1-based on screen and in the URL', () => {
    expect(viewingText(1, 3)).toBe('Viewing round 2 - the loop is in round 4');
    expect(urlWithRound('http://x/join?round=1#a', 3)).toBe('/join?round=4#a');
    expect(urlWithRound('http://x/join', 0)).toBe('/join?round=1');
  });
});
