import { Kafka, Producer } from 'kafkajs';
import { Decimal } from 'decimal.js';
import { DataSource } from 'typeorm';
import { eventKey, isCommissionDelta, makeEvent, newEventId, PacerEvent, TOPICS } from '@pacer/contracts';
import { mintToken, Role } from '@pacer/auth';
import {
  pollUntil,
  ReadRecord,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  TopicRecorder,
} from '@pacer/testing';
import { CommissionService } from '../src/app.module';

export const PLAN_BODY = {
  name: 'AE 2026',
  currency: 'USD',
  period: 'quarter',
  tiers: [
    { from: '0', rate: '0.05' },
    { from: '1.00', rate: '0.08' },
    { from: '1.50', rate: '0.10' },
  ],
  tierMode: 'graduated',
  cap: null,
  spiffs: [{ id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' }],
  clawbackDays: 90,
  effectiveFrom: '2026-01-01',
};

export function token(tenantId: string, roles: Role[], repId?: string): Promise<string> {
  return mintToken({ secret: TEST_JWT_SECRET, tenantId, roles, ...(repId ? { repId } : {}) });
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  contentType: string | null;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  bearer?: string,
  body?: unknown,
): Promise<HttpResult<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    contentType: res.headers.get('content-type'),
  };
}

export function dealWon(
  tenantId: string,
  d: {
    repId: string;
    dealId: string;
    amount: string;
    occurredAt: string;
    currency?: string;
    credits?: { repId: string; share: string }[];
    activityId?: string;
  },
): PacerEvent {
  const activityId = d.activityId ?? `won-${d.dealId}`;
  return makeEvent('pacer.activity.deal_won.v1', {
    id: newEventId(),
    tenantId,
    time: d.occurredAt,
    data: {
      activityId,
      kind: 'deal_won',
      repId: d.repId,
      occurredAt: d.occurredAt,
      dealId: d.dealId,
      opportunityId: `opp-${d.dealId}`,
      amount: d.amount,
      currency: d.currency ?? 'USD',
      ...(d.credits ? { credits: d.credits } : {}),
    },
  }) as PacerEvent;
}

export function dealCancelled(
  tenantId: string,
  d: { repId: string; dealId: string; occurredAt: string },
): PacerEvent {
  return makeEvent('pacer.activity.deal_cancelled.v1', {
    id: newEventId(),
    tenantId,
    time: d.occurredAt,
    data: {
      activityId: `cancel-${d.dealId}`,
      kind: 'deal_cancelled',
      repId: d.repId,
      occurredAt: d.occurredAt,
      dealId: d.dealId,
    },
  }) as PacerEvent;
}

export function voided(tenantId: string, original: PacerEvent): PacerEvent {
  const activity = original.data as {
    activityId: string;
    repId: string;
    kind: 'deal_won';
    occurredAt: string;
  };
  return makeEvent('pacer.activity.voided.v1', {
    id: newEventId(),
    tenantId,
    time: new Date().toISOString(),
    data: {
      activityId: activity.activityId,
      repId: activity.repId,
      reason: 'recorded by mistake',
      voidedKind: activity.kind,
      voidedOccurredAt: activity.occurredAt,
      voidedActivity: original.data as never,
    },
  }) as PacerEvent;
}

export function memberJoined(
  tenantId: string,
  m: { teamId: string; repId: string; role: 'AE' | 'MANAGER'; effectiveFrom: string },
): PacerEvent {
  return makeEvent('pacer.roster.member_joined.v1', {
    id: newEventId(),
    tenantId,
    time: m.effectiveFrom,
    data: { teamId: m.teamId, repId: m.repId, name: m.repId, role: m.role, effectiveFrom: m.effectiveFrom },
  }) as PacerEvent;
}

export function settingsUpdated(
  tenantId: string,
  s: { timezone: string; weekStartsOn: number; fiscalYearStartMonth: number; dealsRequireApproval?: boolean },
  time: string = new Date().toISOString(),
): PacerEvent {
  return makeEvent('pacer.roster.settings_updated.v1', {
    id: newEventId(),
    tenantId,
    time,
    data: s as never,
  }) as PacerEvent;
}

