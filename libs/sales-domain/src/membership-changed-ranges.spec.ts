import { changedRanges, MembershipInterval, teamsAt } from './membership';

const span = (fromMs: number, toMs: number | null): MembershipInterval => ({ teamId: 't', repId: 'r', fromMs, toMs });

// The rep was in t over [10, 20) and [30, ∞).
describe('what a roster change re-attributes', () => {
  const before = [span(10, 20), span(30, null)];

  it('membership at an instant: the start belongs to the interval, the end does not', () => {
    expect(teamsAt(before, 19)).toEqual(['t']);
    expect(teamsAt(before, 20)).toEqual([]);
  });

  it('leaving at 25 instead of 20 changes [20, 25); never rejoining changes [30, ∞)', () => {
    expect(changedRanges(before, [span(10, 25)])).toEqual([
      { fromMs: 20, toMs: 25 },
      { fromMs: 30, toMs: null },
    ]);
  });

  it('from nothing, everything the intervals cover', () => {
    expect(changedRanges([], before)).toEqual([
      { fromMs: 10, toMs: 20 },
      { fromMs: 30, toMs: null },
    ]);
  });
});
