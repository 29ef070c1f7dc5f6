import { intervalsOf, roleIntervalsOf } from './membership';
import { rosterFact } from './membership.fixtures';

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const ev = (eventId: string, repId: string, member: boolean, atMs: number, recordedMs: number, role?: 'AE' | 'MANAGER') =>
  rosterFact(eventId, member, atMs, recordedMs, { repId, ...(role ? { role } : {}) });

// r joins as AE at 10, becomes MANAGER at 20 (recorded 3) and leaves at 20 (recorded 4): the leave
// wins the tie, so r is an AE over [10, 20) and nothing after. q joins at 20 and stays.
describe('membership intervals and the order facts arrive in', () => {
  const events = [
    ev('e1', 'r', true, 10, 1, 'AE'),
    ev('e3', 'r', true, 20, 3, 'MANAGER'),
    ev('e4', 'r', false, 20, 4),
    ev('e2', 'q', true, 20, 2, 'AE'),
  ];

  it('do not depend on each other: all 24 orders give one answer', () => {
    for (const order of permutations(events)) {
      expect(intervalsOf(order)).toEqual([
        { teamId: 't', repId: 'q', fromMs: 20, toMs: null },
        { teamId: 't', repId: 'r', fromMs: 10, toMs: 20 },
      ]);
      expect(roleIntervalsOf(order)).toEqual([
        { teamId: 't', repId: 'q', role: 'AE', fromMs: 20, toMs: null },
        { teamId: 't', repId: 'r', role: 'AE', fromMs: 10, toMs: 20 },
      ]);
    }
  });
});
