import { describe, expect, it } from 'vitest';
import { snapBox, snapTargets, MAX_SNAP_TARGETS } from '../src/board/snap_guides';
import { appliesTo, patchFor, styleFor, type Style } from '../src/board/style_panel';
import type { Shape } from '../src/board/types';

describe('snap to shapes', () => {
  const target = { x: 100, y: 100, w: 100, h: 50 };
  it('lines up the nearest edge or centre within the tolerance and reports guides', () => {
    // Left edge 3 units right of the target's left edge; tops 40 apart (no y snap).
    const s = snapBox({ x: 103, y: 200, w: 40, h: 40 }, [target], 6);
    expect(s.dx).toBe(-3);
    expect(s.dy).toBeUndefined();
    expect(s.guides).toEqual([{ axis: 'x', at: 100, from: 100, to: 240 }]);
    // Centre to centre on both axes.
    const c = snapBox({ x: 128, y: 106, w: 40, h: 40 }, [target], 6);
    expect([c.dx, c.dy]).toEqual([2, -1]);
    expect(c.guides.map((g) => `${g.axis}${g.at}`).sort()).toEqual(['x150', 'y125']);
    // Nothing within the tolerance: no shift, no guide.
    expect(snapBox({ x: 300, y: 300, w: 10, h: 10 }, [target], 6)).toEqual({ dx: undefined, dy: undefined, guides: [] });
  });

  it('takes targets from the view, never the moving shapes or arrows, at most MAX_SNAP_TARGETS', () => {
    const sh = (id: string, x: number, type: Shape['type'] = 'rect'): Shape => ({ id, type, x, y: 0, w: 10, h: 10, z: 0, points: type === 'arrow' ? [x, 0, x + 10, 0] : undefined });
    const all = [sh('a', 0), sh('b', 50), sh('c', 5000), sh('arr', 20, 'arrow')];
    const t = snapTargets(all, new Set(['a']), () => undefined, { x: -100, y: -100, w: 1000, h: 1000 });
    expect(t).toEqual([{ x: 50, y: 0, w: 10, h: 10 }]);
    const many = Array.from({ length: MAX_SNAP_TARGETS + 50 }, (_, i) => sh(`s${i}`, i));
    expect(snapTargets(many, new Set(), () => undefined, { x: -10, y: -10, w: 1e4, h: 100 })).toHaveLength(MAX_SNAP_TARGETS);
  });
});

describe('style panel keys', () => {
  const base: Style = { color: '#1f2937', fill: '', strokeWidth: 2, dash: '', fontSize: 16, align: '', fit: 'grow', heads: 'end', route: 'straight' };
  it('keeps each key to the shapes it means something for and stores defaults as absent', () => {
    expect(patchFor({ heads: 'both' }, 'rect')).toEqual({});
    expect(patchFor({ heads: 'both' }, 'arrow')).toEqual({ heads: 'both' });
    expect(patchFor({ heads: 'end', route: 'elbow' }, 'arrow')).toEqual({ heads: '', route: 'elbow' });
    expect(patchFor({ align: 'right', fit: 'shrink' }, 'arrow')).toEqual({});
    expect(patchFor({ align: 'right', fit: 'shrink' }, 'sticky')).toEqual({ align: 'right', fit: 'shrink' });
    expect(patchFor({ fontSize: 24 }, 'arrow')).toEqual({ fontSize: 24 });
    expect(patchFor({ fontSize: 16 }, 'text')).toEqual({ fontSize: '' });
    expect(patchFor({ fontSize: 16 }, 'frame')).toEqual({ fontSize: 16 });
    expect(patchFor({ dash: 'dashed', fill: '#fee2e2' }, 'text')).toEqual({});
    expect(appliesTo(['arrow', 'text'])).toEqual({ stroke: true, text: true, textBox: true, arrow: true });
    expect(appliesTo(['freehand'])).toEqual({ stroke: true, text: false, textBox: false, arrow: false });
  });

  it('gives a new shape only the non-default keys that apply to it', () => {
    const st: Style = { ...base, fill: '#dbeafe', dash: 'dashed', fontSize: 24, align: 'left', heads: 'both', route: 'elbow' };
    expect(styleFor(st, 'arrow')).toEqual({ color: '#1f2937', dash: 'dashed', fontSize: 24, heads: 'both', route: 'elbow' });
    expect(styleFor(st, 'rect')).toEqual({ color: '#1f2937', fill: '#dbeafe', dash: 'dashed', fontSize: 24, align: 'left' });
    expect(styleFor(base, 'text')).toEqual({ color: '#1f2937' });
    expect(styleFor(base, 'frame')).toEqual({});
  });
});
