import { intervalsOf } from './membership';
import { rosterFact as ev } from './membership.fixtures';

// A join at 10, then a leave and a join both at 20 and both recorded at 5: the event id decides,
// "a-leave" < "b-join", so the rep leaves and is back at 20 (a member throughout). With the ids the
// other way round the join comes first and the leave ends the membership at 20.
describe('two roster facts recorded in the same millisecond', () => {
  it('are ordered by event id', () => {
    expect(intervalsOf([ev('b-join', true, 20, 5), ev('a-leave', false, 20, 5), ev('j0', true, 10, 1)])).toEqual([
      { teamId: 't', repId: 'r', fromMs: 10, toMs: null },
    ]);
    expect(intervalsOf([ev('a-join', true, 20, 5), ev('b-leave', false, 20, 5), ev('j0', true, 10, 1)])).toEqual([
      { teamId: 't', repId: 'r', fromMs: 10, toMs: 20 },
    ]);
  });
});
