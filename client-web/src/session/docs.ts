// Opens a room's Yjs doc over y-websocket (docs/api.md, issue 4) and reports its connection
// state. A refusal (bad/revoked token, or a candidate asking for the private doc) stops the
// provider's reconnect loop instead of retrying forever.

import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { defaultWsBase } from './session';
import { isFatalClose, refusalMessage } from './close_codes';

export type DocState = 'connecting' | 'connected' | 'synced' | 'disconnected' | 'refused';

export interface OpenDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  onState(fn: (s: DocState, message?: string) => void): void;
  /** Resolves when the first sync with the server completed. */
  synced: Promise<void>;
  destroy(): void;
}

export function openDoc(docName: string, token: string | undefined): OpenDoc {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${defaultWsBase()}/yjs`, docName, doc, {
    params: token ? { token } : {},
    maxBackoffTime: 5000,
  });
  const listeners: ((s: DocState, m?: string) => void)[] = [];
  const emit = (s: DocState, m?: string) => listeners.forEach((l) => l(s, m));
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') emit(provider.synced ? 'synced' : 'connected');
    else if (status === 'disconnected') emit('disconnected');
    else emit('connecting');
  });
  provider.on('sync', (s: boolean) => s && emit('synced'));
  provider.on('connection-close', (ev: CloseEvent | null) => {
    if (ev && isFatalClose(ev.code)) {
      provider.shouldConnect = false; // stop reconnecting
      emit('refused', refusalMessage(ev.code, ev.reason));
    }
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    synced,
    onState: (fn) => listeners.push(fn),
    destroy: () => {
      provider.awareness.setLocalState(null);
      provider.destroy();
      doc.destroy();
    },
  };
}

const PALETTE = ['#e11d48', '#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

export function userColor(seed: string): { color: string; colorLight: string } {
  let x = 0;
  for (const c of seed) x = (x * 31 + c.charCodeAt(0)) >>> 0;
  const color = PALETTE[x % PALETTE.length]!;
  return { color, colorLight: color + '33' };
}
