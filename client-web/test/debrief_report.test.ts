// @vitest-environment happy-dom
// The debrief page's copy of the HTML report (issue 19): cited moments open the replay in a
// new tab with the reader's token; nothing else in the report changes.
import { describe, expect, it } from 'vitest';
import { reportForFrame } from '../src/pages/debrief';

const report = (body: string) => `<!doctype html><html lang="en"><head><title>Debrief</title></head><body>${body}</body></html>`;

describe('reportForFrame', () => {
  it('gives the moment links the token and a new tab', () => {
    const out = reportForFrame(report('<td><a class="moment" href="/replay/lp1/0?at=1700000000123">14:05:09 UTC</a></td>'), 'tok en&1');
    const doc = new DOMParser().parseFromString(out, 'text/html');
    const a = doc.querySelector('a.moment')!;
    expect(a.getAttribute('href')).toBe('/replay/lp1/0?at=1700000000123&token=tok%20en%261');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toContain('noopener');
    expect(a.textContent).toBe('14:05:09 UTC');
  });

  it('leaves any other link and a report without moments alone', () => {
    const plain = report('<p>No moments</p>');
    expect(reportForFrame(plain, 't')).toBe(plain);
    const out = reportForFrame(report('<a class="moment" href="https://evil.example/replay/x/0?at=1">x</a><a class="moment" href="/replay/a/0?at=5">y</a><a href="/other">z</a>'), 't');
    const doc = new DOMParser().parseFromString(out, 'text/html');
    const [evil, ok, other] = [...doc.querySelectorAll('a')];
    expect(evil!.getAttribute('href')).toBe('https://evil.example/replay/x/0?at=1');
    expect(evil!.hasAttribute('target')).toBe(false);
    expect(ok!.getAttribute('href')).toBe('/replay/a/0?at=5&token=t');
    expect(other!.getAttribute('href')).toBe('/other');
  });
});
