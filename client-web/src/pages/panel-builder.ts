// The lobby's panel builder: for each round of the chosen template, whether it is included
// (optional rounds only), its planned start (in the host's time zone, sent as epoch ms) and
// its interviewers (any number; a name in several rounds is one person assigned to each);
// plus people in every round, the Bar Raiser and observers. request() turns it into the
// CreateLoopRequest fields; the server validates every one of them again.

import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Template } from '../gen/content_pb';
import { Role, type ParticipantSpecSchema, type RoundStartSchema } from '../gen/loop_pb';
import { h, replace } from '../lib/dom';
import { fromLocalInput, timeZoneName, toLocalInput } from './schedule';

type Spec = MessageInitShape<typeof ParticipantSpecSchema>;
type Start = MessageInitShape<typeof RoundStartSchema>;

/** "Ann, Bo ,, Ann" -> ["Ann", "Bo"] */
export function names(list: string): string[] {
  return [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
}

interface RoundInputs {
  specId: string;
  optional: boolean;
  include: HTMLInputElement;
  start: HTMLInputElement;
  interviewers: HTMLInputElement;
  minutes: number;
}

export class PanelBuilder {
  readonly el: HTMLElement;
  readonly everyRound = h('input', { type: 'text', id: 'interviewer', maxlength: 1000, value: 'Interviewer', autocomplete: 'off', 'data-testid': 'interviewer-name' });
  readonly barRaiser = h('input', { type: 'text', id: 'barraiser', maxlength: 200, value: 'Bar Raiser', autocomplete: 'off', 'data-testid': 'bar-raiser-name' });
  readonly observers = h('input', { type: 'text', id: 'observers', maxlength: 1000, placeholder: 'Names, comma-separated', autocomplete: 'off', 'data-testid': 'observer-names' });
  private table = h('tbody', {});
  private rounds: RoundInputs[] = [];
  private template: Template | undefined;
  private brBox: HTMLElement;

  constructor() {
    this.brBox = h('div', {}, h('label', { for: 'barraiser' }, 'Bar Raiser (every round, leads the Bar Raiser round)'), this.barRaiser);
    this.el = h(
      'fieldset',
      { class: 'panel-builder', 'data-testid': 'panel-builder' },
      h('legend', {}, 'Panel and schedule'),
      h('p', { class: 'muted' }, `Names are comma-separated; a name in several rounds is one person in each. Start times are in your time zone (${timeZoneName()}).`),
      h('table', { class: 'builder-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Round'), h('th', {}, 'Include'), h('th', {}, 'Starts'), h('th', {}, 'Interviewers'))), this.table),
      h('button', { type: 'button', class: 'small', 'data-testid': 'fill-times', onclick: () => this.fillTimes() }, 'Fill later starts from the first one'),
      h('div', { class: 'grid3' },
        h('div', {}, h('label', { for: 'interviewer' }, 'Interviewers in every round'), this.everyRound),
        this.brBox,
        h('div', {}, h('label', { for: 'observers' }, 'Observers (read-only, every round)'), this.observers)),
    );
  }

  setTemplate(tpl: Template | undefined): void {
    this.template = tpl;
    this.rounds = [];
    this.brBox.hidden = !tpl?.rounds.some((r) => r.barRaiser);
    replace(
      this.table,
      (tpl?.rounds ?? []).map((r) => {
        const inputs: RoundInputs = {
          specId: r.id,
          optional: r.optional,
          minutes: r.durationMinutes,
          include: h('input', { type: 'checkbox', checked: true, disabled: !r.optional, 'aria-label': `Include ${r.title}`, 'data-testid': `include-${r.id}` }),
          start: h('input', { type: 'datetime-local', 'aria-label': `Start of ${r.title}`, 'data-testid': `start-${r.id}` }),
          interviewers: h('input', { type: 'text', maxlength: 1000, placeholder: r.barRaiser ? 'The Bar Raiser leads it' : 'Names', 'aria-label': `Interviewers of ${r.title}`, 'data-testid': `interviewers-${r.id}` }),
        };
        this.rounds.push(inputs);
        return h('tr', { 'data-testid': `builder-${r.id}` },
          h('td', {}, r.title, h('small', { class: 'muted' }, ` · ${r.durationMinutes} min${r.optional ? ' · optional' : ''}`)),
          h('td', {}, inputs.include), h('td', {}, inputs.start), h('td', {}, inputs.interviewers));
      }),
    );
  }

  /** How many rounds the loop will have with the current switches. */
  roundCount(): number {
    return this.rounds.filter((r) => r.include.checked).length;
  }

  /** Chains the included rounds' starts from the first one: duration plus the template's break. */
  private fillTimes(): void {
    const included = this.rounds.filter((r) => r.include.checked);
    const first = included[0];
    if (!first?.start.value) return;
    let at = Number(fromLocalInput(first.start.value));
    for (let i = 1; i < included.length; i++) {
      at += (included[i - 1]!.minutes + (this.template?.breakMinutes ?? 0)) * 60_000;
      included[i]!.start.value = toLocalInput(at);
    }
  }

  request(): { participants: Spec[]; optionalRoundIds: string[]; schedule: Start[] } {
    const included = this.rounds.filter((r) => r.include.checked);
    const byName = new Map<string, number[]>();
    included.forEach((r, index) => {
      for (const n of names(r.interviewers.value)) byName.set(n, [...(byName.get(n) ?? []), index]);
    });
    const participants: Spec[] = [];
    for (const n of names(this.everyRound.value)) if (!byName.has(n)) participants.push({ displayName: n, role: Role.INTERVIEWER });
    for (const [n, rounds] of byName) participants.push({ displayName: n, role: Role.INTERVIEWER, roundIndexes: names(this.everyRound.value).includes(n) ? [] : rounds });
    if (!this.brBox.hidden && this.barRaiser.value.trim()) participants.push({ displayName: this.barRaiser.value.trim(), role: Role.BAR_RAISER });
    for (const n of names(this.observers.value)) participants.push({ displayName: n, role: Role.OBSERVER });
    return {
      participants,
      optionalRoundIds: included.filter((r) => r.optional).map((r) => r.specId),
      schedule: included.filter((r) => r.start.value).map((r) => ({ specId: r.specId, startsAtMs: fromLocalInput(r.start.value) })),
    };
  }
}
