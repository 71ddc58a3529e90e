// The call strip of the room (issue 17): a compact row between the prompt and the
// workspace, so it never covers the board or the pad; collapsible to one line. Out of the
// call it takes no row at all: Join sits in the room header (`headerEl`). Join /
// join audio only / leave, mute, camera, device pickers, one tile per member with a
// speaking ring and a connection-quality dot; the host lets observers talk from their tile.
// Renders CallClient's state; owns only its DOM.

import { Role } from '../gen/loop_pb';
import { h, replace } from '../lib/dom';
import { roleLabel, normalizeRole } from '../state/roles';
import type { CallClient, RemoteView } from './call_client';

export class CallStrip {
  readonly el: HTMLElement;
  /** Join buttons and the call's head count, for the room header. */
  readonly headerEl: HTMLElement;
  private bar: HTMLElement;
  private tiles: HTMLElement;
  private collapsed = false;
  private videos = new Map<string, HTMLVideoElement>();
  private selfVideo: HTMLVideoElement;
  private devices: MediaDeviceInfo[] = [];
  private needsClick = false;
  private off: () => void;

  constructor(private readonly call: CallClient) {
    this.bar = h('div', { class: 'call-bar' });
    this.tiles = h('div', { class: 'call-tiles', 'data-testid': 'call-tiles' });
    this.selfVideo = h('video', { autoplay: true, playsinline: true, muted: true, 'data-testid': 'call-self-video' });
    this.selfVideo.muted = true;
    this.headerEl = h('span', { class: 'call-header', 'data-testid': 'call-header' });
    this.el = h('section', { class: 'call-strip', 'aria-label': 'Call', 'data-testid': 'call-strip' }, this.bar, this.tiles);
    this.off = call.onChange(() => this.render());
    navigator.mediaDevices?.addEventListener?.('devicechange', () => void this.loadDevices());
    this.render();
  }

  private async loadDevices(): Promise<void> {
    try {
      this.devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      this.devices = [];
    }
    this.render();
  }

  private picker(kind: 'audioinput' | 'videoinput'): HTMLElement | null {
    const list = this.devices.filter((d) => d.kind === kind && d.deviceId);
    if (list.length < 2) return null;
    const current = kind === 'audioinput' ? this.call.micDevice : this.call.camDevice;
    return h('select', {
      'aria-label': kind === 'audioinput' ? 'Microphone' : 'Camera', 'data-testid': `call-${kind}`,
      onchange: (e: Event) => void this.call.useDevice(kind === 'audioinput' ? 'audio' : 'video', (e.target as HTMLSelectElement).value),
    }, list.map((d, i) => h('option', { value: d.deviceId, selected: d.deviceId === current }, d.label || `${kind === 'audioinput' ? 'Microphone' : 'Camera'} ${i + 1}`)));
  }

