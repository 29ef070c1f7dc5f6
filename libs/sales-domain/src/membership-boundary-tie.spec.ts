import { intervalsOf, roleIntervalsOf, teamsAt } from './membership';
import { rosterFact } from './membership.fixtures';

const at = (iso: string) => Date.parse(iso);
const ev = (eventId: string, member: boolean, when: string, recorded: string) =>
  rosterFact(eventId, member, at(when), at(recorded), { teamId: 'north', repId: 'ana', ...(member ? { role: 'AE' } : {}) });

// ana joined north at 09:00. At 10:00 the roster recorded her leaving at 12:00, at 11:00 it recorded
// her rejoining at 12:00: in recording order she leaves, then is back, so she is in north at 12:00.
// Commission used to break the tie by its arrival `seq`: had the rejoin arrived first (a redelivery),
// it replayed rejoin-then-leave and dropped her from 12:00 on, while KPI (by recordedtime) kept her.
// Now both replay effective instant, recordedtime, event id.
describe('two roster facts at one boundary instant', () => {
  const join = ev('e-join', true, '2026-03-02T09:00:00Z', '2026-03-02T08:00:00Z');
  const leave = ev('e-leave', false, '2026-03-02T12:00:00Z', '2026-03-02T10:00:00Z');
  const rejoin = ev('e-rejoin', true, '2026-03-02T12:00:00Z', '2026-03-02T11:00:00Z');
  const arrivedRejoinFirst = [join, rejoin, leave];

  it('are taken in recordedtime order, so the rep is still a member at the instant', () => {
    expect(intervalsOf(arrivedRejoinFirst)).toEqual([
      { teamId: 'north', repId: 'ana', fromMs: at('2026-03-02T09:00:00Z'), toMs: null },
    ]);
    expect(teamsAt(intervalsOf(arrivedRejoinFirst), at('2026-03-02T12:00:00Z'))).toEqual(['north']);
    expect(roleIntervalsOf(arrivedRejoinFirst)).toEqual([
      { teamId: 'north', repId: 'ana', role: 'AE', fromMs: at('2026-03-02T09:00:00Z'), toMs: at('2026-03-02T12:00:00Z') },
      { teamId: 'north', repId: 'ana', role: 'AE', fromMs: at('2026-03-02T12:00:00Z'), toMs: null },
    ]);
  });
});
