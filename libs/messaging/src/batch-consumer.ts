import { setTimeout as delay } from 'node:timers/promises';
import { context, Link, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DLQ_HEADERS } from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from '@pacer/event-store';
import {
  consumerBatchDuration,
  consumerBatchSize,
  consumerLag,
  consumerMessages,
  consumerRetries,
  CORRELATION_ID_HEADER,
  dlqMessages,
  extractTraceContext,
  Logger,
  LogFields,
  pacerTracer,
  tracingEnabled,
  withLogContext,
} from '@pacer/observability';

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

/** Passed to handlers; `manager` is the batch's transaction. A fresh context is made per attempt. */
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

/** Upper bound of span links on one batch span (OTel's default link limit is 128). */
const MAX_BATCH_LINKS = 128;

export interface ConsumerHandler<E> {
  /** Applies one event to the read models, inside the batch transaction. */
  handle(message: ConsumedMessage<E>, ctx: BatchContext): Promise<void>;
  /** Runs once per batch after every message, in the same transaction (e.g. publish aggregates). */
  afterBatch?(ctx: BatchContext): Promise<void>;
}

export interface BatchConsumerOptions<E> {
  kafka: Kafka;
  dataSource: DataSource;
  logger: Logger;
  groupId: string;
  topics: readonly string[];
  decode: (value: Buffer | null) => DecodeResult<E>;
  /** A globally unique id per event (the CloudEvent id) for redelivery dedupe; omit to rely on offsets only. */
  eventId?: (event: E) => string;
  /** Event id, type and tenant for log lines and spans; defaults to `describeEvent`. */
  describe?: (event: E) => EventInfo;
  handler: ConsumerHandler<E>;
  dlqTopic: string;
  maxRetries?: number;
  retryBackoffMs?: number;
  partitionsConsumedConcurrently?: number;
  /** How long the group waits for a silent member before rebalancing its partitions away. */
  sessionTimeoutMs?: number;
  /** Test seam: runs after the batch's Postgres commit and before Kafka's offset commit. */
  afterDbCommit?: (info: { topic: string; partition: number; nextOffset: string }) => void | Promise<void>;
}

function headerMap(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out[k] = first.toString();
  }
  return out;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

class PoisonMessage extends Error {
  constructor(readonly index: number, cause: unknown) {
    super(errorText(cause));
  }
}

/**
 * Kafka batch consumer whose progress lives in Postgres.
 *
 * Each batch is applied in ONE transaction that also advances `consumer_offsets`; Kafka's own
 * committed offset is only a hint written afterwards. On (re)assignment the consumer seeks to the
 * stored offsets, and inside the transaction it locks the partition's offset row and drops every
 * message below the stored offset — so a crash between the two commits, a rebalance, or a zombie
 * member still processing a revoked partition cannot apply anything twice.
 *
 * Failures: the batch first runs without savepoints (the fast path). If any message throws, the
 * transaction is rolled back and the batch is replayed with a savepoint per message; a message that
 * still fails after `maxRetries` is written to the DLQ through the outbox (atomically with the
 * offset) and the consumer moves on.
 *
 * Each `handle()` runs with the message's event id, type, tenant and correlation id in its log
 * context and, while tracing is on, inside a consumer span whose parent is the record's
 * `traceparent` — so whatever the handler publishes continues that trace. The batch as a whole
 * (and so `afterBatch()`) runs in a batch span linked to every record's context; see startBatchSpan.
 */
export class BatchConsumer<E> {
  private consumer?: Consumer;
  private readonly maxRetries: number;
  private readonly retryBackoffMs: number;
  private joined?: Promise<void>;
  /** `topic|partition` of the partitions this member owns, whose lag it reports. */
  private assigned = new Set<string>();

