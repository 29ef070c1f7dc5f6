import { setTimeout as delay } from 'node:timers/promises';
import { SpanKind, trace } from '@opentelemetry/api';
import { IHeaders, KafkaMessage } from 'kafkajs';
import { EntityManager } from 'typeorm';
import { DLQ_HEADERS } from '@pacer/contracts';
import { dependencyOutage } from '@pacer/http';
import { CORRELATION_ID_HEADER, extractTraceContext, Logger, LogFields, pacerTracer, runInSpan, tracingEnabled, withLogContext } from '@pacer/observability';
import { enqueueOutbox, OutboxMessage } from './outbox';

/** What a decoder makes of a record's value: an event, a record to skip, or a poison message. */
export type DecodeResult<E> = { ok: true; event: E } | { ok: false; skip: true; reason: string } | { ok: false; skip?: false; error: string };

export interface ConsumedMessage<E> {
  event: E;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

/**
 * Passed to handlers; `manager` is the batch's transaction. A fresh context is made per attempt and,
 * when a failing batch is bisected, per group of messages: keep per-batch state keyed by the context.
 */
export interface BatchContext {
  manager: EntityManager;
  groupId: string;
  /** Queue records to publish if and only if this batch commits. */
  publish(messages: readonly OutboxMessage[]): Promise<void>;
}

/** What log lines and spans say about the event being processed. */
export interface EventInfo {
  eventId?: string;
  eventType?: string;
  tenantId?: string;
}

/** Reads `id`, `type` and `tenantid` (CloudEvents) or `tenantId` of an object event. */
export function describeEvent(event: unknown): EventInfo {
  if (typeof event !== 'object' || event === null) return {};
  const e = event as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return { eventId: text(e['id']), eventType: text(e['type']), tenantId: text(e['tenantid']) ?? text(e['tenantId']) };
}

export interface ConsumerHandler<E> {
  /** Applies one event to the read models, inside the batch transaction. */
  handle(message: ConsumedMessage<E>, ctx: BatchContext): Promise<void>;
  /**
   * Runs once per context, after `handle` has seen every message given that context, in the same
   * transaction (e.g. fold and publish aggregates). Normally once per batch; while a failing batch
   * is isolated, once per group (down to one message), so a record whose effects make it throw is
   * rolled back and dead-lettered alone.
   */
  afterBatch?(ctx: BatchContext): Promise<void>;
}

export function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** SQLSTATEs of a transaction that lost a race, not of a bad record: retry the batch as it is. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);

/**
 * Whether a batch failure is about the infrastructure (Postgres or Kafka unreachable, a deadlock or
 * serialization failure) rather than a record: such a batch is retried whole and nothing is
 * dead-lettered, because the same records will apply once the dependency is back.
 */
export function isTransientFailure(error: unknown): boolean {
  if (dependencyOutage(error) !== undefined) return true;
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = typeof e === 'object' && e !== null ? (e.code ?? e.driverError?.code) : undefined;
  return typeof code === 'string' && TRANSIENT_SQLSTATES.has(code);
}

/** Postgres text and jsonb cannot hold NUL; a DLQ record must be writable whatever the source held. */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\uFFFD') : text;
}

/** A decoded record of the batch on its way to the handler. */
export interface Work<E> {
  message: KafkaMessage;
  consumed: ConsumedMessage<E>;
  info: EventInfo;
  id: string | undefined;
}

/** Outcomes counted during a transaction and reported only once it commits. */
export class Outcomes {
  constructor(readonly maxIsolated = Infinity) {}

  /** Records dead-lettered after isolation (not the undecodable ones). */
  isolated = 0;
  applied = 0;
  duplicate = 0;
  skipped = 0;
  deadLettered = 0;
  retries = 0;

  add(other: Outcomes): void {
    this.applied += other.applied;
    this.duplicate += other.duplicate;
    this.skipped += other.skipped;
    this.deadLettered += other.deadLettered;
    this.isolated += other.isolated;
    this.retries += other.retries;
  }
}

