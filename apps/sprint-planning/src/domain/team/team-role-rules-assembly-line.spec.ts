import { Team } from './team.aggregate';

// Scenario: an assembly line (SDR → AE → AM/CSM) with its manager; a second manager is refused.
describe('role rules of an assembly-line team', () => {
  it('accepts every stage role and exactly one MANAGER', () => {
    const t = new Team();
    t.create('line', 'Line', 'assembly_line');
    const from = '2026-01-01T00:00:00.000Z';
    for (const [repId, role] of [
      ['s', 'SDR'],
      ['a', 'AE'],
      ['m', 'AM'],
      ['c', 'CSM'],
      ['boss', 'MANAGER'],
    ] as const) {
      expect(t.putMember({ repId, name: repId, role, effectiveFrom: from })).toBe('joined');
    }
    expect(() =>
      t.putMember({ repId: 's', name: 's', role: 'MANAGER', effectiveFrom: '2026-06-01T00:00:00.000Z' }),
    ).toThrow(expect.objectContaining({ code: 'team-already-has-manager' }));
    // a role change keeps the member and opens a new dated segment
    expect(
      t.putMember({ repId: 's', name: 's', role: 'AE', effectiveFrom: '2026-06-01T00:00:00.000Z' }),
    ).toBe('changed');
    expect(t.segments.filter((x) => x.repId === 's')).toEqual([
      { repId: 's', name: 's', role: 'SDR', from, to: '2026-06-01T00:00:00.000Z' },
      { repId: 's', name: 's', role: 'AE', from: '2026-06-01T00:00:00.000Z' },
    ]);
  });

  it('treats an identical PUT as no change', () => {
    const t = new Team();
    t.create('line', 'Line', 'assembly_line');
    t.putMember({ repId: 's', name: 'S', role: 'SDR', effectiveFrom: '2026-01-01T00:00:00.000Z' });
    expect(
      t.putMember({ repId: 's', name: 'S', role: 'SDR', effectiveFrom: '2026-05-01T00:00:00.000Z' }),
    ).toBe('unchanged');
    expect(t.uncommittedEvents).toHaveLength(2);
  });
});
