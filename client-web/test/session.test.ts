import { describe, expect, it } from 'vitest';
import { isFatalClose, refusalMessage } from '../src/session/session';

describe('close handling', () => {
  it('stops reconnecting for a revoked or invalid token', () => {
    expect(isFatalClose(4401)).toBe(true);
    expect(isFatalClose(1008, 'invalid token')).toBe(true);
    expect(isFatalClose(1008, 'token revoked')).toBe(true);
    expect(refusalMessage(4401, '')).toMatch(/invalid or has been revoked/);
  });

  it('keeps reconnecting after a rate limit, overload or network drop', () => {
    expect(isFatalClose(1008, 'update rate exceeded')).toBe(false);
    expect(isFatalClose(1013, 'send queue full')).toBe(false);
    expect(isFatalClose(1006)).toBe(false);
    expect(isFatalClose(1001)).toBe(false);
  });
});