/** What an applier needs: how to read records, the handler, and where and how often failures go. */
export interface BatchApplierOptions<E> {
  logger: Logger;
  /** The consumer group named in dead letters and in the handler's context. */
  groupId: string;
  decode: (value: Buffer | null) => DecodeResult<E>;
  /** A globally unique id per event (the CloudEvent id) for redelivery dedupe; omit to rely on offsets only. */
  eventId?: (event: E) => string;
  /** Event id, type and tenant for log lines and spans; defaults to `describeEvent`. */
  describe?: (event: E) => EventInfo;
  handler: ConsumerHandler<E>;
  dlqTopic: string;
  maxRetries?: number;
  retryBackoffMs?: number;
  /**
   * Whether each `handle` of a group runs in its record's log context and span (default true). A
   * replay of many tenants' records turns it off for the cost; a record isolated alone always has both.
   */
  messageScopes?: boolean;
  /** Copy the bytes of decoded records that are kept past the fetch (a replay's chunks). */
  detachRecords?: boolean;
}

/** The record with its own copies of what a dead letter needs (its headers are in ConsumedMessage). */
function detach(message: KafkaMessage): KafkaMessage {
  return {
    ...message,
    key: message.key ? Buffer.from(message.key) : message.key,
    value: message.value ? Buffer.from(message.value) : message.value,
    headers: {},
  } as KafkaMessage;
}

/** Thrown when isolating a batch finds more failing records than the caller allows. */
export class IsolationLimitError extends Error {
  override readonly name = 'IsolationLimitError';
}

/** A record read from one partition, before decoding. */
export interface SourcedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Records decoded for a transaction: the work for the handler and the records no decoder can read. */
export interface Decoded<E> {
  work: Work<E>[];
  poison: { source: SourcedMessage; headers: Record<string, string>; error: string }[];
  skipped: number;
}

/**
 * The batch semantics shared by the live consumer and its replay mode: decoding, handing records to
 * the handler inside the caller's transaction, and on failure isolating the failing record by
 * bisection in savepoints, retrying it `maxRetries` more times and dead-lettering it through the
 * outbox (so the dead letter commits with the batch). The caller owns the transaction and the positions.
 */
export class BatchApplier<E> {
  private readonly maxRetries: number;
  private readonly retryBackoffMs: number;
  private savepoints = 0;

