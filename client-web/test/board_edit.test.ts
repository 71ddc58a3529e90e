import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as arrange from '../src/board/arrange';
import { CLIP_TYPE, MAX_CLIP_EXTRA_KEYS, MAX_PASTE_SHAPES, parseClip, pasteShapes, serializeClip } from '../src/board/clipboard';
import { arrowEndpoints } from '../src/board/geometry';
import { BoardModel } from '../src/board/model';
import { dragSet, marqueeSelect, pickShape, selectAll } from '../src/board/selection';

function board() {
  const m = new BoardModel(new Y.Doc());
  const a = m.add({ type: 'rect', x: 0, y: 0, w: 100, h: 50 });
  const b = m.add({ type: 'ellipse', x: 200, y: 100, w: 100, h: 50 });
  const c = m.add({ type: 'rect', x: 500, y: 0, w: 40, h: 40 });
  return { m, a, b, c };
}

describe('selection', () => {
  it('marquee picks shapes wholly inside, completes groups and skips locked ones', () => {
    const { m, a, b, c } = board();
    expect([...marqueeSelect({ x: -10, y: -10, w: 400, h: 200 }, m.all(), m.lookup)].sort()).toEqual([a, b].sort());
    expect([...marqueeSelect({ x: -10, y: -10, w: 250, h: 200 }, m.all(), m.lookup)]).toEqual([a]); // b only partly inside
    arrange.group(m, [a, c]);
    expect([...marqueeSelect({ x: -10, y: -10, w: 150, h: 100 }, m.all(), m.lookup)].sort()).toEqual([a, c].sort());
    arrange.toggleLock(m, [b]);
    expect(selectAll(m.all()).has(b)).toBe(false);
  });

  it('picks a frame by its outline or name only, and dragging it carries its contents', () => {
    const { m, a, b, c } = board();
    const f = m.add({ type: 'frame', x: -20, y: -20, w: 400, h: 300, text: 'API', z: -1 });
    expect(pickShape({ x: 150, y: 200 }, m.all(), m.lookup, 4)).toBeUndefined(); // inside, on nothing
    expect(pickShape({ x: 50, y: 25 }, m.all(), m.lookup, 4)?.id).toBe(a); // a shape inside wins
    expect(pickShape({ x: 0, y: -30 }, m.all(), m.lookup, 4)?.id).toBe(f); // the name label
    expect(dragSet([f], m.all(), m.lookup).sort()).toEqual([f, a, b].sort());
    expect(dragSet([f], m.all(), m.lookup)).not.toContain(c);
  });
});

