import {
  AUDIT_TYPE_PATTERN,
  decodeAuditCursor,
  encodeAuditCursor,
  recordAudit,
  SqlExecutor,
} from './audit-log';

describe('audit log', () => {
  it('round-trips a cursor and refuses anything it did not make', () => {
    const position = { at: '2026-12-07T01:02:03.456789Z', seq: '42' };
    expect(decodeAuditCursor(encodeAuditCursor(position))).toEqual(position);
    const forged = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'nope',
      forged(['a1', '2026-12-07', '1']),
      forged(['a1', position.at, '0']),
      forged(['a1', position.at, '1; DROP TABLE']),
      forged(['v1', position.at, '1']),
      forged({ at: position.at }),
    ]) {
      expect(decodeAuditCursor(cursor)).toBeUndefined();
    }
  });

  it('takes resource.verb types only', () => {
    for (const ok of ['team.created', 'sprint.commitment_set', 'read_models.rebuilt', 'period.payout.done']) {
      expect(AUDIT_TYPE_PATTERN.test(ok)).toBe(true);
    }
    for (const bad of ['team', 'Team.created', 'team.', '.created', 'team created', 'team.created;']) {
      expect(AUDIT_TYPE_PATTERN.test(bad)).toBe(false);
    }
  });

  it('writes all entries of a command in one statement, bound as parameters', async () => {
    const calls: { sql: string; params: unknown[] }[] = [];
    const db: SqlExecutor = {
      query: async (sql, params = []) => {
        calls.push({ sql, params });
        return [];
      },
    };
    const at = new Date('2026-12-07T00:00:00Z');
    const actor = { tenantId: 't1', sub: 'u1', role: 'admin' as const };
    await recordAudit(
      db,
      actor,
      { type: 'team.created', subject: { teamId: 'x' }, at },
      { type: 'team.renamed', at },
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.params).toEqual([
      't1',
      'u1',
      'admin',
      'team.created',
      '{"teamId":"x"}',
      '{}',
      at.toISOString(),
      't1',
      'u1',
      'admin',
      'team.renamed',
      '{}',
      '{}',
      at.toISOString(),
    ]);
    await recordAudit(db, actor);
    expect(calls).toHaveLength(1);
    await expect(recordAudit(db, actor, { type: 'Bad type' })).rejects.toThrow(/resource.verb/);
  });
});
