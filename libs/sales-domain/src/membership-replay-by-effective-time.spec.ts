import { intervalsOf } from './membership';
import { rosterFact as ev } from './membership.fixtures';

// Join at 10, role change at 15 (still a member), leave at 20, rejoin at 30: [10, 20) and [30, ∞).
describe('membership intervals replay roster facts by effective instant', () => {
  const events = [ev('j1', true, 10), ev('rc', true, 15), ev('l1', false, 20), ev('j2', true, 30)];
  const expected = [
    { teamId: 't', repId: 'r', fromMs: 10, toMs: 20 },
    { teamId: 't', repId: 'r', fromMs: 30, toMs: null },
  ];

  it('whatever order the facts arrived in', () => {
    expect(intervalsOf(events)).toEqual(expected);
    expect(intervalsOf([...events].reverse())).toEqual(expected);
  });
});
