// The alert when a phase ends: a short two-tone chime made with WebAudio (no audio file to
// download) and a visible flash of the timer bar, with a mute toggle remembered in
// localStorage. The flash always shows (it is also what a muted or hard-of-hearing
// participant relies on); only the sound is muted. Owned by the timer bar.

import { h } from '../lib/dom';

const MUTE_KEY = 'mockloop.phaseAlert.muted';
const FLASH_MS = 1600;

function loadMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

export class PhaseAlert {
  readonly button: HTMLButtonElement;
  private muted = loadMuted();
  private audio: AudioContext | null = null;
  private flashTimer: number | undefined;
  private count = 0;

  constructor(private readonly target: HTMLElement) {
    this.button = h('button', { type: 'button', class: 'small alert-mute', 'data-testid': 'alert-mute', onclick: () => this.toggle() });
    this.render();
  }

  /** A phase ended: flash, and chime unless muted. */
  fire(): void {
    this.count++;
    this.target.dataset.phaseAlerts = String(this.count);
    this.target.classList.remove('phase-ended');
    void this.target.offsetWidth; // restart the CSS animation
    this.target.classList.add('phase-ended');
    window.clearTimeout(this.flashTimer);
    this.flashTimer = window.setTimeout(() => this.target.classList.remove('phase-ended'), FLASH_MS);
    if (!this.muted) this.chime();
  }

  private toggle(): void {
    this.muted = !this.muted;
    try {
      localStorage.setItem(MUTE_KEY, this.muted ? '1' : '0');
    } catch {
      /* storage refused: the choice lasts for this page */
    }
    if (!this.muted) this.unlock();
    this.render();
  }

  private render(): void {
    this.button.textContent = this.muted ? '♪ off' : '♪ on';
    this.button.setAttribute('aria-pressed', String(this.muted));
    this.button.setAttribute('aria-label', this.muted ? 'Phase-end sound is off (turn on)' : 'Phase-end sound is on (mute)');
    this.button.title = this.muted ? 'Sound when a phase ends: off' : 'Sound when a phase ends: on';
  }

  /** Browsers start audio only after a user gesture: the toggle click is one. */
  private unlock(): void {
    this.context()?.resume().catch(() => {});
  }

  private context(): AudioContext | null {
    if (this.audio) return this.audio;
    const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    try {
      this.audio = new Ctor();
    } catch {
      return null;
    }
    return this.audio;
  }

  private chime(): void {
    const ctx = this.context();
    if (!ctx) return;
    void ctx.resume().catch(() => {});
    const t0 = ctx.currentTime + 0.01;
    for (const [i, freq] of [880, 660].entries()) {
      const start = t0 + i * 0.22;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start);
      osc.stop(start + 0.21);
    }
  }

  destroy(): void {
    window.clearTimeout(this.flashTimer);
    void this.audio?.close().catch(() => {});
  }
}
