// A round's board template and phase following. The phase plan in content/phases/ may list
// board frames (title, phase id, box); "Template" adds those frames to the board (one undo
// step; frames already there, by phase and title, are not added twice), each frame
// carrying its phase id in the shape key `phase`. When the phase timer moves to a phase,
// every client scrolls its own view to that phase's frames (their union) unless its user
// switched "Follow phases" off; the timer is shared, so everyone moves together without
// any extra message. UI thread only.

import { h } from '../lib/dom';
import { step } from './arrange';
import type { BoardModel } from './model';
import { unionBox, type Box } from './selection';
import type { Shape } from './types';

export interface FrameTemplate {
  title: string;
  phaseId: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The template's frames from a phase plan as it arrives in a snapshot (proto PhasePlan). */
export function templateFromPlan(plan: { boardFrames?: { title: string; phaseId: string; x: number; y: number; w: number; h: number }[] } | undefined): FrameTemplate[] {
  return (plan?.boardFrames ?? []).map((f) => ({ title: f.title, phaseId: f.phaseId, x: f.x, y: f.y, w: f.w, h: f.h }));
}

/** Adds the template's missing frames below everything else; returns the new ids. */
export function applyTemplate(model: BoardModel, frames: FrameTemplate[]): string[] {
  const have = new Set(model.all().filter((s) => s.type === 'frame').map((s) => `${s.phase ?? ''}\n${s.text ?? ''}`));
  const missing = frames.filter((f) => !have.has(`${f.phaseId}\n${f.title}`));
  if (!missing.length) return [];
  const ids: string[] = [];
  let z = model.minZ() - missing.length;
  model.prepare();
  step(model, () => {
    for (const f of missing) ids.push(model.add({ type: 'frame', x: f.x, y: f.y, w: f.w, h: f.h, text: f.title, phase: f.phaseId, z: z++ }));
  });
  return ids;
}

/** The box around the frames of phase `phaseId`, or undefined when the board has none. */
export function phaseBox(all: Shape[], phaseId: string): Box | undefined {
  return unionBox(all.filter((s) => s.type === 'frame' && s.phase === phaseId));
}

/** The "⋯" menu's "Round" part: "Template" (editors, when the plan has frames) and "Follow phases". */
export class PhaseControls {
  readonly el: HTMLElement;
  private templateButton: HTMLButtonElement;
  private followBox: HTMLInputElement;
  private frames: FrameTemplate[] = [];

  constructor(editable: boolean, onTemplate: (frames: FrameTemplate[]) => void, onFollow: (on: boolean) => void) {
    this.templateButton = h('button', { type: 'button', 'aria-label': "Add the round's template frames", title: "Add the round's frames (Requirements, Estimates, API, ...)", 'data-testid': 'board-template', onclick: () => onTemplate(this.frames) }, 'Template');
    this.templateButton.hidden = !editable;
    this.followBox = h('input', { type: 'checkbox', checked: true, 'data-testid': 'board-follow-phases', onchange: () => onFollow(this.followBox.checked) });
    this.el = h(
      'div',
      { class: 'board-menu-section phase-controls', role: 'group', 'aria-label': 'Round', hidden: true },
      h('div', { class: 'props-label' }, 'Round'),
      h('div', { class: 'board-menu-row' }, this.templateButton, h('label', { class: 'follow-phases', title: "Scroll to the current phase's frame when the timer moves on" }, this.followBox, 'Follow phases')),
    );
  }

  get following(): boolean {
    return this.followBox.checked;
  }

  setTemplate(frames: FrameTemplate[]): void {
    this.frames = frames;
    this.el.hidden = frames.length === 0;
  }
}
