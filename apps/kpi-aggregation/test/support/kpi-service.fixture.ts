import { Partitioners, Producer } from 'kafkajs';
import { EVENT_TOPICS, eventKey, KpiSnapshotData, PacerEvent } from '@pacer/contracts';
import { mintToken, Role } from '@pacer/auth';
import { ReadRecord, TEST_JWT_SECRET, testKafka } from '@pacer/testing';

/** A producer for test input, partitioning like the outbox relay (Java-compatible murmur2). */
export async function inputProducer(): Promise<Producer> {
  const producer = testKafka('kpi-test-input').producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/**
 * Publishes events to their SPEC topics (under `topicPrefix`) with their SPEC keys, in the given order.
 * Keys are per rep, so with few reps one partition can take most of a chunk: 500 events keep its
 * record batch well under the broker's 1 MB `message.max.bytes` whatever the key hashing does.
 */
export async function produceEvents(producer: Producer, topicPrefix: string, events: readonly PacerEvent[], chunk = 500): Promise<void> {
  for (let i = 0; i < events.length; i += chunk) {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const e of events.slice(i, i + chunk)) {
      const topic = topicPrefix + EVENT_TOPICS[e.type];
      const list = byTopic.get(topic) ?? [];
      list.push({ key: eventKey(e), value: JSON.stringify(e) });
      byTopic.set(topic, list);
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
}

interface SnapshotEvent {
  id: string;
  tenantid: string;
  data: KpiSnapshotData;
}

/** The compacted topic as a table: the highest revision per key of one tenant. */
export function latestSnapshots(records: readonly ReadRecord[], tenantId: string): Map<string, KpiSnapshotData> {
  const latest = new Map<string, KpiSnapshotData>();
  for (const r of records) {
    if (!r.value || r.key === null) continue;
    const event = JSON.parse(r.value.toString()) as SnapshotEvent;
    if (event.tenantid !== tenantId) continue;
    const seen = latest.get(r.key);
    if (!seen || seen.revision < event.data.revision) latest.set(r.key, event.data);
  }
  return latest;
}

export async function token(tenantId: string, roles: Role[], repId?: string): Promise<string> {
  return mintToken({ secret: TEST_JWT_SECRET, tenantId, roles, ...(repId ? { repId } : {}) });
}

export async function getJson<T>(baseUrl: string, path: string, bearer?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return { status: res.status, body: (await res.json()) as T };
}

export async function postJson<T>(baseUrl: string, path: string, bearer: string, body: unknown = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Snapshot data without the revision: what two runs (or a rebuild) must agree on. */
export function withoutRevision(snapshots: ReadonlyMap<string, KpiSnapshotData>): Map<string, Omit<KpiSnapshotData, 'revision'>> {
  return new Map([...snapshots].map(([k, { revision: _r, ...rest }]) => [k, rest]));
}
