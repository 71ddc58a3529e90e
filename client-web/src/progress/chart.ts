// SVG charts of the progress page (issue 20; docs/progress.md), as markup strings so they
// are pure and testable without a DOM: one competency or principle's ratings over time
// (each rating a dot with its loop, round and interviewer in a tooltip, the interquartile
// range as a band, the median as a line, min and max as thin lines), and the
// self-assessment scores over time against the study-plan bands. All text is escaped.

import { escapeXml } from '../lib/dom';

export interface SeriesPoint {
  rating: number; // 1-4
  atMs: number;
  label: string; // "Week 1 · Coding · Ivo"
}

export interface SeriesStats {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

const RATING_NAMES = ['', 'Strong no hire', 'No hire', 'Hire', 'Strong hire'];

export const CHART_W = 360;
export const CHART_H = 112;
const PAD_L = 78;
const PAD_R = 10;
const PAD_T = 8;
const PAD_B = 14;

/** y of a rating 1-4 (4 at the top). */
export function ratingY(r: number): number {
  return PAD_T + ((4 - r) / 3) * (CHART_H - PAD_T - PAD_B);
}

/** x of the i-th of n points, spread evenly in time order. */
export function pointX(i: number, n: number): number {
  const w = CHART_W - PAD_L - PAD_R;
  return n <= 1 ? PAD_L + w / 2 : PAD_L + (i / (n - 1)) * w;
}

const f = (n: number) => n.toFixed(1);

export function ratingChart(title: string, points: SeriesPoint[], s: SeriesStats): string {
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_W} ${CHART_H}" width="${CHART_W}" height="${CHART_H}" role="img" aria-label="${escapeXml(`${title}: ${points.length} ratings, median ${s.median}, middle half ${s.q1} to ${s.q3}, range ${s.min} to ${s.max}`)}" class="progress-chart">`);
  for (let r = 1; r <= 4; r++) {
    const y = f(ratingY(r));
    parts.push(`<line x1="${PAD_L}" x2="${CHART_W - PAD_R}" y1="${y}" y2="${y}" class="grid"/>`);
    parts.push(`<text x="${PAD_L - 6}" y="${f(ratingY(r) + 3)}" text-anchor="end" class="axis">${RATING_NAMES[r]}</text>`);
  }
  if (points.length > 0) {
    const top = ratingY(s.q3);
    const bottom = ratingY(s.q1);
    parts.push(`<rect x="${PAD_L}" y="${f(top)}" width="${CHART_W - PAD_L - PAD_R}" height="${f(Math.max(bottom - top, 1.5))}" class="iqr"><title>Middle half of the ratings: ${s.q1} to ${s.q3}</title></rect>`);
    for (const [v, cls] of [[s.min, 'range'], [s.max, 'range'], [s.median, 'median']] as const)
      parts.push(`<line x1="${PAD_L}" x2="${CHART_W - PAD_R}" y1="${f(ratingY(v))}" y2="${f(ratingY(v))}" class="${cls}"/>`);
    const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
    sorted.forEach((p, i) => {
      const date = new Date(p.atMs).toISOString().slice(0, 10);
      parts.push(`<circle cx="${f(pointX(i, sorted.length))}" cy="${f(ratingY(p.rating))}" r="4" class="dot r${p.rating}"><title>${escapeXml(`${p.label} · ${RATING_NAMES[p.rating] ?? ''} · ${date}`)}</title></circle>`);
    });
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface ScorePoint {
  score: number; // 0-100
  atMs: number;
  band: string;
}

/** Self-assessment scores over time; the band thresholds as lines. */
export function scoreChart(points: ScorePoint[], thresholds: number[]): string {
  const y = (v: number) => PAD_T + ((100 - v) / 100) * (CHART_H - PAD_T - PAD_B);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_W} ${CHART_H}" width="${CHART_W}" height="${CHART_H}" role="img" aria-label="${escapeXml(`Self-assessment scores: ${points.map((p) => p.score).join(', ') || 'none yet'}`)}" class="progress-chart">`);
  for (const t of thresholds) {
    parts.push(`<line x1="${PAD_L}" x2="${CHART_W - PAD_R}" y1="${f(y(t))}" y2="${f(y(t))}" class="grid"/>`);
    parts.push(`<text x="${PAD_L - 6}" y="${f(y(t) + 3)}" text-anchor="end" class="axis">${t}</text>`);
  }
  const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
  if (sorted.length > 1)
    parts.push(`<polyline fill="none" class="median" points="${sorted.map((p, i) => `${f(pointX(i, sorted.length))},${f(y(p.score))}`).join(' ')}"/>`);
  sorted.forEach((p, i) => {
    const date = new Date(p.atMs).toISOString().slice(0, 10);
    parts.push(`<circle cx="${f(pointX(i, sorted.length))}" cy="${f(y(p.score))}" r="4" class="dot"><title>${escapeXml(`${p.score} · ${p.band} · ${date}`)}</title></circle>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
