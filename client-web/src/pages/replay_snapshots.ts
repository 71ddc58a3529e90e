// The snapshots panel of the replay page (issue 19), for staff only (the server answers 403
// to anyone else, and the page shows the panel only when the timeline carries staff events):
// the round's snapshots (one at every phase boundary, and those taken on demand), "Take a
// snapshot" of the moment being watched, and per snapshot "Go to", "Restore board" and
// "Restore code". A restore is a new change on the live room (nothing is rewritten): everyone
// in the room sees it, and the history keeps what came before.

import { h } from '../lib/dom';

export interface Snapshot {
  id: string;
  name: string;
  atMs: number;
  kind: 'phase' | 'manual';
  by: string;
}

interface Options {
  base: string; // /api/v1/loops/<id>/rounds/<r>
  token: string;
  startMs: number;
  seek: (at: number) => void;
  position: () => number;
  label: (ms: number) => string; // "m:ss" since the round's start
}

async function call<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let msg = text.slice(0, 200);
    try {
      msg = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? msg;
    } catch {
      /* not JSON */
    }
    throw new Error(msg);
  }
  return JSON.parse(text) as T;
}

export class SnapshotsPanel {
  readonly el: HTMLElement;
  private list = h('ol', { class: 'replay-snapshots', 'data-testid': 'replay-snapshots' });
  private status = h('p', { class: 'replay-snapshot-status', role: 'status', 'data-testid': 'replay-snapshot-status' });
  private nameInput = h('input', { type: 'text', maxlength: 80, placeholder: 'Name (optional)', 'aria-label': 'Snapshot name', 'data-testid': 'replay-snapshot-name' }) as HTMLInputElement;

  constructor(private readonly o: Options) {
    const take = h('button', { 'data-testid': 'replay-snapshot-take', onclick: () => void this.take() }, 'Take a snapshot of this moment');
    this.el = h('details', { class: 'replay-snapshots-panel', open: true, 'data-testid': 'replay-snapshots-panel' },
      h('summary', {}, 'Snapshots'), h('div', { class: 'replay-snapshot-take' }, this.nameInput, take), this.list, this.status);
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const r = await call<{ snapshots: Snapshot[] }>('GET', `${this.o.base}/snapshots`, this.o.token);
      this.list.replaceChildren(...r.snapshots.map((s) => this.row(s)));
    } catch (e) {
      this.status.textContent = `Snapshots: ${(e as Error).message}`;
    }
  }

  private row(s: Snapshot): HTMLElement {
    return h('li', { 'data-testid': `replay-snapshot-${s.id}`, 'data-kind': s.kind },
      h('button', { class: 'linklike', onclick: () => this.o.seek(s.atMs) }, this.o.label(s.atMs - this.o.startMs)), ' ',
      h('span', {}, s.name), ' ',
      h('button', { 'data-testid': `replay-restore-board-${s.id}`, onclick: () => void this.restore(s, 'board') }, 'Restore board'), ' ',
      h('button', { 'data-testid': `replay-restore-code-${s.id}`, onclick: () => void this.restore(s, 'code') }, 'Restore code'));
  }

  private async take(): Promise<void> {
    try {
      const s = await call<Snapshot>('POST', `${this.o.base}/snapshots`, this.o.token, { name: this.nameInput.value, atMs: Math.round(this.o.position()) });
      this.nameInput.value = '';
      this.status.textContent = `Snapshot “${s.name}” taken.`;
      await this.refresh();
    } catch (e) {
      this.status.textContent = `Could not take a snapshot: ${(e as Error).message}`;
    }
  }

  private async restore(s: Snapshot, target: 'board' | 'code'): Promise<void> {
    if (!confirm(`Restore the ${target === 'board' ? 'board' : 'code pad'} of the live room to “${s.name}”? It is a new change that everyone in the room sees; nothing is erased from the history.`)) return;
    try {
      await call('POST', `${this.o.base}/snapshots/${encodeURIComponent(s.id)}/restore`, this.o.token, { target });
      this.status.textContent = `The ${target === 'board' ? 'board' : 'code pad'} was restored to “${s.name}” in the live room.`;
    } catch (e) {
      this.status.textContent = `Could not restore: ${(e as Error).message}`;
    }
  }
}
