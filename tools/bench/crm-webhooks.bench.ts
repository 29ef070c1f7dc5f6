// CRM webhook figures (issue 18): activity-ingestion and kpi-aggregation run in this process (as the
// integration tests boot them) on fresh databases and private copies of the topics; this process
// signs and posts the webhooks the way HubSpot does (X-HubSpot-Signature-v3 over method, URL, body
// and timestamp) and watches pacer.kpi.v1.
//  - hubspotCallsPerSec: signed workflow "Send a webhook" payloads (one call each) posted by
//    BENCH_CRM_CONCURRENCY clients until the last is answered: verified, mapped, validated, written
//    (event, outbox, audit) and committed;
//  - hubspotDealDeliveriesPerSec: the same for v3 subscription deliveries of 7 deal events (creation,
//    owner, amount, currency, stage, close date, probability), each locking and updating its deal's
//    state and recording opportunity_created and a stage change;
//  - apiCallsPerSec: the baseline in the same run: the same calls as single POST /v1/activities with a
//    bearer token, same concurrency (the webhook adds the secret lookup and HMAC, the mapping and the
//    exception bookkeeping to the same write);
//  - webhookToSnapshotP50Ms / P99Ms: one deal at a time, from just before the signed "dealstage →
//    closedwon" delivery is posted to the moment the rep's day snapshot on pacer.kpi.v1 counts the win.
// Env: BENCH_CRM_CALLS (default 2000), BENCH_CRM_DEALS (500), BENCH_CRM_LATENCY_SAMPLES (50),
// BENCH_CRM_CONCURRENCY (16).
import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { mintToken } from '@pacer/auth';
import { kpiKey, TOPICS } from '@pacer/contracts';
import { createTopicNamespace, deleteTopicNamespace, startTestService, TEST_JWT_SECRET, testBrokers, uniqueName } from '@pacer/testing';
import { ActivityIngestionService } from '../../apps/activity-ingestion/src/app.module';
import { hubspotSignatureV3 } from '../../apps/activity-ingestion/src/integrations/webhook-auth';
import { KpiAggregationService } from '../../apps/kpi-aggregation/src/app.module';
import { runStandalone } from './standalone';

const CALLS = Number(process.env['BENCH_CRM_CALLS'] ?? 2000);
const DEALS = Number(process.env['BENCH_CRM_DEALS'] ?? 500);
const SAMPLES = Number(process.env['BENCH_CRM_LATENCY_SAMPLES'] ?? 50);
const CONCURRENCY = Number(process.env['BENCH_CRM_CONCURRENCY'] ?? 16);
const SECRET = 'bench-hubspot-client-secret-0123456789';
const PORTAL = '62515';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function post(baseUrl: string, path: string, body: string): Promise<number> {
  const timestamp = String(Date.now());
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': timestamp,
      'x-hubspot-signature-v3': hubspotSignatureV3(SECRET, 'POST', baseUrl + path, Buffer.from(body), timestamp),
    },
    body,
  });
  await res.text();
  if (res.status !== 200) throw new Error(`bench: ${path} answered ${res.status}`);
  return res.status;
}

async function inParallel(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return Date.now() - started;
}

function call(i: number, at: number): string {
  return JSON.stringify({
    objectId: 50_000_000 + i,
    objectType: 'CALL',
    portalId: Number(PORTAL),
    properties: {
      hs_timestamp: new Date(at).toISOString(),
      hubspot_owner_id: `owner-${i % 50}`,
      hs_call_status: 'COMPLETED',
      hs_call_duration: '95000',
      hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
    },
  });
}

function dealEvents(dealId: number, owner: string, at: number, won?: number): string {
  let eventId = dealId * 10;
  const event = (occurredAt: number, propertyName?: string, propertyValue?: string) => ({
    eventId: eventId++,
    subscriptionId: 1,
    portalId: Number(PORTAL),
    appId: 2,
    occurredAt,
    subscriptionType: propertyName ? 'deal.propertyChange' : 'deal.creation',
    attemptNumber: 0,
    objectId: dealId,
    ...(propertyName ? { propertyName, propertyValue } : {}),
  });
  const events = [
    event(at),
    event(at, 'hubspot_owner_id', owner),
    event(at, 'amount', '12500'),
    event(at, 'deal_currency_code', 'USD'),
    event(at, 'dealstage', 'qualifiedtobuy'),
    event(at, 'closedate', String(Date.UTC(2027, 0, 31))),
    event(at, 'hs_deal_stage_probability', '0.4'),
  ];
  return JSON.stringify(won === undefined ? events : [event(won, 'dealstage', 'closedwon')]);
}

