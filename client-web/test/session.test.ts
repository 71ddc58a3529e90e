import { describe, expect, it } from 'vitest';
import { CloseCode, isFatalClose, refusalMessage } from '../src/session/close_codes';

describe('close handling', () => {
  it('stops reconnecting on the refusal codes (4000 + HTTP status)', () => {
    expect(isFatalClose(CloseCode.unauthenticated)).toBe(true);
    expect(isFatalClose(4403)).toBe(true);
    expect(isFatalClose(4404)).toBe(true);
    expect(refusalMessage(4401)).toMatch(/invalid, has expired or has been revoked/);
    expect(refusalMessage(4403)).toMatch(/does not give access/);
  });

  it('decides from the code, never from the reason', () => {
    expect(refusalMessage(1008, 'token revoked')).not.toMatch(/revoked\. Ask/);
  });

  it('keeps reconnecting after a rate limit, overload or network drop', () => {
    expect(isFatalClose(CloseCode.rateLimited)).toBe(false);
    expect(isFatalClose(1008)).toBe(false);
    expect(isFatalClose(1013)).toBe(false);
    expect(isFatalClose(1006)).toBe(false);
    expect(isFatalClose(1001)).toBe(false);
  });
});
