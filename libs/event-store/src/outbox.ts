import { EntityManager } from 'typeorm';

/** A Kafka record waiting in the outbox. */
export interface OutboxMessage {
  topic: string;
  key: string | null;
  /** A JSON-serialisable object (serialised here) or raw bytes (forwarded as they are). */
  value: Buffer | object;
  headers?: Record<string, string>;
}

/**
 * Writes records to the outbox inside the caller's transaction: they are published if and only if
 * that transaction commits. One multi-row INSERT per call keeps batches cheap.
 */
export async function enqueueOutbox(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) {
    return;
  }
  const topics: string[] = [];
  const keys: (string | null)[] = [];
  const values: Buffer[] = [];
  const headers: string[] = [];
  for (const m of messages) {
    topics.push(m.topic);
    keys.push(m.key);
    values.push(Buffer.isBuffer(m.value) ? m.value : Buffer.from(JSON.stringify(m.value)));
    headers.push(JSON.stringify(m.headers ?? {}));
  }
  // unnest keeps input order, and bigserial hands out seq in that order within one statement,
  // so records of one transaction are published in the order they were enqueued.
  await manager.query(
    `INSERT INTO outbox (topic, key, value, headers)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::jsonb[])`,
    [topics, keys, values, headers],
  );
}
