import { describe, expect, it } from 'vitest';

import { pointX, ratingChart, ratingY, scoreChart } from '../src/progress/chart';

describe('progress charts', () => {
  it('puts each rating at its height and in time order, with the spread band', () => {
    const svg = ratingChart('Problem solving', [
      { rating: 4, atMs: 2000, label: 'B · Coding · Ivo' },
      { rating: 1, atMs: 1000, label: 'A · Coding · <Jo>' },
    ], { median: 2.5, q1: 1.75, q3: 3.25, min: 1, max: 4 });
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(dots).toEqual([[Number(pointX(0, 2).toFixed(1)), Number(ratingY(1).toFixed(1))], [Number(pointX(1, 2).toFixed(1)), Number(ratingY(4).toFixed(1))]]);
    expect(svg).toContain('class="iqr"');
    expect(svg).toContain('A · Coding · &lt;Jo&gt;');
    expect(svg).not.toContain('<Jo>');
    expect(svg).toContain('median 2.5, middle half 1.75 to 3.25');
  });
  it('draws scores over time', () => {
    const svg = scoreChart([{ score: 75, atMs: 1, band: 'Six-week intensive' }, { score: 98, atMs: 2, band: 'Final polish' }], [55, 70, 85]);
    expect(svg).toContain('<polyline');
    expect(svg.match(/<circle/g)?.length).toBe(2);
  });
});
