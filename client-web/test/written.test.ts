import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { lineDiff } from '../src/written/diff';
import { estimatePages, countWords } from '../src/written/estimate';
import { addComment, anchorRange, threads, reply, resolve } from '../src/written/comments';

const budgets = [
  { heading: 'Executive Summary', budgetPages: 0.5 },
  { heading: 'Background and Context', budgetPages: 1 },
];

describe('page estimate', () => {
  it('counts words per section at the words-per-page rule and warns past the maximum', () => {
    const words = (n: number) => Array.from({ length: n }, () => 'word').join(' ');
    const md = `# Title\n\n## Executive Summary\n\n${words(300)}\n\n## Background and Context\n\n${words(250)}\n`;
    const e = estimatePages(md, budgets, 500, 6);
    expect(e.sections.map((s) => [s.heading, s.words, s.pages, s.over])).toEqual([
      ['Executive Summary', 300, 0.6, true],
      ['Background and Context', 250, 0.5, false],
    ]);
    expect(e.words).toBe(550);
    expect(e.overMax).toBe(false);
    expect(estimatePages(`## Executive Summary\n${words(3100)}`, budgets, 500, 6).overMax).toBe(true);
    expect(countWords('## Heading - * > `x`')).toBe(2);
  });
});

describe('line diff', () => {
  it('marks added and removed lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: ' ', text: 'c' }, { op: '+', text: 'd' },
    ]);
  });
});

describe('anchored comments', () => {
  it('follow their sentence across edits from another Yjs client', () => {
    const a = new Y.Doc(), b = new Y.Doc();
    a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
    b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
    const ta = a.getText('text');
    ta.insert(0, 'One. Key sentence. Two.');
    const comments = a.getMap('comments') as Y.Map<any>;
    const id = addComment(comments, ta, 5, 18, 'Lin', 'Why?');
    b.getText('text').insert(0, 'Intro. ');
    b.getText('text').insert(b.getText('text').toString().indexOf(' Two.'), ' More');
    const r = anchorRange(comments.get(id), ta)!;
    expect(ta.toString().slice(r.from, r.to)).toBe('Key sentence.');
    reply(comments, id, 'Ada', 'Because.');
    resolve(comments, id);
    const t = threads(comments, ta, false);
    expect(t).toHaveLength(1);
    expect(t[0]!.replies).toHaveLength(1);
    expect(t[0]!.root.resolved).toBe(true);
  });
});
