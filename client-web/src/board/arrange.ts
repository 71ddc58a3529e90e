// Arranging a selection: align, distribute, stacking order (z), group/ungroup, lock, style.
// Each operation is one transaction with the model's own origin, so it is one undo step
// that never touches another participant's edits. Locked shapes are left where they are.

import { newId, type BoardModel, type ShapePatch } from './model';
import { shapeBox, unionBox, type Box } from './selection';
import type { Shape } from './types';

/** Runs `fn` as one undo step of its own: never merged with the edit before or after it. */
export function step(model: BoardModel, fn: () => void): void {
  model.undo.stopCapturing();
  model.transact(fn);
  model.undo.stopCapturing();
}

export type Align = 'left' | 'hcenter' | 'right' | 'top' | 'vmiddle' | 'bottom';

function editable(model: BoardModel, ids: Iterable<string>): Shape[] {
  const out: Shape[] = [];
  for (const id of ids) {
    const s = model.get(id);
    if (s && !s.locked) out.push(s);
  }
  return out;
}

/** Units of a group: each group moves as one box, each ungrouped shape on its own. */
function units(shapes: Shape[], model: BoardModel): { ids: string[]; box: Box }[] {
  const byGroup = new Map<string, Shape[]>();
  const out: { ids: string[]; box: Box }[] = [];
  for (const s of shapes) {
    if (s.groupId) byGroup.set(s.groupId, [...(byGroup.get(s.groupId) ?? []), s]);
    else out.push({ ids: [s.id], box: shapeBox(s, model.lookup) });
  }
  for (const g of byGroup.values()) out.push({ ids: g.map((s) => s.id), box: unionBox(g.map((s) => shapeBox(s, model.lookup)))! });
  return out;
}

export function align(model: BoardModel, ids: Iterable<string>, how: Align): void {
  const us = units(editable(model, ids), model);
  if (us.length < 2) return;
  const all = unionBox(us.map((u) => u.box))!;
  step(model, () => {
    for (const u of us) {
      const b = u.box;
      let dx = 0, dy = 0;
      if (how === 'left') dx = all.x - b.x;
      else if (how === 'right') dx = all.x + all.w - (b.x + b.w);
      else if (how === 'hcenter') dx = all.x + all.w / 2 - (b.x + b.w / 2);
      else if (how === 'top') dy = all.y - b.y;
      else if (how === 'bottom') dy = all.y + all.h - (b.y + b.h);
      else dy = all.y + all.h / 2 - (b.y + b.h / 2);
      if (dx || dy) model.move(u.ids, dx, dy);
    }
  });
}

/** Equal gaps between the units along one axis, the outermost two staying put. */
export function distribute(model: BoardModel, ids: Iterable<string>, axis: 'h' | 'v'): void {
  const us = units(editable(model, ids), model);
  if (us.length < 3) return;
  const pos = (b: Box) => (axis === 'h' ? b.x : b.y);
  const size = (b: Box) => (axis === 'h' ? b.w : b.h);
  us.sort((a, b) => pos(a.box) - pos(b.box));
  const first = us[0]!.box, last = us[us.length - 1]!.box;
  const span = pos(last) + size(last) - pos(first);
  const gap = (span - us.reduce((t, u) => t + size(u.box), 0)) / (us.length - 1);
  let at = pos(first);
  step(model, () => {
    for (const u of us) {
      const d = at - pos(u.box);
      if (d) model.move(u.ids, axis === 'h' ? d : 0, axis === 'v' ? d : 0);
      at += size(u.box) + gap;
    }
  });
}

export type ZMove = 'front' | 'forward' | 'backward' | 'back';

/**
 * Restacks the selection. Front/back jump past everything; forward/backward swap past the
 * next shape above/below the selection's top/bottom, which is what the eye sees move.
 */
export function restack(model: BoardModel, ids: Iterable<string>, how: ZMove): void {
  const sel = new Set(editable(model, ids).map((s) => s.id));
  if (!sel.size) return;
  const all = model.all();
  if (how === 'front' || how === 'back') {
    // Only the selection is written: past the current top (or below the bottom), order kept.
    const picked = all.filter((s) => sel.has(s.id));
    const top = all[all.length - 1]!.z, bottom = all[0]!.z;
    step(model, () => picked.forEach((s, i) => model.update(s.id, { z: how === 'front' ? top + 1 + i : bottom - picked.length + i })));
    return;
  }
  const order = all.map((s) => s.id);
  const picked = order.filter((id) => sel.has(id));
  const rest = order.filter((id) => !sel.has(id));
  let next: string[];
  {
    // Insert the selection as a block just past its neighbour in the moving direction.
    const idx = order.map((id, i) => (sel.has(id) ? i : -1)).filter((i) => i >= 0);
    if (how === 'forward') {
      const top = Math.max(...idx);
      const above = order.slice(top + 1).find((id) => !sel.has(id));
      const cut = above ? rest.indexOf(above) + 1 : rest.length;
      next = [...rest.slice(0, cut), ...picked, ...rest.slice(cut)];
    } else {
      const bottom = Math.min(...idx);
      const below = order.slice(0, bottom).reverse().find((id) => !sel.has(id));
      const cut = below ? rest.indexOf(below) : 0;
      next = [...rest.slice(0, cut), ...picked, ...rest.slice(cut)];
    }
  }
  // Renumber from the lowest z up, writing only the shapes whose z changes.
  const base = all[0]!.z;
  const zOf = new Map(all.map((s) => [s.id, s.z]));
  step(model, () => next.forEach((id, i) => zOf.get(id) !== base + i && model.update(id, { z: base + i })));
}

export function group(model: BoardModel, ids: Iterable<string>): void {
  const shapes = editable(model, ids);
  if (shapes.length < 2) return;
  const g = newId();
  step(model, () => shapes.forEach((s) => model.update(s.id, { groupId: g })));
}

export function ungroup(model: BoardModel, ids: Iterable<string>): void {
  const shapes = editable(model, ids).filter((s) => s.groupId);
  step(model, () => shapes.forEach((s) => model.update(s.id, { groupId: undefined })));
}

/** Locks the selection, or unlocks it when every selected shape is locked already. */
export function toggleLock(model: BoardModel, ids: Iterable<string>): boolean {
  const shapes = [...ids].map((id) => model.get(id)).filter((s): s is Shape => !!s);
  const lock = !shapes.every((s) => s.locked);
  step(model, () => shapes.forEach((s) => model.update(s.id, { locked: lock })));
  return lock;
}

/** Restyles the unlocked shapes of the selection; `patch` may depend on the shape (style_panel.ts patchFor). */
export function restyle(model: BoardModel, ids: Iterable<string>, patch: ShapePatch | ((s: Shape) => ShapePatch)): void {
  const shapes = editable(model, ids);
  if (!shapes.length) return;
  step(model, () => shapes.forEach((s) => model.update(s.id, typeof patch === 'function' ? patch(s) : patch)));
}
