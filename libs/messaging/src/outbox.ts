import { EntityManager } from 'typeorm';
import { CORRELATION_ID_HEADER, currentLogContext, injectTraceHeaders } from '@pacer/observability';

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
 *
 * Each record also gets the active trace context (`traceparent`/`tracestate`, while tracing is on)
 * and the correlation id of the request or message being processed (`x-correlation-id`), unless the
 * caller set those headers itself — so every service propagates them without code of its own.
 */
export async function enqueueOutbox(manager: EntityManager, messages: readonly OutboxMessage[]): Promise<void> {
  if (messages.length === 0) {
    return;
  }
  const topics: string[] = [];
  const keys: (string | null)[] = [];
  const values: Buffer[] = [];
  const starts: number[] = [];
  const lengths: number[] = [];
  const headers: string[] = [];
  let offset = 1; // substring() counts from 1
  const correlationId = currentLogContext()?.['correlationId'];
  for (const m of messages) {
    topics.push(m.topic);
    keys.push(m.key);
    const value = Buffer.isBuffer(m.value) ? m.value : Buffer.from(JSON.stringify(m.value));
    values.push(value);
    starts.push(offset);
    lengths.push(value.length);
    offset += value.length;
    const h: Record<string, string> = { ...m.headers };
    injectTraceHeaders(h);
    if (typeof correlationId === 'string' && h[CORRELATION_ID_HEADER] === undefined) {
      h[CORRELATION_ID_HEADER] = correlationId;
    }
    headers.push(JSON.stringify(h));
  }
  // unnest keeps input order, and bigserial hands out seq in that order within one statement,
  // so records of one transaction are published in the order they were enqueued.
  // The values travel as ONE binary parameter that the statement slices: a bytea[] parameter goes as
  // an array literal of hex text (twice the bytes, concatenated into one string by the driver, parsed
  // back by Postgres), ~5 µs of Node CPU per record against ~1 µs for the concatenated buffer.
  await manager.query(
    `INSERT INTO outbox (topic, key, value, headers)
     SELECT topic, key, substring($3::bytea FROM start FOR length), headers
     FROM unnest($1::text[], $2::text[], $4::int[], $5::int[], $6::jsonb[]) AS r(topic, key, start, length, headers)`,
    [topics, keys, Buffer.concat(values, offset - 1), starts, lengths, headers],
  );
}
