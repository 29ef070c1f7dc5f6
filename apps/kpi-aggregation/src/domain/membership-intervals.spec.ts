import { changedRanges, intervalsOf, MembershipEvent, teamsAt } from './membership-intervals';

const ev = (eventId: string, member: boolean, atMs: number, recordedMs = 0): MembershipEvent => ({
  eventId,
  teamId: 't',
  repId: 'r',
  member,
  atMs,
  recordedMs,
});

describe('membership intervals from roster events', () => {
  it('replays joins, role changes and leaves by effective time whatever their arrival order, and reports what changed', () => {
    const events = [ev('j1', true, 10), ev('rc', true, 15), ev('l1', false, 20), ev('j2', true, 30)];
    const expected = [
      { teamId: 't', repId: 'r', fromMs: 10, toMs: 20 },
      { teamId: 't', repId: 'r', fromMs: 30, toMs: null },
    ];
    expect(intervalsOf(events)).toEqual(expected);
    expect(intervalsOf([...events].reverse())).toEqual(expected);
    // A leave before any join, and a join and leave at the same instant, leave nothing behind.
    expect(intervalsOf([ev('l', false, 5), ev('j', true, 7, 1), ev('l2', false, 7, 2)])).toEqual([]);

    expect(teamsAt(expected, 19)).toEqual(['t']);
    expect(teamsAt(expected, 20)).toEqual([]);
    // Leaving at 25 instead of 20 changes [20, 25); rejoining never changes [30, ∞) → everything after 25 too.
    expect(changedRanges(expected, [{ teamId: 't', repId: 'r', fromMs: 10, toMs: 25 }])).toEqual([
      { fromMs: 20, toMs: 25 },
      { fromMs: 30, toMs: null },
    ]);
    expect(changedRanges([], expected)).toEqual([
      { fromMs: 10, toMs: 20 },
      { fromMs: 30, toMs: null },
    ]);
  });
});
