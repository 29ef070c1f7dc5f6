import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PacerClient } from '@pacer/api-client';
import { TOPICS } from '@pacer/contracts';
import { pollUntil, testBrokers, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { PacerSystem } from '../src/pacer-system';

const FIXTURES = path.resolve(__dirname, '../../activity-ingestion/test/fixtures/crm/hubspot');
const SECRET = 'system-hubspot-client-secret-4c1d';

interface Snapshot {
  tenantid: string;
  data: { scope: string; scopeId: string; period: { type: string; key: string }; metrics: { dealsWon?: number; revenueWon?: string; pipelineCreated?: string } };
}

// HubSpot's v3 recipe written out here rather than imported from ingestion, so the test checks the
// service against the documented algorithm, not against itself.
function sign(url: string, body: string, timestamp: string): string {
  return createHmac('sha256', SECRET).update(`POST${url}${body}${timestamp}`).digest('base64');
}

// A HubSpot deal, from its signed webhooks to the rep's KPI snapshot, through the services run as
// separate processes in production mode (activity-ingestion → pacer.activities.v1 → kpi-aggregation
// → pacer.kpi.v1).
describe('a HubSpot deal won reaches the KPI snapshot', () => {
  let system: PacerSystem;
  let kpis: TopicRecorder;
  let admin: PacerClient;
  const tenant = uniqueName('crm-e2e');

  beforeAll(async () => {
    const serverUrl = process.env['PACER_TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
    system = await PacerSystem.start({ brokers: testBrokers(), databaseServerUrl: serverUrl });
    kpis = await new TopicRecorder(testKafka(), [system.topic(TOPICS.kpi)]).start();
    admin = await system.client(tenant, ['admin']);
  }, 300_000);

  afterAll(async () => {
    await kpis?.stop();
    await system?.stop();
  });

  async function post(file: string): Promise<{ status: number; body: unknown }> {
    const url = `${system.urls['activity-ingestion']}/v1/integrations/hubspot/${tenant}`;
    const body = readFileSync(path.join(FIXTURES, file), 'utf8');
    const timestamp = String(Date.now());
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hubspot-request-timestamp': timestamp, 'x-hubspot-signature-v3': sign(url, body, timestamp) },
      body,
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  it('records the deal from its property changes and counts its win and pipeline for the mapped rep', async () => {
    const configured = await admin.request('activity-ingestion', 'PUT', '/v1/integrations/hubspot', { secret: SECRET, accountIds: ['62515'], defaultCurrency: 'EUR' });
    expect(configured.status).toBe(200);
    const mapped = await admin.request('activity-ingestion', 'PUT', '/v1/integrations/hubspot/mappings', { users: [{ crmUserId: '31337', repId: 'rep-ada' }], stages: [] });
    expect(mapped.status).toBe(200);

    expect(await post('deal-created.json')).toMatchObject({ status: 200, body: { accepted: 2, exceptions: [] } });
    expect(await post('deal-won.json')).toMatchObject({ status: 200, body: { accepted: 1, exceptions: [] } });

    const repDay = (key: string) => (s: Snapshot) => s.tenantid === tenant && s.data.scope === 'rep' && s.data.scopeId === 'rep-ada' && s.data.period.type === 'day' && s.data.period.key === key;
    const latest = (key: string): Snapshot | undefined => kpis.json<Snapshot>().filter(repDay(key)).at(-1);
    const won = await pollUntil(() => latest('2026-12-02'), (s) => (s?.data.metrics.dealsWon ?? 0) >= 1, { timeoutMs: 60_000, what: "rep-ada's snapshot of 2026-12-02 counting the win" });
    expect(won?.data.metrics).toMatchObject({ dealsWon: 1, revenueWon: '48000.00' });
    const created = await pollUntil(() => latest('2026-11-26'), (s) => s?.data.metrics.pipelineCreated === '48000.00', { timeoutMs: 60_000, what: "rep-ada's snapshot of 2026-11-26 with the pipeline created" });
    expect(created?.data.metrics.pipelineCreated).toBe('48000.00');
  });
});
