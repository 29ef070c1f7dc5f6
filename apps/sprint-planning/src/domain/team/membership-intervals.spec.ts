import { resolveEffectiveInstant } from '../calendar/sprint-calendar';
import { membersAt, segmentsOverlapping } from './membership';
import { Team } from './team.aggregate';

// Scenario: Ana joins in January (a date, read in the tenant zone), leaves in May and rejoins in
// September; membership is a list of dated intervals [from, to).
describe('membership as dated intervals', () => {
  const zone = 'America/New_York';
  const at = (date: string) => resolveEffectiveInstant(date, zone, new Date('2026-11-27T12:00:00Z'));

  it('reads a date as local midnight in the tenant zone and nothing as now', () => {
    expect(at('2026-01-05')).toBe('2026-01-05T05:00:00.000Z');
    expect(at('2026-07-01')).toBe('2026-07-01T04:00:00.000Z');
    expect(resolveEffectiveInstant('2026-07-01T09:30:00+02:00', zone, new Date())).toBe(
      '2026-07-01T07:30:00.000Z',
    );
    expect(resolveEffectiveInstant(undefined, zone, new Date('2026-11-27T12:00:00Z'))).toBe(
      '2026-11-27T12:00:00.000Z',
    );
  });

  it('keeps join, leave and rejoin as separate intervals and refuses overlapping ones', () => {
    const t = new Team();
    t.create('t', 'T', 'island');
    t.putMember({ repId: 'ana', name: 'Ana', role: 'AE', effectiveFrom: at('2026-01-05') });
    expect(() => t.removeMember('ana', at('2026-01-01'))).toThrow(
      expect.objectContaining({ code: 'effective-date-before-membership' }),
    );
    t.removeMember('ana', at('2026-05-01'));
    expect(() => t.removeMember('ana', at('2026-06-01'))).toThrow(
      expect.objectContaining({ code: 'member-not-found', status: 404 }),
    );
    expect(() =>
      t.putMember({ repId: 'ana', name: 'Ana', role: 'AE', effectiveFrom: at('2026-04-01') }),
    ).toThrow(expect.objectContaining({ code: 'membership-overlap' }));
    expect(t.putMember({ repId: 'ana', name: 'Ana', role: 'AE', effectiveFrom: at('2026-09-01') })).toBe(
      'joined',
    );

    expect(t.segments).toEqual([
      {
        repId: 'ana',
        name: 'Ana',
        role: 'AE',
        from: '2026-01-05T05:00:00.000Z',
        to: '2026-05-01T04:00:00.000Z',
      },
      { repId: 'ana', name: 'Ana', role: 'AE', from: '2026-09-01T04:00:00.000Z' },
    ]);
    expect(membersAt(t.segments, '2026-06-15T12:00:00Z')).toEqual([]);
    expect(membersAt(t.segments, '2026-04-30T23:59:59-04:00')).toHaveLength(1);
    expect(membersAt(t.segments, '2026-05-01T00:00:00-04:00')).toHaveLength(0);
    expect(segmentsOverlapping(t.segments, '2026-04-27T00:00:00Z', '2026-05-04T00:00:00Z')).toHaveLength(1);
  });

  it('refuses a role change dated before the current interval starts', () => {
    const t = new Team();
    t.create('t', 'T', 'assembly_line');
    t.putMember({ repId: 'ana', name: 'Ana', role: 'SDR', effectiveFrom: at('2026-03-01') });
    expect(() =>
      t.putMember({ repId: 'ana', name: 'Ana', role: 'AE', effectiveFrom: at('2026-02-01') }),
    ).toThrow(expect.objectContaining({ code: 'effective-date-before-membership' }));
  });
});