  private render(): void {
    const c = this.call, st = c.state;
    const count = (st?.peers.length ?? 0) + (st?.joined ? 1 : 0);
    const btn = (label: string, testid: string, onclick: () => void, pressed?: boolean) =>
      h('button', { type: 'button', class: 'small', 'data-testid': testid, 'aria-pressed': pressed === undefined ? undefined : String(pressed), onclick }, label);
    const parts: (HTMLElement | string | null)[] = [h('strong', {}, 'Call'), h('span', { class: 'call-count', 'data-testid': 'call-count' }, count ? `${count} in call` : 'nobody in the call yet')];
    if (!st?.joined) {
      replace(this.headerEl,
        btn(c.joining ? 'Joining…' : 'Join call', 'call-join', () => { void this.loadDevices(); void c.join(false); }),
        btn('Audio only', 'call-join-audio', () => { void this.loadDevices(); void c.join(true); }),
        h('span', { class: 'call-count', 'data-testid': 'call-count' }, count ? `${count} in call` : ''),
        c.message ? h('span', { class: 'call-note call-error', role: 'alert', 'data-testid': 'call-message' }, c.message) : null);
      this.el.hidden = true;
      this.videos.clear();
      replace(this.bar);
      replace(this.tiles);
      return;
    } else {
      replace(this.headerEl);
      this.el.hidden = false;
      if (c.mayTalk && c.local) {
        parts.push(btn(c.micOn ? 'Mute' : 'Unmute', 'call-mic', () => c.setMic(!c.micOn), !c.micOn));
        parts.push(btn(c.camOn ? 'Camera off' : 'Camera on', 'call-cam', () => void c.setCam(!c.camOn), !c.camOn));
        parts.push(this.picker('audioinput'), this.picker('videoinput'));
      } else {
        parts.push(h('span', { class: 'call-note', 'data-testid': 'call-listen-only' }, 'Listen-only'));
      }
      parts.push(btn('Leave', 'call-leave', () => c.leave()));
    }
    if (this.needsClick) parts.push(btn('Play call audio', 'call-play', () => this.playAll()));
    parts.push(btn(this.collapsed ? 'Show ▾' : 'Hide ▴', 'call-collapse', () => { this.collapsed = !this.collapsed; this.render(); }));
    if (st && !st.turnConfigured && (st.joined || c.wanted))
      parts.push(h('span', { class: 'call-note', 'data-testid': 'call-no-turn', title: 'The server has no TURN relay configured (--ice-server turn:... --turn-secret)' }, 'No relay server: people on other networks behind strict NATs may not connect.'));
    if (c.message) parts.push(h('span', { class: 'call-note call-error', role: 'alert', 'data-testid': 'call-message' }, c.message));
    replace(this.bar, parts);
    this.el.dataset.joined = String(Boolean(st?.joined));
    this.el.classList.toggle('collapsed', this.collapsed);
    this.tiles.hidden = this.collapsed || !st?.joined;
    if (!st?.joined) {
      this.videos.clear();
      replace(this.tiles);
      return;
    }
    const tiles: HTMLElement[] = [this.selfTile()];
    for (const r of c.remotes()) tiles.push(this.remoteTile(r, st.canAllowTalk));
    replace(this.tiles, tiles);
  }

  private selfTile(): HTMLElement {
    const c = this.call;
    if (this.selfVideo.srcObject !== c.local) this.selfVideo.srcObject = c.local;
    const hasVideo = Boolean(c.local?.getVideoTracks().length) && c.camOn;
    return h('figure', { class: `call-tile self${c.selfSpeaking ? ' speaking' : ''}`, 'data-testid': 'call-tile-self' },
      hasVideo ? this.selfVideo : h('div', { class: 'call-avatar' }, 'You'),
      h('figcaption', {}, 'You', c.mayTalk && !c.micOn ? ' (muted)' : '', !c.mayTalk ? ' (listening)' : ''));
  }

  private remoteTile(r: RemoteView, canAllowTalk: boolean): HTMLElement {
    let v = this.videos.get(r.peerId);
    if (!v) {
      v = h('video', { autoplay: true, playsinline: true, 'data-testid': 'call-video', 'data-peer': r.peerId });
      this.videos.set(r.peerId, v);
    }
    if (v.srcObject !== r.stream) {
      v.srcObject = r.stream;
      v.play().catch(() => { this.needsClick = true; this.render(); });
    }
    const quality = r.connection === 'connected' ? r.quality : r.connection;
    const qualityTitle = r.connection === 'connected' ? `Connection ${r.quality}${r.rttMs >= 0 ? `, ${Math.round(r.rttMs)} ms round trip` : ''}` : `Connection ${r.connection}`;
    const role = normalizeRole(Role[r.role]);
    return h('figure', { class: `call-tile${r.speaking ? ' speaking' : ''}`, 'data-testid': 'call-tile', 'data-peer': r.peerId, 'data-connection': r.connection },
      v,
      h('figcaption', {},
        h('span', { class: `call-quality q-${quality}`, title: qualityTitle, 'data-testid': 'call-quality' }),
        `${r.name} · ${roleLabel(role)}`, r.mayTalk ? '' : ' (listening)',
        canAllowTalk && r.role === Role.OBSERVER
          ? h('button', { type: 'button', class: 'tiny', 'data-testid': 'call-allow-talk', onclick: () => this.call.allowTalk(r.peerId, !r.mayTalk) }, r.mayTalk ? 'Mute listener' : 'Let talk')
          : null));
  }

  private playAll(): void {
    this.needsClick = false;
    for (const v of this.videos.values()) void v.play().catch(() => undefined);
    this.render();
  }

  destroy(): void {
    this.off();
    this.el.remove();
  }
}