describe('clipboard', () => {
  it('round-trips a selection as JSON with fresh ids, remapped arrows and groups', () => {
    const { m, a, b } = board();
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [50, 25, 250, 125], from: a, to: b });
    arrange.group(m, [a, b]);
    const text = serializeClip([a, b, arrow], m.lookup);
    expect(JSON.parse(text).type).toBe(CLIP_TYPE);

    const other = new BoardModel(new Y.Doc());
    const ids = pasteShapes(other, parseClip(text)!, { x: 1000, y: 1000 });
    expect(ids).toHaveLength(3);
    const shapes = other.all();
    expect(shapes.map((s) => s.id).some((id) => [a, b, arrow].includes(id))).toBe(false);
    const pa = shapes.find((s) => s.type === 'arrow')!;
    const ra = shapes.find((s) => s.type === 'rect')!, rb = shapes.find((s) => s.type === 'ellipse')!;
    expect(pa.from).toBe(ra.id);
    expect(pa.to).toBe(rb.id);
    expect(ra.groupId).toBeTruthy();
    expect(ra.groupId).toBe(rb.groupId);
    expect(ra.groupId).not.toBe(m.get(a)!.groupId);
    // Centred at the paste point.
    const [s, e] = arrowEndpoints(pa, other.lookup);
    expect(Math.abs((ra.x + rb.x + rb.w) / 2 - 1000)).toBeLessThan(1);
    expect(e.x).toBeGreaterThan(s.x);
    // One undo step removes the whole paste.
    other.undo.undo();
    expect(other.all()).toHaveLength(0);
  });

  it('drops attachments to shapes outside the clip and refuses what is not a clip', () => {
    const { m, a, b } = board();
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 1, 1], from: a, to: b });
    const pasted = parseClip(serializeClip([arrow], m.lookup))!;
    const out = new BoardModel(new Y.Doc());
    pasteShapes(out, pasted, null);
    const pa = out.all()[0]!;
    expect(pa.from).toBeUndefined();
    expect(pa.to).toBeUndefined();
    expect(pa.points).toHaveLength(4);
    expect(parseClip('hello')).toBeNull();
    expect(parseClip(JSON.stringify({ type: 'other', shapes: [] }))).toBeNull();
    expect(parseClip(JSON.stringify({ type: CLIP_TYPE, shapes: [{ type: 'rect', x: 'no' }, { type: 'rect', x: 1, y: 2, w: 3, h: 4 }] }))).toHaveLength(1);
    const many = { type: CLIP_TYPE, shapes: Array.from({ length: MAX_PASTE_SHAPES + 5 }, () => ({ type: 'rect', x: 0, y: 0, w: 1, h: 1, z: 0 })) };
    expect(parseClip(JSON.stringify(many))).toHaveLength(MAX_PASTE_SHAPES);
  });

  it("keeps a newer client's unknown keys through copy and paste, and a grown box's stored height", () => {
    const { m, a } = board();
    m.shapes!.get(a)!.set('opacity', 0.5);
    m.shapes!.get(a)!.set('future', { roughness: 2, tags: ['x'] });
    m.update(a, { text: 'a label long enough to make this small box grow taller than fifty' });
    expect(m.get(a)!.h).toBeGreaterThan(50);
    const clip = JSON.parse(serializeClip([a], m.lookup, m.raw));
    expect(clip.shapes[0]).toMatchObject({ opacity: 0.5, future: { roughness: 2, tags: ['x'] }, h: 50 });
    expect(clip.shapes[0].minH).toBeUndefined();
    const out = new BoardModel(new Y.Doc());
    const [id] = pasteShapes(out, parseClip(JSON.stringify(clip))!, null);
    const stored = out.raw(id!)!;
    expect(stored.opacity).toBe(0.5);
    expect(stored.future).toEqual({ roughness: 2, tags: ['x'] });
    expect(stored.h).toBe(50);
    expect(stored.extra).toBeUndefined();
    // Known keys win over an unknown key of the same name; unknown keys are bounded.
    const wide = { type: CLIP_TYPE, shapes: [{ type: 'rect', x: 0, y: 0, w: 1, h: 1, ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])) }] };
    expect(Object.keys(parseClip(JSON.stringify(wide))![0]!.extra!)).toHaveLength(MAX_CLIP_EXTRA_KEYS);
  });
});

