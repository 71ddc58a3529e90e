// "Follow a participant": the select listing the others (awareness `user.name`) and, while
// one is chosen, copying their published viewport (awareness `viewport`) into ours. Any
// pan or zoom of one's own stops following. UI thread only.

import type { Awareness } from 'y-protocols/awareness';
import { h } from '../lib/dom';

export interface Viewport {
  x: number; // board coordinate at the left edge
  y: number;
  zoom: number;
}

export class Follow {
  private following: number | null = null;

  constructor(
    private readonly select: HTMLSelectElement,
    private readonly awareness: Awareness,
    private readonly show: (vp: Viewport) => void,
  ) {}

  set(clientId: number | null): void {
    this.following = clientId;
    this.apply();
  }

  stop(): void {
    if (this.following === null) return;
    this.following = null;
    this.select.value = '';
  }

  /** Copies the followed viewport; stops when that participant has left. */
  apply(): void {
    if (this.following === null) return;
    const st = this.awareness.getStates().get(this.following) as { viewport?: Viewport } | undefined;
    if (!st) return this.stop();
    if (st.viewport) this.show(st.viewport);
  }

  /** Rebuilds the options when the set of named participants changed. */
  refresh(): void {
    const opts: [string, string][] = [['', 'Follow…']];
    this.awareness.getStates().forEach((st, id) => {
      if (id === this.awareness.clientID) return;
      const u = (st as { user?: { name?: string } }).user;
      if (u?.name) opts.push([String(id), `Follow ${u.name}`]);
    });
    const sig = opts.map((o) => o.join('=')).join('|');
    if (this.select.dataset.sig === sig) return;
    this.select.dataset.sig = sig;
    const cur = this.select.value;
    this.select.replaceChildren(...opts.map(([v, l]) => h('option', { value: v }, l)));
    this.select.value = opts.some(([v]) => v === cur) ? cur : '';
  }
}
