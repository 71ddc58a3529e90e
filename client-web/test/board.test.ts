import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardModel } from '../src/board/model';
import { arrowEndpoints, hitTest } from '../src/board/geometry';
import { exportSvg } from '../src/board/render';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)), 'remote');
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)), 'remote');
}

describe('BoardModel', () => {
  it('stores shapes in board.shapes as nested maps with the documented keys', () => {
    const doc = new Y.Doc();
    const m = new BoardModel(doc);
    const id = m.add({ type: 'rect', x: 10, y: 20, w: 100, h: 50, text: 'API' });
    const raw = (doc.getMap('board').get('shapes') as Y.Map<Y.Map<unknown>>).get(id)!;
    expect(raw.get('type')).toBe('rect');
    expect(raw.get('x')).toBe(10);
    expect(raw.get('text')).toBe('API');
    expect(typeof raw.get('z')).toBe('number');
    expect(doc.getMap('board').get('version')).toBe(2);
  });

  it('keeps an attached arrow on the boundary of the shapes it joins when one moves', () => {
    const m = new BoardModel(new Y.Doc());
    const a = m.add({ type: 'rect', x: 0, y: 0, w: 100, h: 100 });
    const b = m.add({ type: 'rect', x: 300, y: 0, w: 100, h: 100 });
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [50, 50, 350, 50], from: a, to: b });
    let [s, e] = arrowEndpoints(m.get(arrow)!, m.lookup);
    expect(s).toEqual({ x: 100, y: 50 });
    expect(e).toEqual({ x: 300, y: 50 });
    m.move([b], 0, 300); // b now directly below-right
    [s, e] = arrowEndpoints(m.get(arrow)!, m.lookup);
    // From centre (50,50) towards (350,350): leaves a's box at (100,100); enters b at (300,300).
    expect(s.x).toBeCloseTo(100);
    expect(s.y).toBeCloseTo(100);
    expect(e.x).toBeCloseTo(300);
    expect(e.y).toBeCloseTo(300);
  });

  it('detaches arrows from a deleted shape and keeps their last drawn position', () => {
    const m = new BoardModel(new Y.Doc());
    const a = m.add({ type: 'rect', x: 0, y: 0, w: 100, h: 100 });
    const b = m.add({ type: 'ellipse', x: 300, y: 0, w: 100, h: 100 });
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 0, 0], from: a, to: b });
    m.remove([b]);
    const ar = m.get(arrow)!;
    expect(ar.to).toBeUndefined();
    expect(ar.from).toBe(a);
    expect(ar.points).toEqual([100, 50, 300, 50]);
    expect(m.get(b)).toBeUndefined();
  });

  it('refuses to attach an arrow to another arrow or to a missing shape', () => {
    const m = new BoardModel(new Y.Doc());
    const a1 = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 10, 10] });
    const a2 = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 10, 10] });
    expect(m.attach(a1, 'to', a2)).toBe(false);
    expect(m.attach(a1, 'to', 'nope')).toBe(false);
    expect(m.get(a1)!.to).toBeUndefined();
  });

  it('undoes only its own changes, never a remote participant\'s', () => {
    const d1 = new Y.Doc(), d2 = new Y.Doc();
    const alice = new BoardModel(d1, { who: 'alice' });
    const bob = new BoardModel(d2, { who: 'bob' });
    const box = alice.add({ type: 'rect', x: 0, y: 0, w: 10, h: 10 });
    alice.undo.stopCapturing();
    sync(d1, d2);
    const sticky = bob.add({ type: 'sticky', x: 50, y: 50, w: 80, h: 80, text: 'idea' });
    bob.move([box], 5, 5); // bob moves alice's box
    sync(d1, d2);
    expect(alice.get(sticky)).toBeDefined();
    alice.undo.undo(); // alice undoes her own add only
    sync(d1, d2);
    expect(alice.get(box)).toBeUndefined();
    expect(alice.get(sticky)).toBeDefined();
    expect(bob.get(sticky)?.text).toBe('idea');
    alice.undo.redo();
    sync(d1, d2);
    expect(bob.get(box)).toBeDefined();
    // Bob's undo reverts his sticky and his move, not alice's box.
    bob.undo.undo();
    sync(d1, d2);
    expect(alice.get(sticky)).toBeUndefined();
    expect(alice.get(box)).toBeDefined();
  });

  it('picks the topmost shape in a hit test and finds arrows by their line', () => {
    const m = new BoardModel(new Y.Doc());
    const low = m.add({ type: 'rect', x: 0, y: 0, w: 100, h: 100 });
    const high = m.add({ type: 'sticky', x: 50, y: 50, w: 100, h: 100 });
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [200, 200, 400, 200] });
    expect(hitTest({ x: 60, y: 60 }, m.all(), m.lookup)?.id).toBe(high);
    expect(hitTest({ x: 10, y: 10 }, m.all(), m.lookup)?.id).toBe(low);
    expect(hitTest({ x: 300, y: 203 }, m.all(), m.lookup)?.id).toBe(arrow);
    m.bringToFront([low]);
    expect(hitTest({ x: 60, y: 60 }, m.all(), m.lookup)?.id).toBe(low);
  });

  it('skips malformed shapes written by other clients instead of failing', () => {
    const doc = new Y.Doc();
    const m = new BoardModel(doc);
    m.add({ type: 'rect', x: 0, y: 0, w: 10, h: 10 });
    const bad = new Y.Map<unknown>();
    bad.set('type', 'hexagon');
    m.shapes!.set('bad', bad);
    expect(m.all().map((s) => s.type)).toEqual(['rect']);
  });

  it('exports escaped SVG text and a viewBox covering every shape', () => {
    const m = new BoardModel(new Y.Doc());
    m.add({ type: 'text', x: -50, y: 10, w: 100, h: 30, text: '<script>&' });
    m.add({ type: 'rect', x: 100, y: 100, w: 100, h: 100 });
    const { svg, width, height } = exportSvg(m.all(), m.lookup, 0);
    expect(svg).toContain('&lt;script&gt;&amp;');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('viewBox="-50 10 250 190"');
    expect(width).toBe(250);
    expect(height).toBe(190);
  });
});
