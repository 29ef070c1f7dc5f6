import { Principal } from '@pacer/auth';
import { audienceOf, mayReceive, parseKpiRecord } from './kpi-visibility';

const at = (scope: string, scopeId: string, tenantId = 'demo') => ({ tenantId, scope, scopeId });

describe('who receives which KPI change on /api/live', () => {
  const rep: Principal = { subject: 's', tenantId: 'demo', roles: ['rep'], repId: 'h1', teamId: 'hunters' };
  const display: Principal = { subject: 'tv', tenantId: 'demo', roles: ['display'], teamId: 'hunters' };
  const manager: Principal = { subject: 'm', tenantId: 'demo', roles: ['manager'], repId: 'hm' };

  it('a rep: own rep scope, own teams and the org, nobody else', () => {
    const a = audienceOf(rep, { teamIds: ['second-team'] });
    expect(mayReceive(a, at('rep', 'h1'))).toBe(true);
    expect(mayReceive(a, at('rep', 'h2'))).toBe(false);
    expect(mayReceive(a, at('team', 'hunters'))).toBe(true);
    expect(mayReceive(a, at('team', 'second-team'))).toBe(true);
    expect(mayReceive(a, at('team', 'machine'))).toBe(false);
    expect(mayReceive(a, at('org', 'demo'))).toBe(true);
  });

  it('a display: its team and the team members, not the org or other teams', () => {
    const a = audienceOf(display, { memberRepIds: ['h1', 'h2'] });
    expect(mayReceive(a, at('team', 'hunters'))).toBe(true);
    expect(mayReceive(a, at('rep', 'h2'))).toBe(true);
    expect(mayReceive(a, at('rep', 's1'))).toBe(false);
    expect(mayReceive(a, at('team', 'machine'))).toBe(false);
    expect(mayReceive(a, at('org', 'demo'))).toBe(false);
  });

  it('a manager or admin: the whole tenant; never another tenant', () => {
    const a = audienceOf(manager);
    expect(mayReceive(a, at('rep', 's1'))).toBe(true);
    expect(mayReceive(a, at('org', 'demo'))).toBe(true);
    expect(mayReceive(a, at('rep', 's1', 'acme'))).toBe(false);
    expect(mayReceive(audienceOf(rep), at('rep', 'h1', 'acme'))).toBe(false);
  });

  it('ingest and operator tokens receive nothing', () => {
    expect(mayReceive(audienceOf({ subject: 'i', tenantId: 'demo', roles: ['ingest'] }), at('org', 'demo'))).toBe(false);
    expect(mayReceive(audienceOf({ subject: 'o', tenantId: '', roles: ['operator'] }), at('org', ''))).toBe(false);
  });

  it('reads a snapshot CloudEvent and ignores anything else', () => {
    const value = JSON.stringify({ type: 'pacer.kpi.snapshot.v1', tenantid: 'demo', data: { scope: 'rep', scopeId: 'h1', revision: 3 } });
    expect(parseKpiRecord('demo:rep:h1:day:2026-12-06', value)).toEqual({
      key: 'demo:rep:h1:day:2026-12-06',
      tenantId: 'demo',
      scope: 'rep',
      scopeId: 'h1',
      snapshot: { scope: 'rep', scopeId: 'h1', revision: 3 },
    });
    expect(parseKpiRecord('k', null)).toBeUndefined();
    expect(parseKpiRecord('k', 'not json')).toBeUndefined();
    expect(parseKpiRecord('k', JSON.stringify({ type: 'pacer.other.v1', tenantid: 'demo', data: {} }))).toBeUndefined();
  });
});
