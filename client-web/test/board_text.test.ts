import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardModel } from '../src/board/model';
import { exportSvg, fmt } from '../src/board/render';
import { parseColor } from '../src/board/shape';
import { ICONS, SHAPE_LIBRARY, searchLibrary } from '../src/board/shapes_library';
import { MAX_LINES, MAX_TEXT_CODEPOINTS, wrapText } from '../src/board/text_layout';

describe('board text layout', () => {
  it('wraps at spaces, breaks long words and keeps paragraphs (same cases as tests/loop/board_layout_test.cpp)', () => {
    expect(wrapText('aaaa aaaa', 16, 50)).toEqual(['aaaa', 'aaaa']);
    expect(wrapText('aaaa aaaa', 16, 1000)).toEqual(['aaaa aaaa']);
    expect(wrapText('aaaaaaaa', 16, 30)).toEqual(['aaa', 'aaa', 'aa']);
    expect(wrapText('a\n\nb\n', 16, 100)).toEqual(['a', '', 'b', '']);
    expect(wrapText('', 16, 100)).toEqual(['']);
    expect(wrapText('x\r\ny', 16, 100)).toEqual(['x', 'y']);
  });

  it('bounds lines and code points', () => {
    expect(wrapText('a\n'.repeat(1000), 16, 100)).toHaveLength(MAX_LINES);
    const one = wrapText('a'.repeat(10000), 16, Infinity);
    expect(one).toHaveLength(1);
    expect(one[0]).toHaveLength(MAX_TEXT_CODEPOINTS);
  });
});

describe('board model v2', () => {
  it('accepts the four hex colour forms only', () => {
    for (const c of ['#abc', '#ABCD', '#aabbcc', '#aabbccdd']) expect(parseColor(c)).toBe(c.toLowerCase());
    for (const c of ['#ab', '#abcde', 'red', '#ggg', '#aabbccd', 5]) expect(parseColor(c)).toBeUndefined();
  });

  it('keeps unknown keys and unknown shape types round-trip while editing', () => {
    const doc = new Y.Doc();
    const m = new BoardModel(doc);
    const id = m.add({ type: 'rect', x: 0, y: 0, w: 100, h: 50 });
    const shapes = doc.getMap('board').get('shapes') as Y.Map<Y.Map<unknown>>;
    shapes.get(id)!.set('futureKey', { a: 1 });
    const alien = new Y.Map<unknown>();
    shapes.set('alien', alien);
    alien.set('type', 'hologram');
    alien.set('x', 1);
    m.update(id, { text: 'hello' });
    m.move([id], 10, 10);
    expect(shapes.get(id)!.get('futureKey')).toEqual({ a: 1 });
    expect(m.all().map((s) => s.id)).toEqual([id]); // the unknown type is not drawn...
    expect(shapes.get('alien')!.get('type')).toBe('hologram'); // ...and still there
  });

  it('grows a box to fit its wrapped label and draws every line inside it', () => {
    const m = new BoardModel(new Y.Doc());
    const id = m.add({ type: 'sticky', x: 0, y: 0, w: 160, h: 60, text: 'Sticky notes wrap their sentences instead of running across the neighbouring boxes' });
    const s = m.get(id)!;
    expect(s.h).toBeGreaterThan(60);
    expect(s.minH).toBe(60);
    const { svg } = exportSvg(m.all(), m.lookup);
    expect(svg).toContain('>Sticky notes wrap</text>');
    expect(svg).toContain('textLength="142.61"'); // the same number the server writes (board_svg_test.cpp)
  });

  it('writes numbers the way the server does', () => {
    expect([0, -0.001, 10, 1.5, 2.676, -3.14159].map(fmt)).toEqual(['0', '0', '10', '1.5', '2.68', '-3.14']);
  });
});

describe('shape library', () => {
  it('has every system-design component the issue names, each with its own picture', () => {
    const kinds = ['client', 'app', 'lb', 'gateway', 'service', 'database', 'cache', 'queue', 'topic', 'storage', 'cdn', 'dns', 'search', 'scheduler', 'external'];
    for (const k of kinds) expect(SHAPE_LIBRARY.find((e) => e.id === k)?.paths?.length).toBeGreaterThan(0);
    expect(new Set(ICONS.map((i) => i.paths.join('|'))).size).toBe(ICONS.length);
    for (const g of ['rect', 'ellipse', 'diamond', 'line', 'arrow', 'arrow2', 'elbow', 'dashed-arrow', 'dashed-line']) expect(SHAPE_LIBRARY.some((e) => e.id === g)).toBe(true);
  });

  it('searches labels and keywords', () => {
    expect(searchLibrary('postgres').map((e) => e.id)).toEqual(['database']);
    expect(searchLibrary('kafka').map((e) => e.id)).toContain('queue');
    expect(searchLibrary('load bal').map((e) => e.id)).toEqual(['lb']);
    expect(searchLibrary('').length).toBe(SHAPE_LIBRARY.length);
  });
});
