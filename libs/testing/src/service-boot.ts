import { ServiceDefinition } from '@pacer/platform';
import { RunningService, startTestService } from './service';

/**
 * The contract every service meets from its first day: it boots against real Kafka and Postgres,
 * migrates its own database, and serves health, metrics and its OpenAPI document.
 */
export function describeServiceBoot(definition: ServiceDefinition, expectedTables: string[]): void {
  describe(`${definition.service} boot`, () => {
    let svc: RunningService;
    beforeAll(async () => {
      svc = await startTestService(definition);
    });
    afterAll(() => svc?.close());

    it('is live and ready with Postgres and Kafka up', async () => {
      const live = await fetch(`${svc.baseUrl}/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${svc.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok', checks: { postgres: 'up', kafka: 'up' } });
    });

    it('ran its migrations (and only through migrations)', async () => {
      const rows = (await svc.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      )) as { table_name: string }[];
      const tables = rows.map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(['migrations', ...expectedTables]));
    });

    it('exposes Prometheus metrics and the OpenAPI document without a token', async () => {
      const metrics = await fetch(`${svc.baseUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('pacer_http_requests_total');
      const docs = await fetch(`${svc.baseUrl}/docs-json`);
      expect(docs.status).toBe(200);
      expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    });

    it('answers unknown routes with a problem document', async () => {
      const res = await fetch(`${svc.baseUrl}/v1/nothing-here`, { headers: { authorization: 'Bearer x' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });
  });
}
