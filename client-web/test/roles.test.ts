import { describe, expect, it } from 'vitest';
import { capabilitiesFor, normalizeRole } from '../src/state/roles';

describe('role capabilities', () => {
  it('never shows interviewer or bar raiser panels to a candidate, even if content arrived', () => {
    const c = capabilitiesFor('candidate', true);
    expect(c.interviewerPanel).toBe(false);
    expect(c.barRaiserPanel).toBe(false);
    expect(c.privateNotes).toBe(false);
    expect(c.timerControls).toBe(false);
    expect(c.debrief).toBe(false);
    expect(c.editBoard).toBe(true);
  });

  it('shows the interviewer panel only when the server sent interviewer content', () => {
    expect(capabilitiesFor('interviewer', true).interviewerPanel).toBe(true);
    expect(capabilitiesFor('interviewer', false).interviewerPanel).toBe(false);
    expect(capabilitiesFor('interviewer', true).barRaiserPanel).toBe(false);
  });

  it('gives the bar raiser the veto panel and the debrief', () => {
    const c = capabilitiesFor('bar_raiser', true);
    expect(c.barRaiserPanel).toBe(true);
    expect(c.interviewerPanel).toBe(true);
    expect(c.debrief).toBe(true);
  });

  it('keeps observers read-only', () => {
    const c = capabilitiesFor('observer', true);
    expect(c.editBoard).toBe(false);
    expect(c.interviewerPanel).toBe(false);
  });

  it('normalizes protobuf enum names and odd spellings', () => {
    expect(normalizeRole('ROLE_BAR_RAISER')).toBe('bar_raiser');
    expect(normalizeRole('bar-raiser')).toBe('bar_raiser');
    expect(normalizeRole('ROLE_CANDIDATE')).toBe('candidate');
    expect(normalizeRole('ROLE_UNSPECIFIED')).toBe('unknown');
    expect(normalizeRole(undefined)).toBe('unknown');
  });
});