  constructor(private readonly options: BatchConsumerOptions<E>) {
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  /** Joins the group and starts consuming; resolves once partitions are assigned. */
  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    this.joined = new Promise((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        this.trackAssignment(e.payload.memberAssignment);
        void this.seekToStoredOffsets(consumer, e.payload.memberAssignment).finally(resolve);
      });
    });
    await consumer.connect();
    for (const topic of topics) {
      await consumer.subscribe({ topic, fromBeginning: true });
    }
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    await this.joined;
  }

  /**
   * Finishes the batch in flight (its Postgres transaction and its Kafka offset commit), then leaves
   * the group so its partitions are reassigned at once instead of after the session timeout.
   */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (!consumer) return;
    const { groupId, logger } = this.options;
    logger.info({ groupId }, 'consumer stopping: finishing the batch in flight');
    // kafkajs waits for the running eachBatch, then sends LeaveGroup, then disconnects.
    await consumer.disconnect();
    this.consumer = undefined;
    this.trackAssignment({});
    logger.info({ groupId }, 'consumer left the group');
  }

  /** Drops the lag series of partitions this member no longer owns (another member reports them now). */
  private trackAssignment(assignment: Record<string, number[]>): void {
    const now = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((p) => `${topic}|${p}`)));
    for (const key of this.assigned) {
      if (!now.has(key)) {
        const [topic = '', partition = ''] = key.split('|');
        consumerLag.remove({ group: this.options.groupId, topic, partition });
      }
    }
    this.assigned = now;
  }

  private async seekToStoredOffsets(consumer: Consumer, assignment: Record<string, number[]>): Promise<void> {
    try {
      const rows = (await this.options.dataSource.query(
        `SELECT topic, partition, next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = ANY($2::text[])`,
        [this.options.groupId, Object.keys(assignment)],
      )) as { topic: string; partition: number; next_offset: string }[];
      for (const row of rows) {
        if (assignment[row.topic]?.includes(row.partition)) {
          consumer.seek({ topic: row.topic, partition: row.partition, offset: row.next_offset });
        }
      }
    } catch (e) {
      // Not fatal: the offset filter inside each batch transaction is what guarantees no double apply.
      this.options.logger.warn({ err: e }, 'could not seek to stored offsets');
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, heartbeat, resolveOffset, commitOffsetsIfNecessary } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) {
      return;
    }
    const started = process.hrtime.bigint();
    const { topic, partition } = batch;
    const last = batch.messages[batch.messages.length - 1] as KafkaMessage;
    const nextOffset = (BigInt(last.offset) + 1n).toString();

    let applied: number;
    try {
      applied = await this.applyBatch(topic, partition, batch.messages, nextOffset, false);
    } catch (e) {
      if (!(e instanceof PoisonMessage)) {
        throw e;
      }
      this.options.logger.warn({ topic, partition, err: e.message }, 'batch failed; replaying message by message');
      applied = await this.applyBatch(topic, partition, batch.messages, nextOffset, true);
    }

    await this.options.afterDbCommit?.({ topic, partition, nextOffset });
    resolveOffset(last.offset);
    // The payload's commit, not consumer.commitOffsets: that one is silently skipped once stop() has
    // begun, and the batch a shutdown waits for must reach Kafka too (lag-based autoscaling reads it).
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }] }).catch(
      (err: unknown) => this.options.logger.warn({ err }, 'kafka offset commit failed (the database has it)'),
    );
    await heartbeat();

    const { groupId } = this.options;
    consumerBatchSize.observe({ group: groupId }, applied);
    consumerBatchDuration.observe({ group: groupId }, Number(process.hrtime.bigint() - started) / 1e9);
    const hw = BigInt(batch.highWatermark);
    const lag = hw - BigInt(nextOffset);
    consumerLag.set({ group: groupId, topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
  }

  /**
   * Applies a batch in one transaction; returns how many messages reached the handler. While tracing
   * is on, the whole attempt (afterBatch and the commit included) runs in a batch span.
   */
  private async applyBatch(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    nextOffset: string,
    careful: boolean,
  ): Promise<number> {
    if (!tracingEnabled()) {
      return this.applyBatchTransaction(topic, partition, messages, nextOffset, careful);
    }
    const span = this.startBatchSpan(topic, partition, messages, careful);
    try {
      const handled = await context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
        this.applyBatchTransaction(topic, partition, messages, nextOffset, careful),
      );
      span.setAttribute('pacer.batch.handled_count', handled);
      return handled;
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * The batch span links to every record's context (the traces that caused this batch). When all
   * records belong to one trace (typically one activity), the span is a child in that trace, so what
   * afterBatch publishes stays in it; otherwise it starts a trace of its own and only the links lead
   * back. Each message's consumer span links to it in turn, so either end leads to the other.
   */
  private startBatchSpan(topic: string, partition: number, messages: KafkaMessage[], careful: boolean): Span {
    const records = messages.flatMap((m) => {
      const spanContext = trace.getSpanContext(extractTraceContext(headerMap(m.headers)));
      return spanContext ? [spanContext] : [];
    });
    const traces = new Set(records.map((r) => r.traceId));
    const first = records[0];
    const parent = traces.size === 1 && first ? trace.setSpanContext(ROOT_CONTEXT, first) : ROOT_CONTEXT;
    const links: Link[] = records.slice(0, MAX_BATCH_LINKS).map((spanContext) => ({ context: spanContext }));
    return pacerTracer().startSpan(
      `batch ${topic}`,
      {
        kind: SpanKind.CONSUMER,
        links,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.destination.partition.id': String(partition),
          'messaging.consumer.group.name': this.options.groupId,
          'messaging.batch.message_count': messages.length,
          'pacer.batch.replay': careful,
        },
      },
      parent,
    );
  }

  private async applyBatchTransaction(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    nextOffset: string,
    careful: boolean,
  ): Promise<number> {
    const { dataSource, groupId, handler, decode, eventId } = this.options;
    const describe = this.options.describe ?? describeEvent;
    return dataSource.transaction(async (manager) => {
      const ctx: BatchContext = {
        manager,
        groupId,
        publish: (records) => enqueueOutbox(manager, records),
      };
      await manager.query(
        `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, 0)
         ON CONFLICT DO NOTHING`,
        [groupId, topic, partition],
      );
      const [row] = (await manager.query(
        `SELECT next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
        [groupId, topic, partition],
      )) as { next_offset: string }[];
      const stored = BigInt(row?.next_offset ?? '0');
      const fresh = messages.filter((m) => BigInt(m.offset) >= stored);
      if (fresh.length === 0) {
        return 0;
      }

      // Decode everything first so the dedupe lookup is one statement per batch.
      const decoded = fresh.map((m) => ({ message: m, result: decode(m.value) }));
      const ids = new Set<string>();
      if (eventId) {
        const candidates = decoded.flatMap((d) => (d.result.ok ? [eventId(d.result.event)] : []));
        if (candidates.length > 0) {
          const inserted = (await manager.query(
            `INSERT INTO processed_events (group_id, event_id) SELECT $1, unnest($2::text[])
             ON CONFLICT DO NOTHING RETURNING event_id`,
            [groupId, [...new Set(candidates)]],
          )) as { event_id: string }[];
          for (const r of inserted) ids.add(r.event_id);
        }
      }

      let handled = 0;
      for (let i = 0; i < decoded.length; i++) {
        const { message, result } = decoded[i] as (typeof decoded)[number];
        const headers = headerMap(message.headers);
        if (!result.ok) {
          if (result.skip) {
            consumerMessages.inc({ group: groupId, topic, outcome: 'skipped' });
          } else {
            await this.deadLetter(ctx, topic, partition, message, headers, result.error, 0, {});
          }
          continue;
        }
        if (eventId) {
          const id = eventId(result.event);
          if (!ids.delete(id)) {
            consumerMessages.inc({ group: groupId, topic, outcome: 'duplicate' });
            continue;
          }
        }
        const consumed: ConsumedMessage<E> = {
          event: result.event,
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          headers,
        };
        const info = describe(result.event);
        if (!careful) {
          try {
            await this.inMessageScope(consumed, info, () => handler.handle(consumed, ctx));
          } catch (e) {
            throw new PoisonMessage(i, e);
          }
        } else {
          const error = await this.inMessageScope(consumed, info, () =>
            this.handleWithRetries(consumed, ctx, info),
          );
          if (error !== undefined) {
            if (eventId) {
              // Not processed: a later re-drive of the DLQ must not be mistaken for a duplicate.
              await manager.query(`DELETE FROM processed_events WHERE group_id = $1 AND event_id = $2`, [
                groupId,
                eventId(result.event),
              ]);
            }
            await this.deadLetter(ctx, topic, partition, message, headers, error, this.maxRetries + 1, info);
            continue;
          }
        }
        handled++;
        consumerMessages.inc({ group: groupId, topic, outcome: 'applied' });
      }
      // In the batch span's context (while tracing): what afterBatch publishes is traced from the batch.
      await handler.afterBatch?.(ctx);
      await manager.query(
        `UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
          WHERE group_id = $1 AND topic = $2 AND partition = $3`,
        [groupId, topic, partition, nextOffset],
      );
      return handled;
    });
  }

  /**
   * Runs one message's processing with its log context and, while tracing is on, in a consumer span
   * that is the child of the record's trace context. A returned string is a final failure (careful
   * path); a throw is a failure too (fast path). Either marks the span as failed.
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
    try {
      const result = await context.with(trace.setSpan(parent, span), () => withLogContext(fields, run));
      if (typeof result === 'string') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.slice(0, 500) });
      }
      return result;
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  }

  /** Returns undefined on success, or the last error after every attempt failed. */
  private async handleWithRetries(message: ConsumedMessage<E>, ctx: BatchContext, info: EventInfo): Promise<string | undefined> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.maxRetries; attempt++) {
      await ctx.manager.query('SAVEPOINT pacer_message');
      try {
        await this.options.handler.handle(message, ctx);
        await ctx.manager.query('RELEASE SAVEPOINT pacer_message');
        return undefined;
      } catch (e) {
        await ctx.manager.query('ROLLBACK TO SAVEPOINT pacer_message');
        lastError = errorText(e);
        consumerRetries.inc({ group: this.options.groupId, topic: message.topic });
        trace.getActiveSpan()?.recordException(e instanceof Error ? e : lastError);
        this.options.logger.warn(
          { ...info, topic: message.topic, partition: message.partition, offset: message.offset, attempt, err: lastError },
          'message handler failed',
        );
        if (attempt < this.maxRetries) {
          await delay(this.retryBackoffMs * 2 ** attempt);
        }
      }
    }
    return lastError;
  }

  private async deadLetter(
    ctx: BatchContext,
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
    await ctx.publish([
      {
        topic: dlqTopic,
        key: message.key?.toString() ?? null,
        value: message.value ?? Buffer.alloc(0),
        headers: {
          ...headers,
          [DLQ_HEADERS.error]: error.slice(0, 2000),
          [DLQ_HEADERS.sourceTopic]: topic,
          [DLQ_HEADERS.sourcePartition]: String(partition),
          [DLQ_HEADERS.sourceOffset]: message.offset,
          [DLQ_HEADERS.consumerGroup]: groupId,
          [DLQ_HEADERS.attempts]: String(attempts),
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      },
    ]);
    dlqMessages.inc({ group: groupId, topic });
    consumerMessages.inc({ group: groupId, topic, outcome: 'dead_lettered' });
  }
}