describe('arrange', () => {
  it('aligns, distributes and restacks as single undo steps of one client', () => {
    const { m, a, b, c } = board();
    arrange.align(m, [a, b, c], 'top');
    expect([a, b, c].map((id) => m.get(id)!.y)).toEqual([0, 0, 0]);
    m.undo.undo();
    expect(m.get(b)!.y).toBe(100);
    arrange.distribute(m, [a, b, c], 'h');
    // Span 0..540, widths 240, two equal gaps of 150.
    expect(m.get(b)!.x).toBe(250);
    arrange.restack(m, [a], 'front');
    expect(m.all().at(-1)!.id).toBe(a);
    arrange.restack(m, [a], 'backward');
    expect(m.all().map((s) => s.id)).toEqual([b, a, c]);
    arrange.restack(m, [c], 'back');
    expect(m.all()[0]!.id).toBe(c);
  });

  it('leaves locked shapes alone and styles the rest', () => {
    const { m, a, b } = board();
    arrange.toggleLock(m, [a]);
    arrange.restyle(m, [a, b], { color: '#dc2626', strokeWidth: 4, dash: 'dashed' });
    expect(m.get(a)!.color).toBeUndefined();
    expect(m.get(b)!).toMatchObject({ color: '#dc2626', strokeWidth: 4, dash: 'dashed' });
    arrange.toggleLock(m, [a]);
    expect(m.get(a)!.locked).toBeUndefined();
  });

  it("one client's undo does not revert another's arrangement", () => {
    const d1 = new Y.Doc(), d2 = new Y.Doc();
    d1.on('update', (u: Uint8Array) => Y.applyUpdate(d2, u, 'remote'));
    d2.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(d1, u, 'remote'));
    const m1 = new BoardModel(d1), m2 = new BoardModel(d2);
    const a = m1.add({ type: 'rect', x: 0, y: 0, w: 10, h: 10 });
    m1.undo.stopCapturing();
    const b = m1.add({ type: 'rect', x: 50, y: 30, w: 10, h: 10 });
    arrange.align(m2, [a, b], 'right');
    expect(m1.get(a)!.x).toBe(50);
    m1.undo.undo(); // the first client's last own step: adding b
    expect(m1.get(b)).toBeUndefined();
    expect(m2.get(a)!.x).toBe(50); // the second client's alignment stays
  });
});

describe('scene (per-frame cache of the doc)', () => {
  it('re-reads only touched shapes and reports them with their attached arrows', async () => {
    const { Scene } = await import('../src/board/scene');
    const { m, a, b, c } = board();
    const arrow = m.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 1, 1], from: a, to: b });
    let queued = 0;
    const scene = new Scene(m, () => queued++);
    scene.sync();
    expect(scene.takeRedraw().ids).toBe('all');
    expect(scene.sorted.map((s) => s.id)).toEqual(m.all().map((s) => s.id));
    m.move([a], 5, 0);
    expect(queued).toBe(1);
    scene.sync();
    const r = scene.takeRedraw();
    expect([...(r.ids as Set<string>)].sort()).toEqual([a, arrow].sort());
    expect(r.orderChanged).toBe(false);
    expect(scene.lookup(a)!.x).toBe(5);
    expect(scene.sorted.find((s) => s.id === a)!.x).toBe(5); // the sorted list holds the new data too
    arrange.restack(m, [c], 'back');
    m.remove([b]);
    scene.sync();
    expect(scene.takeRedraw().orderChanged).toBe(true);
    expect(scene.sorted.map((s) => s.id)).toEqual(m.all().map((s) => s.id));
    scene.destroy();
  });
});

describe('round template', () => {
  it('adds the frames once, below everything, and finds a phase by its frames', async () => {
    const { applyTemplate, phaseBox } = await import('../src/board/phase_frames');
    const { m } = board();
    const frames = [
      { title: 'Requirements', phaseId: 'requirements', x: 0, y: 0, w: 500, h: 300 },
      { title: 'Estimates', phaseId: 'requirements', x: 600, y: 0, w: 500, h: 300 },
      { title: 'API', phaseId: 'high-level', x: 0, y: 400, w: 500, h: 300 },
    ];
    expect(applyTemplate(m, frames)).toHaveLength(3);
    expect(applyTemplate(m, frames)).toHaveLength(0);
    const all = m.all();
    expect(all.slice(0, 3).every((s) => s.type === 'frame')).toBe(true);
    expect(phaseBox(all, 'requirements')).toEqual({ x: 0, y: 0, w: 1100, h: 300 });
    expect(phaseBox(all, 'tradeoffs')).toBeUndefined();
    m.undo.undo();
    expect(m.all().filter((s) => s.type === 'frame')).toHaveLength(0);
  });
});
