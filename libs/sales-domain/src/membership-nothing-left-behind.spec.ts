import { intervalsOf, roleIntervalsOf } from './membership';
import { rosterFact } from './membership.fixtures';

const ev = (eventId: string, member: boolean, atMs: number, recordedMs: number) =>
  rosterFact(eventId, member, atMs, recordedMs, member ? { role: 'AE' } : {});

// A leave at 5 before any join ends nothing; a join at 7 (recorded 1) and a leave at 7 (recorded 2)
// make a zero-length membership, which is dropped.
describe('membership intervals without a length', () => {
  it('leave nothing behind', () => {
    const events = [ev('l', false, 5, 0), ev('j', true, 7, 1), ev('l2', false, 7, 2)];
    expect(intervalsOf(events)).toEqual([]);
    expect(roleIntervalsOf(events)).toEqual([]);
  });
});
