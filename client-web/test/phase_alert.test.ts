// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { PhaseAlert } from '../src/pages/phase_alert';

describe('PhaseAlert', () => {
  afterEach(() => localStorage.clear());

  it('flashes on every phase end and remembers the mute choice', () => {
    const bar = document.createElement('section');
    const a = new PhaseAlert(bar);
    expect(a.button.getAttribute('aria-pressed')).toBe('false');
    a.fire();
    expect(bar.classList.contains('phase-ended')).toBe(true);
    expect(bar.dataset.phaseAlerts).toBe('1');
    a.button.click();
    expect(localStorage.getItem('mockloop.phaseAlert.muted')).toBe('1');
    a.fire(); // muted: still flashes
    expect(bar.dataset.phaseAlerts).toBe('2');
    a.destroy();
    const b = new PhaseAlert(document.createElement('section'));
    expect(b.button.getAttribute('aria-pressed')).toBe('true');
    b.destroy();
  });
});