  constructor(private readonly options: BatchApplierOptions<E>) {
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  /** Decodes records (of any partitions) into work, skips and poison, appending to `into` when given. */
  decode(records: Iterable<SourcedMessage>, into: Decoded<E> = { work: [], poison: [], skipped: 0 }): Decoded<E> {
    const { decode } = this.options;
    const describe = this.options.describe ?? describeEvent;
    for (const source of records) {
      const { topic, partition, message } = source;
      const result = decode(message.value);
      if (result.ok) {
        const consumed: ConsumedMessage<E> = {
          event: result.event,
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          headers: headerMap(message.headers),
        };
        // A kept record's bytes are copied out of the fetch response they were sliced from: one record
        // held until its chunk commits would otherwise hold the whole response (megabytes) with it.
        const kept = this.options.detachRecords ? detach(message) : message;
        into.work.push({ message: kept, consumed, info: describe(result.event), id: this.options.eventId?.(result.event) });
      } else if (result.skip) {
        into.skipped++;
      } else {
        into.poison.push({ source, headers: headerMap(message.headers), error: result.error });
      }
    }
    return into;
  }

  /**
   * Applies decoded records in the caller's transaction: poison is dead-lettered at once (retrying
   * cannot make an undecodable record decodable), the work runs as one group (`careful` false, the
   * fast path; any failure is thrown) or isolated record by record (`careful` true). With
   * `maxIsolated`, isolating one record more than that throws IsolationLimitError: so many failing
   * records say the fault is not in them (a replay then stops rather than dead-letter everything).
   */
  async apply(manager: EntityManager, decoded: Decoded<E>, careful: boolean, maxIsolated?: number): Promise<Outcomes> {
    const outcomes = new Outcomes(maxIsolated);
    outcomes.skipped += decoded.skipped;
    for (const { source, headers, error } of decoded.poison) {
      await this.deadLetter(manager, source.topic, source.partition, source.message, headers, error, 0, {});
      outcomes.deadLettered++;
    }
    if (!careful) outcomes.add(await this.runGroup(manager, decoded.work));
    else await this.isolate(manager, decoded.work, true, outcomes);
    return outcomes;
  }

  /**
   * The unit of work whose success or failure is all-or-nothing: dedupe the group's event ids, hand
   * each new message to the handler, then `afterBatch` — all with one fresh BatchContext, so state a
   * handler keeps per context dies with a failed attempt. Throws whatever failed.
   */
  private async runGroup(manager: EntityManager, group: readonly Work<E>[]): Promise<Outcomes> {
    const { groupId, handler } = this.options;
    const outcomes = new Outcomes();
    const ctx: BatchContext = { manager, groupId, publish: (records) => enqueueOutbox(manager, records) };
    const ids = new Set<string>();
    const candidates = [...new Set(group.flatMap((w) => (w.id !== undefined ? [w.id] : [])))];
    if (candidates.length > 0) {
      const inserted = (await manager.query(
        `INSERT INTO processed_events (group_id, event_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [groupId, candidates],
      )) as { event_id: string }[];
      for (const r of inserted) ids.add(r.event_id);
    }
    for (const w of group) {
      if (w.id !== undefined && !ids.delete(w.id)) {
        outcomes.duplicate++;
        continue;
      }
      if (this.options.messageScopes === false && group.length > 1) await handler.handle(w.consumed, ctx);
      else await this.inMessageScope(w.consumed, w.info, () => handler.handle(w.consumed, ctx));
      outcomes.applied++;
    }
    // In the batch span's context (while tracing): what afterBatch publishes is traced from the batch.
    const only = group.length === 1 ? group[0] : undefined;
    const after = (): Promise<void> => handler.afterBatch?.(ctx) ?? Promise.resolve();
    await (only ? withLogContext({ ...only.info, correlationId: only.consumed.headers[CORRELATION_ID_HEADER] }, after) : after());
    return outcomes;
  }

  /**
   * Applies `group` in a savepoint; if it fails, splits it in halves and applies each the same way,
   * down to single records, which are retried and then dead-lettered. `knownToFail` skips running a
   * group the fast path has just seen fail.
   */
  private async isolate(manager: EntityManager, group: readonly Work<E>[], knownToFail: boolean, outcomes: Outcomes): Promise<void> {
    if (group.length === 0) return;
    if (group.length === 1) {
      await this.applyAlone(manager, group[0] as Work<E>, outcomes);
      return;
    }
    if (!knownToFail) {
      const applied = await this.inSavepoint(manager, () => this.runGroup(manager, group));
      if (applied.ok) {
        outcomes.add(applied.value);
        return;
      }
    }
    const middle = Math.ceil(group.length / 2);
    await this.isolate(manager, group.slice(0, middle), false, outcomes);
    await this.isolate(manager, group.slice(middle), false, outcomes);
  }

  /** One record alone: `maxRetries` more attempts with backoff, then the DLQ. */
  private async applyAlone(manager: EntityManager, work: Work<E>, outcomes: Outcomes): Promise<void> {
    const { groupId, logger } = this.options;
    const { topic, partition, offset } = work.consumed;
    let lastError = '';
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      const result = await this.inSavepoint(manager, () => this.runGroup(manager, [work]));
      if (result.ok) {
        outcomes.add(result.value);
        return;
      }
      lastError = result.error;
      outcomes.retries++;
      trace.getActiveSpan()?.recordException(lastError);
      logger.warn({ ...work.info, groupId, topic, partition, offset, attempt, err: lastError }, 'message handler failed');
      if (attempt < this.maxRetries) {
        await delay(this.retryBackoffMs * 2 ** attempt);
      }
    }
    if (outcomes.isolated >= outcomes.maxIsolated) {
      throw new IsolationLimitError(`more than ${outcomes.maxIsolated} records of one batch failed alone; the last: ${lastError}`);
    }
    outcomes.isolated++;
    await this.deadLetter(manager, topic, partition, work.message, work.consumed.headers, lastError, this.maxRetries + 1, work.info);
    outcomes.deadLettered++;
  }

  /** Runs `run` in a savepoint; a failure rolls back to it, and is rethrown when it is infrastructure. */
  private async inSavepoint<T>(manager: EntityManager, run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
    const name = `pacer_sp_${++this.savepoints}`;
    await manager.query(`SAVEPOINT ${name}`);
    try {
      const value = await run();
      await manager.query(`RELEASE SAVEPOINT ${name}`);
      return { ok: true, value };
    } catch (e) {
      if (isTransientFailure(e)) throw e;
      await manager.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await manager.query(`RELEASE SAVEPOINT ${name}`);
      return { ok: false, error: errorText(e) };
    }
  }

  /**
   * Runs one message's processing with its log context and, while tracing is on, in a consumer span
   * that is the child of the record's trace context. A throw marks the span as failed.
   */
  private async inMessageScope<T>(message: ConsumedMessage<E>, info: EventInfo, run: () => Promise<T>): Promise<T> {
    const fields: LogFields = { ...info, correlationId: message.headers[CORRELATION_ID_HEADER] };
    if (!tracingEnabled()) {
      return withLogContext(fields, run);
    }
    const parent = extractTraceContext(message.headers);
    const batch = trace.getActiveSpan()?.spanContext();
    const span = pacerTracer().startSpan(
      `process ${message.topic}`,
      {
        kind: SpanKind.CONSUMER,
        links: batch ? [{ context: batch }] : [],
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.destination.partition.id': String(message.partition),
          'messaging.kafka.offset': Number(message.offset),
          'messaging.consumer.group.name': this.options.groupId,
          ...(message.key !== null ? { 'messaging.kafka.message.key': message.key } : {}),
          ...(info.eventId ? { 'messaging.message.id': info.eventId } : {}),
          ...(info.eventType ? { 'cloudevents.event_type': info.eventType } : {}),
          ...(info.tenantId ? { 'pacer.tenant_id': info.tenantId } : {}),
        },
      },
      parent,
    );
    return runInSpan(span, () => withLogContext(fields, run), parent);
  }

  async deadLetter(
    manager: EntityManager,
    topic: string,
    partition: number,
    message: KafkaMessage,
    headers: Record<string, string>,
    error: string,
    attempts: number,
    info: EventInfo,
  ): Promise<void> {
    const { groupId, dlqTopic, logger } = this.options;
    logger.error(
      { ...info, correlationId: headers[CORRELATION_ID_HEADER], topic, partition, offset: message.offset, err: error },
      'message sent to the DLQ',
    );
    const original = Object.fromEntries(Object.entries(headers).map(([k, v]) => [storable(k), storable(v)]));
    const key = message.key?.toString();
    await enqueueOutbox(manager, [
      {
        topic: dlqTopic,
        key: key === undefined ? null : storable(key),
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...original,
          [DLQ_HEADERS.error]: storable(error.slice(0, 2000)),
          [DLQ_HEADERS.sourceTopic]: topic,
          [DLQ_HEADERS.sourcePartition]: String(partition),
          [DLQ_HEADERS.sourceOffset]: message.offset,
          [DLQ_HEADERS.consumerGroup]: groupId,
          [DLQ_HEADERS.attempts]: String(attempts),
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ]);
  }
}
