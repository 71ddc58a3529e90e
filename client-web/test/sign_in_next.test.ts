import { describe, expect, it } from 'vitest';
import { kMaxNextPathBytes, safeNext, signInHref } from '../src/lib/account';

// Where sign-in goes afterwards: only a path on this server, never another site.
describe('safeNext', () => {
  it('keeps a local path with its query', () => {
    expect(safeNext('/progress/claim?code=abc_DEF-123')).toBe('/progress/claim?code=abc_DEF-123');
    expect(safeNext('/')).toBe('/');
  });

  it('sends anything that could leave the server to the lobby', () => {
    for (const bad of [null, undefined, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)',
      '/a\\b', '/a b', '/a\tb', '/a\nb', '/a\u007fb', 'progress/claim', `/${'a'.repeat(kMaxNextPathBytes)}`]) {
      expect(safeNext(bad)).toBe('/');
    }
  });

  it('round-trips through the sign-in link', () => {
    const href = signInHref('/login', '/progress/claim?code=x&y=1');
    const next = new URL(href, 'http://h').searchParams.get('next');
    expect(href.startsWith('/login?next=')).toBe(true);
    expect(safeNext(next)).toBe('/progress/claim?code=x&y=1');
    expect(signInHref('/signup', '/')).toBe('/signup');
  });
});
