import { RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { PROJECTION_TABLES } from '../src/projections/sprint-planning.projection';
import { Call, client, dateFromToday, team } from './support/sprint-planning.harness';

// POST /v1/admin/rebuild rebuilds the caller's tenant only, locking only that tenant's streams; an
// operator rebuilds every tenant with scope=all; a rebuild finishes or fails with a reason.
describe('sprint-planning rebuilds per tenant', () => {
  let svc: RunningService;
  const tenantA = uniqueName('sp-rebuild-a');
  const tenantB = uniqueName('sp-rebuild-b');
  let adminA: Call;
  let adminB: Call;
  let operator: Call;

  const rowsOf = async (tenantId: string): Promise<Record<string, unknown[]>> => {
    const out: Record<string, unknown[]> = {};
    for (const table of PROJECTION_TABLES) {
      out[table] = await svc.dataSource.query(
        `SELECT row_to_json(t)::text AS row FROM ${table} t WHERE tenant_id = $1 ORDER BY 1`,
        [tenantId],
      );
    }
    return out;
  };

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    adminA = await client(svc, tenantA, ['admin']);
    adminB = await client(svc, tenantB, ['admin']);
    operator = await client(svc, '', ['operator']);
    for (const admin of [adminA, adminB]) {
      await admin('PUT', '/v1/settings', { timezone: 'America/New_York', weekStartsOn: 7 });
      await team(admin, 'east', 'island', { ae: 'AE', boss: 'MANAGER' });
      await admin('POST', '/v1/teams/east/sprints', {
        sprintId: 's1',
        startDate: dateFromToday(-3),
        lengthDays: 7,
      });
      await admin('PUT', '/v1/sprints/s1/commitments/ae', {
        targets: { calls: 20 },
        items: [{ itemId: 'i1', title: 'Demo' }],
      });
      await admin('POST', '/v1/sprints/s1/start');
    }
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('takes {} or no body, names any property, and keeps scope=all for operators', async () => {
    const bad = await adminA('POST', '/v1/admin/rebuild', { tenant: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['tenant']);
    const badScope = await adminA('POST', '/v1/admin/rebuild?scope=some');
    expect([badScope.status, badScope.body.errors?.[0]?.path]).toEqual([400, 'scope']);
    expect((await adminA('POST', '/v1/admin/rebuild?scope=all')).status).toBe(403);
    const noTenant = await operator('POST', '/v1/admin/rebuild');
    expect([noTenant.status, noTenant.body.errors?.[0]?.path]).toEqual([400, 'scope']);
    expect(
      (await (await client(svc, tenantA, ['manager'], 'boss'))('POST', '/v1/admin/rebuild')).status,
    ).toBe(403);

    const before = await rowsOf(tenantA);
    const empty = await adminA('POST', '/v1/admin/rebuild', {});
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ scope: tenantA, status: 'completed', tenants: 1 });
    const none = await adminA('POST', '/v1/admin/rebuild');
    expect(none.status).toBe(200);
    expect(none.body.events).toBeGreaterThan(5);
    expect(await rowsOf(tenantA)).toEqual(before);
  });

  it("never waits for another tenant: B writes while A's rebuild waits for A's own in-flight command", async () => {
    const beforeA = await rowsOf(tenantA);
    // An A command in flight: it holds the head of one of A's streams (as a command does until it commits).
    const held = svc.dataSource.createQueryRunner();
    await held.connect();
    await held.startTransaction();
    await held.query(`SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE`, [
      `team/${encodeURIComponent(tenantA)}/east`,
    ]);
    let rebuildDone = false;
    const rebuild = adminA('POST', '/v1/admin/rebuild').then((r) => {
      rebuildDone = true;
      return r;
    });
    try {
      await new Promise((r) => setTimeout(r, 300)); // the rebuild reaches the lock and waits on it
      const t0 = Date.now();
      const write = await adminB('PATCH', '/v1/teams/east', { name: 'East (B)' });
      const bMs = Date.now() - t0;
      process.stdout.write(
        `[rebuild figures] tenant B write took ${bMs} ms while tenant A's rebuild waited for A's own stream\n`,
      );
      expect(write.status).toBe(200);
      expect(rebuildDone).toBe(false);
      expect(bMs).toBeLessThan(2_000);
    } finally {
      await held.commitTransaction();
      await held.release();
    }
    const done = await rebuild;
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ scope: tenantA, status: 'completed' });
    expect(await rowsOf(tenantA)).toEqual(beforeA);
    expect((await adminB('GET', '/v1/teams/east')).body.name).toBe('East (B)');
  });

  it('fails with the reason, leaving the read models as they were', async () => {
    const before = await rowsOf(tenantA);
    await svc.dataSource.query(`CREATE FUNCTION sp_injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.tenant_id = '${tenantA}' THEN RAISE EXCEPTION 'injected fault for %', NEW.tenant_id; END IF; RETURN NEW; END $$`);
    await svc.dataSource.query(
      `CREATE TRIGGER sp_injected_fault BEFORE INSERT ON teams FOR EACH ROW EXECUTE FUNCTION sp_injected_fault()`,
    );
    try {
      const failed = await adminA('POST', '/v1/admin/rebuild');
      expect(failed.status).toBe(500);
      expect(failed.body).toMatchObject({
        type: 'urn:pacer:problem:rebuild-failed',
        failures: [{ tenantId: tenantA }],
      });
      expect(failed.body.failures[0].reason).toMatch(/injected fault/);
      expect(await rowsOf(tenantA)).toEqual(before);
      // scope=all goes on past the failing tenant and names it.
      const all = await operator('POST', '/v1/admin/rebuild?scope=all');
      expect(all.status).toBe(500);
      expect(all.body.failures.map((f: { tenantId: string }) => f.tenantId)).toEqual([tenantA]);
      expect(all.body.rebuiltTenants).toBeGreaterThanOrEqual(1);
    } finally {
      await svc.dataSource.query(`DROP TRIGGER sp_injected_fault ON teams`);
      await svc.dataSource.query(`DROP FUNCTION sp_injected_fault()`);
    }
  });

  it('rebuilds every tenant for an operator with scope=all', async () => {
    const before = { a: await rowsOf(tenantA), b: await rowsOf(tenantB) };
    const all = await operator('POST', '/v1/admin/rebuild?scope=all');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ scope: '*', status: 'completed' });
    expect(all.body.tenants).toBeGreaterThanOrEqual(2);
    expect({ a: await rowsOf(tenantA), b: await rowsOf(tenantB) }).toEqual(before);
  });
});