export async function produce(
  producer: Producer,
  topic: string,
  events: readonly PacerEvent[],
): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((e) => ({ key: eventKey(e), value: JSON.stringify(e) })),
  });
}

/** Waits until the service's consumer has stored offsets at the end of every partition of the topics. */
export async function waitConsumed(
  kafka: Kafka,
  dataSource: DataSource,
  groupId: string,
  topics: string[],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, string>();
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, p.high);
    }
    await pollUntil(
      async () => {
        const rows = (await dataSource.query(
          `SELECT topic, partition, next_offset::text AS o FROM consumer_offsets WHERE group_id = $1`,
          [groupId],
        )) as { topic: string; partition: number; o: string }[];
        const stored = new Map(rows.map((r) => [`${r.topic}:${r.partition}`, r.o]));
        return [...ends].every(([k, high]) => high === '0' || BigInt(stored.get(k) ?? '0') >= BigInt(high));
      },
      (done) => done,
      { timeoutMs: 60_000, what: 'the consumer to reach the end of its topics' },
    );
  } finally {
    await admin.disconnect();
  }
}

interface DeltaEvent {
  id: string;
  type: string;
  tenantid: string;
  data: { repId: string; periodKey: string; lineId: string; amount: string };
}

export function deltas(records: readonly ReadRecord[], tenantId: string): DeltaEvent[] {
  const seen = new Set<string>();
  const out: DeltaEvent[] = [];
  for (const r of records) {
    if (!r.value) continue;
    const e = JSON.parse(r.value.toString()) as DeltaEvent;
    // A record the outbox published twice carries the same id; BI dedupes by id, and so do we.
    // Governance events (approvals, payouts, ...) share the topic but are not deltas.
    if (e.tenantid !== tenantId || seen.has(e.id) || !isCommissionDelta(e.type)) continue;
    seen.add(e.id);
    out.push(e);
  }
  return out;
}

/** Sum of the deltas of one rep and period. */
export function ledgerSum(
  records: readonly ReadRecord[],
  tenantId: string,
  repId: string,
  periodKey: string,
): string {
  return deltas(records, tenantId)
    .filter((e) => e.data.repId === repId && e.data.periodKey === periodKey)
    .reduce((s, e) => s.plus(e.data.amount), new Decimal(0))
    .toFixed(2);
}

export const ACTIVITIES = TOPICS.activities;

/** A commission service on the real stack, a producer to feed it, and a recorder of its commissions topic. */
export interface CommissionBed {
  svc: RunningService;
  producer: Producer;
  ledger: TopicRecorder;
}

/** Starts a CommissionBed; whatever part started is stopped again when a later part fails. */
export async function startCommissionBed(kafka: Kafka): Promise<CommissionBed> {
  const svc = await startTestService(CommissionService);
  const producer = kafka.producer();
  try {
    await producer.connect();
    const ledger = await new TopicRecorder(kafka, [svc.topic(TOPICS.commissions)]).start();
    return { svc, producer, ledger };
  } catch (e) {
    await producer.disconnect().catch(() => undefined);
    await svc.close();
    throw e;
  }
}

/** Stops what startCommissionBed started; the parts are optional so an afterAll after a failed beforeAll is safe. */
export async function stopCommissionBed(bed: Partial<CommissionBed>): Promise<void> {
  await Promise.all([bed.ledger?.stop(), bed.producer?.disconnect()]);
  await bed.svc?.close();
}

/**
 * Publishes activities and roster events to the bed's topics (each to its own) and waits until the
 * service has consumed both, so a test reads statements only after its facts are in.
 */
export async function feedBed(kafka: Kafka, bed: CommissionBed, events: readonly PacerEvent[]): Promise<void> {
  const { svc, producer } = bed;
  await produce(producer, svc.topic(ACTIVITIES), events.filter((e) => e.type.startsWith('pacer.activity')));
  await produce(producer, svc.topic(TOPICS.roster), events.filter((e) => e.type.startsWith('pacer.roster')));
  await waitConsumed(kafka, svc.dataSource, svc.groupId, [svc.topic(ACTIVITIES), svc.topic(TOPICS.roster)]);
}
