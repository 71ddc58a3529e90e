// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { Rating, RubricSchema } from '../src/gen/content_pb';
import { ScorecardViewSchema } from '../src/gen/loop_pb';
import { ColleagueScorecards, disagreement } from '../src/pages/scorecards';

describe('colleague scorecards', () => {
  it('tells differing ratings from a hire / no-hire split', () => {
    expect(disagreement([Rating.HIRE, Rating.HIRE, Rating.UNSPECIFIED])).toBe('none');
    expect(disagreement([Rating.HIRE, Rating.STRONG_HIRE])).toBe('differ');
    expect(disagreement([Rating.NO_HIRE, Rating.HIRE])).toBe('split');
  });

  it('renders nothing of others while the server hides them, side by side once shown', () => {
    const rubric = create(RubricSchema, { competencies: [{ id: 'design', name: 'Design' }] });
    const v = new ColleagueScorecards();
    v.show(create(ScorecardViewSchema, { othersHidden: true }), rubric);
    expect(v.el.dataset.state).toBe('hidden');
    v.show(
      create(ScorecardViewSchema, {
        mine: { authorName: 'Me', content: { competencies: [{ competencyId: 'design', rating: Rating.HIRE, evidence: 'mine' }], overall: Rating.HIRE } },
        others: [{ authorName: 'Kai', content: { competencies: [{ competencyId: 'design', rating: Rating.NO_HIRE, evidence: 'theirs' }], overall: Rating.HIRE } }],
      }),
      rubric,
    );
    expect(v.el.dataset.state).toBe('shown');
    expect(v.el.querySelector('[data-testid="compare-design"]')!.getAttribute('data-disagreement')).toBe('split');
    expect(v.el.querySelector('[data-testid="compare-overall"]')!.getAttribute('data-disagreement')).toBe('none');
    expect(v.el.textContent).toContain('theirs');
  });
});
