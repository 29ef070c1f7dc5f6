import { Team } from './team.aggregate';

// Scenario: an island team of full-cycle AEs with one manager; a manager hand-over at month end.
describe('role rules of an island team', () => {
  function island(): Team {
    const t = new Team();
    t.create('north', 'North', 'island');
    return t;
  }
  const jan = '2026-01-01T00:00:00.000Z';

  it('accepts AEs and one MANAGER', () => {
    const t = island();
    expect(t.putMember({ repId: 'ana', name: 'Ana', role: 'AE', effectiveFrom: jan })).toBe('joined');
    expect(t.putMember({ repId: 'max', name: 'Max', role: 'MANAGER', effectiveFrom: jan })).toBe('joined');
  });

  it('rejects stage roles: island reps work the full cycle', () => {
    const t = island();
    for (const role of ['SDR', 'AM', 'CSM'] as const) {
      expect(() => t.putMember({ repId: 'x', name: 'X', role, effectiveFrom: jan })).toThrow(
        expect.objectContaining({ code: 'role-not-allowed', status: 422 }),
      );
    }
  });

  it('rejects a second manager while the first is in office, and allows a hand-over', () => {
    const t = island();
    t.putMember({ repId: 'max', name: 'Max', role: 'MANAGER', effectiveFrom: jan });
    expect(() =>
      t.putMember({ repId: 'eve', name: 'Eve', role: 'MANAGER', effectiveFrom: '2026-02-01T00:00:00.000Z' }),
    ).toThrow(
      expect.objectContaining({ code: 'team-already-has-manager', extensions: { managerRepId: 'max' } }),
    );
    t.removeMember('max', '2026-02-01T00:00:00.000Z');
    expect(
      t.putMember({ repId: 'eve', name: 'Eve', role: 'MANAGER', effectiveFrom: '2026-02-01T00:00:00.000Z' }),
    ).toBe('joined');
    // a manager who moves back to selling frees the role from that moment
    t.putMember({ repId: 'eve', name: 'Eve', role: 'AE', effectiveFrom: '2026-03-01T00:00:00.000Z' });
    expect(
      t.putMember({ repId: 'ana', name: 'Ana', role: 'MANAGER', effectiveFrom: '2026-03-01T00:00:00.000Z' }),
    ).toBe('joined');
  });
});
