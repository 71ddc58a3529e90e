// .excalidraw import/export on a scene written by Excalidraw's own format rules
// (tests/fixtures/board/excalidraw/: bound text labels via containerId/boundElements,
// arrow bindings by elementId, relative points, fractional indices, deleted elements,
// an image we do not support).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fromExcalidraw, toExcalidraw } from '../src/board/excalidraw';
import { layoutLabel } from '../src/board/layout';
import { BoardModel } from '../src/board/model';

const fs = (await import(/* @vite-ignore */ 'node:' + 'fs')) as { readFileSync(p: URL, enc: 'utf8'): string };
const scene = JSON.parse(fs.readFileSync(new URL('../../tests/fixtures/board/excalidraw/url-shortener.excalidraw', import.meta.url), 'utf8'));
let n = 0;
const newId = () => `new${++n}`;

function load(shapes: ReturnType<typeof fromExcalidraw>['shapes']): BoardModel {
  const m = new BoardModel(new Y.Doc());
  for (const s of shapes) m.add(s);
  return m;
}

describe('.excalidraw import', () => {
  const { shapes, skipped } = fromExcalidraw(scene, newId);
  const by = (id: string) => shapes.find((s) => s.id === id)!;

  it('reads shapes, labels, bindings, frames and styles; skips deleted elements and images', () => {
    expect(shapes.map((s) => `${s.id}:${s.type}`)).toEqual([
      'frameHLD:frame', 'client1:ellipse', 'svc1:rect', 'db1:diamond', 'arr1:arrow', 'arr2:arrow', 'line1:arrow', 'note1:text', 'pen1:freehand',
    ]);
    expect(skipped).toBe(2);
    expect(by('frameHLD').text).toBe('High-level design');
    expect(by('client1')).toMatchObject({ text: 'Browser', fontSize: 20, fill: '#a5d8ff', groupId: 'g1' });
    expect(by('svc1')).toMatchObject({ text: 'Shortener service', color: '#1971c2', strokeWidth: 1, dash: 'dashed', locked: true });
    expect(by('db1')).toMatchObject({ dash: 'dotted', strokeWidth: 4, fill: '#b2f2bb' });
    expect(by('arr1')).toMatchObject({ from: 'client1', to: 'svc1', text: 'POST /urls', points: [122, 40, 298, 40] });
    expect(by('arr1').heads).toBeUndefined(); // end head: the default
    expect(by('arr2')).toMatchObject({ from: 'svc1', to: 'db1', heads: 'both', route: 'elbow', points: [462, 40, 598, 50] });
    expect(by('line1')).toMatchObject({ heads: 'none', dash: 'dashed', color: '#e03131', points: [0, 200, 300, 200] });
    expect(by('note1')).toMatchObject({ text: '100M new URLs/day\n~1,200 writes/s', fontSize: 20, x: -4, y: 236 });
    expect(by('pen1').points).toEqual([400, 220, 410, 225, 420, 240, 440, 230]);
  });

  it('widens a container whose label word would break between letters in our wider font', () => {
    const m = load(shapes);
    expect(layoutLabel(m.get('client1')!)!.lines.map((l) => l.text)).toEqual(['Browser']);
    const c = m.get('client1')!;
    expect(c.x + c.w / 2).toBeCloseTo(60); // about its centre
    for (const id of ['svc1', 'db1']) for (const l of layoutLabel(m.get(id)!)?.lines ?? []) expect('Shortener service'.split(' ')).toEqual(expect.arrayContaining(l.text.split(' ')));
  });

  it('gives fresh ids to elements whose ids are taken, and bindings follow', () => {
    const r = fromExcalidraw(scene, newId, (id) => id === 'svc1');
    const svc = r.shapes.find((s) => s.text === 'Shortener service')!;
    expect(svc.id).not.toBe('svc1');
    expect(r.shapes.find((s) => s.type === 'arrow' && s.text === 'POST /urls')!.to).toBe(svc.id);
  });

  it('exports back the same elements, bindings and labels', () => {
    const m = load(shapes);
    const out = toExcalidraw(m.all(), m.lookup);
    expect(out).toMatchObject({ type: 'excalidraw', version: 2 });
    const els = out.elements;
    const el = (id: string) => els.find((e) => e.id === id)!;
    const kept = ['frameHLD', 'client1', 'svc1', 'db1', 'arr1', 'arr2', 'line1', 'note1', 'pen1'];
    for (const id of kept) expect(el(id), id).toBeDefined();
    expect(el('frameHLD')).toMatchObject({ type: 'frame', name: 'High-level design' });
    expect(el('client1')).toMatchObject({ type: 'ellipse', backgroundColor: '#a5d8ff', groupIds: ['g1'], frameId: 'frameHLD' });
    expect(el('svc1')).toMatchObject({ type: 'rectangle', strokeColor: '#1971c2', strokeStyle: 'dashed', locked: true });
    expect(el('arr1')).toMatchObject({ type: 'arrow', startBinding: { elementId: 'client1' }, endBinding: { elementId: 'svc1' }, startArrowhead: null, endArrowhead: 'arrow' });
    expect(el('arr2')).toMatchObject({ type: 'arrow', elbowed: true, startArrowhead: 'arrow', endArrowhead: 'arrow' });
    expect(el('line1')).toMatchObject({ type: 'line', startArrowhead: null, endArrowhead: null, strokeStyle: 'dashed' });
    expect(el('note1')).toMatchObject({ type: 'text', originalText: '100M new URLs/day\n~1,200 writes/s', fontSize: 20, containerId: null });
    expect(el('pen1')).toMatchObject({ type: 'freedraw' });
    // Labels are text elements bound both ways, as Excalidraw writes them.
    const label = els.find((e) => e.type === 'text' && e.containerId === 'svc1')!;
    expect(label.originalText).toBe('Shortener service');
    expect(el('svc1').boundElements).toEqual(expect.arrayContaining([{ id: label.id, type: 'text' }, { id: 'arr1', type: 'arrow' }, { id: 'arr2', type: 'arrow' }]));
    expect(els.find((e) => e.type === 'text' && e.containerId === 'arr1')!.originalText).toBe('POST /urls');
    // And the round trip is stable: importing our export gives the same shapes again.
    const again = fromExcalidraw(out, newId).shapes.map(({ z: _z, ...s }) => s);
    const first = shapes.map(({ z: _z, ...s }) => s);
    expect(again.map((s) => s.id)).toEqual(first.map((s) => s.id));
    for (const s of first) {
      const a = again.find((x) => x.id === s.id)!;
      expect({ ...a, points: undefined, x: 0, y: 0, w: 0, h: 0 }).toEqual({ ...s, points: undefined, x: 0, y: 0, w: 0, h: 0 });
    }
  });

  it('keeps our own types through Excalidraw as customData', () => {
    const m = new BoardModel(new Y.Doc());
    m.add({ id: 'st', type: 'sticky', x: 0, y: 0, w: 160, h: 120, text: 'remember caching' });
    m.add({ id: 'db', type: 'icon', kind: 'database', x: 200, y: 0, w: 140, h: 90, text: 'Orders DB' });
    const back = fromExcalidraw(JSON.parse(JSON.stringify(toExcalidraw(m.all(), m.lookup))), newId).shapes;
    expect(back.find((s) => s.id === 'st')).toMatchObject({ type: 'sticky', text: 'remember caching' });
    expect(back.find((s) => s.id === 'db')).toMatchObject({ type: 'icon', kind: 'database', text: 'Orders DB' });
  });
});
