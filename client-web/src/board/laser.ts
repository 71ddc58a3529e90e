// The laser pointer: a fading trail others see, carried only in awareness (`laser`:
// `{pts: [x0, y0, x1, y1, ...]} | null`, board units, newest last) and never in the doc.
// The local side keeps the points of the last LASER_TRAIL_MS, publishes them at most
// every LASER_PUBLISH_MS, and clears the field once the trail has faded. Rendering draws
// every participant's trail (one's own from local points, so it needs no round trip).

import type { Awareness } from 'y-protocols/awareness';
import type { Point } from './types';

/** How long a point stays in the trail. */
export const LASER_TRAIL_MS = 900; // default
/** Most points one published trail holds (a read-only connection's awareness must stay under 1 KiB). */
export const MAX_LASER_POINTS = 24; // default
/** Least time between two published trails. */
export const LASER_PUBLISH_MS = 50; // default

const SVG_NS = 'http://www.w3.org/2000/svg';

export class Laser {
  private pts: { x: number; y: number; t: number }[] = [];
  private lastSent = 0;
  private timer: number | undefined;
  private fadeTimer: number | undefined;

  constructor(
    private readonly awareness: Awareness,
    private readonly redraw: () => void,
  ) {}

  add(p: Point): void {
    const now = performance.now();
    this.pts.push({ x: Math.round(p.x), y: Math.round(p.y), t: now });
    this.prune(now);
    this.redraw();
    this.schedulePublish();
    // Keep redrawing while the trail fades after the pointer stops.
    window.clearTimeout(this.fadeTimer);
    this.fadeTimer = window.setTimeout(() => this.fade(), LASER_TRAIL_MS / 6);
  }

  private fade(): void {
    this.prune(performance.now());
    this.redraw();
    this.schedulePublish();
    if (this.pts.length) this.fadeTimer = window.setTimeout(() => this.fade(), LASER_TRAIL_MS / 6);
  }

  private prune(now: number): void {
    while (this.pts.length && now - this.pts[0]!.t > LASER_TRAIL_MS) this.pts.shift();
    if (this.pts.length > MAX_LASER_POINTS) this.pts.splice(0, this.pts.length - MAX_LASER_POINTS);
  }

  private schedulePublish(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, LASER_PUBLISH_MS - (performance.now() - this.lastSent));
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      this.lastSent = performance.now();
      this.awareness.setLocalStateField('laser', this.pts.length ? { pts: this.flat() } : null);
    }, wait);
  }

  private flat(): number[] {
    return this.pts.flatMap((p) => [p.x, p.y]);
  }

  /** Trails to draw: others' from awareness, one's own from the local points. */
  render(layer: SVGGElement, zoom: number): void {
    const parts: SVGElement[] = [];
    const line = (pts: number[], color: string, who: string) => {
      if (pts.length < 2) return;
      const el = document.createElementNS(SVG_NS, 'polyline');
      const xy: string[] = [];
      for (let i = 0; i + 1 < pts.length; i += 2) xy.push(`${pts[i]},${pts[i + 1]}`);
      el.setAttribute('points', xy.length === 1 ? `${xy[0]} ${xy[0]}` : xy.join(' '));
      el.setAttribute('fill', 'none');
      el.setAttribute('stroke', color);
      el.setAttribute('stroke-width', String(4 / zoom));
      el.setAttribute('stroke-linecap', 'round');
      el.setAttribute('stroke-linejoin', 'round');
      el.setAttribute('opacity', '0.85');
      el.setAttribute('data-testid', 'laser-trail');
      el.setAttribute('data-who', who);
      parts.push(el);
    };
    this.awareness.getStates().forEach((st, id) => {
      if (id === this.awareness.clientID) return;
      const s = st as { laser?: { pts?: unknown } | null; user?: { name?: string } };
      const pts = s.laser?.pts;
      if (Array.isArray(pts) && pts.every((v) => typeof v === 'number' && Number.isFinite(v))) line(pts.slice(0, 2 * MAX_LASER_POINTS), '#ef4444', s.user?.name ?? 'remote');
    });
    line(this.flat(), '#ef4444', 'me');
    layer.replaceChildren(...parts);
  }
}
