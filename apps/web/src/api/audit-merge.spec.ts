import { mergeAudit, type AuditFetch, type AuditRecord } from './audit-merge';

const rec = (id: string, at: string): AuditRecord => ({ id, at, actor: { sub: 'demo-admin', role: 'admin' }, type: 'period.closed', subject: {}, summary: {} });

describe('merging the services’ audit logs', () => {
  it('holds back records an unread page of another service could still precede', () => {
    const first: AuditFetch[] = [
      { service: 'commission', items: [rec('c1', '2026-12-07T10:00:00Z'), rec('c2', '2026-12-07T08:00:00Z')], nextCursor: 'c-next' },
      { service: 'sprint-planning', items: [rec('s1', '2026-12-07T09:00:00Z'), rec('s2', '2026-12-07T07:00:00Z')], nextCursor: null },
    ];
    const merged = mergeAudit([first]);
    // s2 (07:00) may be preceded by commission's unread records (all at or before 08:00), so it waits.
    expect(merged.rows.map((r) => r.id)).toEqual(['c1', 's1', 'c2']);
    expect(merged.next).toEqual({ commission: 'c-next' });

    const second: AuditFetch[] = [{ service: 'commission', items: [rec('c3', '2026-12-07T07:30:00Z')], nextCursor: null }];
    const all = mergeAudit([first, second]);
    expect(all.rows.map((r) => r.id)).toEqual(['c1', 's1', 'c2', 'c3', 's2']);
    expect(all.next).toBeUndefined();
    expect(all.rows.map((r) => r.service)).toEqual(['commission', 'sprint-planning', 'commission', 'commission', 'sprint-planning']);
  });

  it('reads next the service whose last record is newest, and names a service that failed', () => {
    const failure = new Error('503');
    const merged = mergeAudit([
      [
        { service: 'commission', items: [rec('c1', '2026-12-07T10:00:00Z')], nextCursor: 'c-next' },
        { service: 'kpi-aggregation', items: [rec('k1', '2026-12-07T11:00:00Z')], nextCursor: 'k-next' },
        { service: 'notifications', items: [], nextCursor: null, error: failure },
      ],
    ]);
    expect(merged.rows.map((r) => r.id)).toEqual(['k1']);
    expect(merged.next).toEqual({ 'kpi-aggregation': 'k-next' });
    expect(merged.failed).toEqual([{ service: 'notifications', error: failure }]);
  });
});