export async function benchCrmWebhooks(): Promise<Record<string, number | string>> {
  process.env['TEST_LOG_LEVEL'] ??= 'silent';
  const prefix = await createTopicNamespace('bench-crm');
  const ingestion = await startTestService(ActivityIngestionService, { PACER_TOPIC_PREFIX: prefix });
  const kpi = await startTestService(KpiAggregationService, { PACER_TOPIC_PREFIX: prefix });
  const kafka = new Kafka({ clientId: 'bench-crm', brokers: testBrokers(), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('bench-crm-kpi'), maxWaitTimeInMs: 10 });
  const wins = new Map<string, number>();
  try {
    const tenant = uniqueName('bench-crm');
    const token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
    const put = async (path: string, body: unknown): Promise<void> => {
      const res = await fetch(ingestion.baseUrl + path, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) throw new Error(`bench: PUT ${path} → ${res.status} ${await res.text()}`);
    };
    await put('/v1/integrations/hubspot', { secret: SECRET, accountIds: [PORTAL], defaultCurrency: 'USD' });
    await put('/v1/integrations/hubspot/mappings', {
      users: [
        ...Array.from({ length: 50 }, (_, i) => ({ crmUserId: `owner-${i}`, repId: `rep-${i}` })),
        ...Array.from({ length: SAMPLES }, (_, i) => ({ crmUserId: `lat-${i}`, repId: `rep-lat-${i}` })),
      ],
      stages: [],
    });
    const path = `/v1/integrations/hubspot/${tenant}`;
    const now = Date.now() - 3_600_000;

    const ingestToken = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['ingest'] });
    const apiCall = async (i: number): Promise<void> => {
      const res = await fetch(`${ingestion.baseUrl}/v1/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          activityId: `api-call-${i}`,
          kind: 'call_logged',
          repId: `rep-${i % 50}`,
          occurredAt: new Date(now).toISOString(),
          outcome: 'connected',
          durationSec: 95,
        }),
      });
      await res.text();
      if (res.status !== 202) throw new Error(`bench: POST /v1/activities → ${res.status}`);
    };
    // Warm both paths up (JIT, pools, prepared plans) before either is timed, then time them in turn.
    await inParallel(200, CONCURRENCY, (i) => post(ingestion.baseUrl, path, call(CALLS + i, now)));
    await inParallel(200, CONCURRENCY, (i) => apiCall(CALLS + i));
    const apiMs = await inParallel(CALLS, CONCURRENCY, apiCall);
    const callsMs = await inParallel(CALLS, CONCURRENCY, (i) => post(ingestion.baseUrl, path, call(i, now)));
    const dealsMs = await inParallel(DEALS, CONCURRENCY, (i) => post(ingestion.baseUrl, path, dealEvents(70_000_000 + i, `owner-${i % 50}`, now)));

    await consumer.connect();
    await consumer.subscribe({ topic: kpi.topic(TOPICS.kpi), fromBeginning: true });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.key || !message.value) return;
        const metrics = (JSON.parse(message.value.toString()) as { data: { metrics: { dealsWon?: number } } }).data.metrics;
        const key = message.key.toString();
        if ((metrics.dealsWon ?? 0) > 0 && !wins.has(key)) wins.set(key, Date.now());
      },
    });
    await joined;

    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const dealId = 90_000_000 + i;
      const created = Date.now() - 3_600_000;
      await post(ingestion.baseUrl, path, dealEvents(dealId, `lat-${i}`, created));
      const wonAt = created + 60_000;
      const key = kpiKey(tenant, 'rep', `rep-lat-${i}`, 'day', new Date(wonAt).toISOString().slice(0, 10));
      const sent = Date.now();
      await post(ingestion.baseUrl, path, dealEvents(dealId, `lat-${i}`, created, wonAt));
      const deadline = sent + 30_000;
      while (!wins.has(key)) {
        if (Date.now() > deadline) throw new Error(`bench: no KPI snapshot counted the win of ${key}`);
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push((wins.get(key) as number) - sent);
    }
    latencies.sort((a, b) => a - b);
    return {
      hubspotCallsPerSec: Math.round((CALLS / callsMs) * 1000),
      apiCallsPerSec: Math.round((CALLS / apiMs) * 1000),
      hubspotDealDeliveriesPerSec: Math.round((DEALS / dealsMs) * 1000),
      crmConcurrency: CONCURRENCY,
      webhookToSnapshotP50Ms: percentile(latencies, 50),
      webhookToSnapshotP99Ms: percentile(latencies, 99),
      webhookToSnapshotSamples: latencies.length,
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await kpi.close();
    await ingestion.close();
    await deleteTopicNamespace(prefix);
  }
}

if (require.main === module) {
  runStandalone('crm-webhooks', benchCrmWebhooks);
}
