import { setTimeout as delay } from 'node:timers/promises';
import { context, Link, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Admin, Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DLQ_HEADERS } from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from './outbox';
import { dependencyOutage } from '@pacer/http';
import {
  consumerBatchDuration,
  consumerBatchSize,
  consumerLag,
  consumerLastBatchAge,
  consumerMessages,
  consumerRetries,
  CORRELATION_ID_HEADER,
  dlqMessages,
  extractTraceContext,
  Logger,
  LogFields,
  onConsumerMetricsCollect,
  pacerTracer,
  tracingEnabled,
  withLogContext,
} from '@pacer/observability';
import { ConsumerProgress, ConsumerStatus, PartitionStatus } from './consumer-progress';

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

/** Upper bound of span links on one batch span (OTel's default link limit is 128). */
const MAX_BATCH_LINKS = 128;

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
  /** How long the group waits for a silent member before rebalancing its partitions away (default 10 s). */
  sessionTimeoutMs?: number;
  /** How often the partitions' watermarks are read from the broker for lag (default 5 s). */
  lagRefreshMs?: number;
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
interface Work<E> {
  message: KafkaMessage;
  consumed: ConsumedMessage<E>;
  info: EventInfo;
  id: string | undefined;
}

/** Outcomes counted during a transaction and reported only once it commits. */
class Outcomes {
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
    this.retries += other.retries;
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
 * Failures: the batch first runs without savepoints (the fast path). If anything in it throws —
 * a handler, `afterBatch` (building or validating what it publishes), the dedupe statement — the
 * transaction is rolled back and the batch is replayed by bisection: each half runs in a savepoint
 * with its own BatchContext, `handle` for each of its messages then `afterBatch` for them, and a
 * half that fails is split again until the failing record stands alone. That record is retried
 * `maxRetries` more times and then written to the DLQ through the outbox (atomically with the
 * offset); every other record of the batch, whatever its tenant, is applied. A failure that says
 * Postgres or Kafka is unreachable (or a deadlock) dead-letters nothing: the batch is rolled back
 * and kafkajs retries it, and the partition's waiting time shows the stall meanwhile.
 *
 * Each `handle()` runs with the message's event id, type, tenant and correlation id in its log
 * context and, while tracing is on, inside a consumer span whose parent is the record's
 * `traceparent` — so whatever the handler publishes continues that trace. The batch as a whole
 * (and so `afterBatch()`) runs in a batch span linked to every record's context; see startBatchSpan.
 */
export class BatchConsumer<E> {
  private consumer?: Consumer;
  private admin?: Admin;
  private readonly maxRetries: number;
  private readonly retryBackoffMs: number;
  private joined?: Promise<void>;
  private readonly progress = new ConsumerProgress();
  private state: ConsumerStatus['state'] = 'stopped';
  private crash?: string;
  private refreshTimer?: NodeJS.Timeout;
  private unregisterMetrics?: () => void;
  private savepoints = 0;

  constructor(private readonly options: BatchConsumerOptions<E>) {
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** Joins the group and starts consuming; resolves once partitions are assigned. */
  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({
      groupId,
      // 10 s, not kafkajs' 30 s: when the group coordinator's broker dies, the new coordinator waits
      // for the members it loaded to rejoin or expire, and kafkajs rejoins as a new member after its
      // consumer crash-restart, so the group is stuck until the old member's session expires (the
      // broker-failover chaos test measured 44 s at 30 s). Heartbeats go every 3 s, during batches too.
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 3_000,
      // The client's doubling backoff (up to 30 s) kept the consumer asking a dead broker for up to
      // 40 s after its partitions had new leaders. Capped at 2 s, and few enough attempts (~12 s)
      // that a consumer stuck on a dead group coordinator crashes and kafkajs restarts it, which
      // finds the new coordinator (30 attempts kept it on the dead one for a minute).
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 8 },
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    this.state = 'starting';
    this.crash = undefined;
    this.joined = new Promise((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        this.state = 'running';
        this.crash = undefined;
        this.trackAssignment(e.payload.memberAssignment);
        void this.seekToStoredOffsets(consumer, e.payload.memberAssignment).finally(() => {
          resolve();
          // Lag is known from the first poll after a restart, not only after the first batch.
          void this.refreshWatermarks();
        });
      });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const error = errorText(e.payload.error);
      this.crash = error;
      if (!e.payload.restart) this.state = 'crashed';
    });
    this.unregisterMetrics = onConsumerMetricsCollect(() => this.publishProgress());
    const refreshMs = this.options.lagRefreshMs ?? 5_000;
    this.refreshTimer = setInterval(() => void this.refreshWatermarks(), refreshMs);
    this.refreshTimer.unref();
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
    clearInterval(this.refreshTimer);
    this.unregisterMetrics?.();
    // kafkajs waits for the running eachBatch, then sends LeaveGroup, then disconnects.
    await consumer.disconnect();
    this.consumer = undefined;
    this.state = 'stopped';
    this.trackAssignment({});
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
    logger.info({ groupId }, 'consumer left the group');
  }

  /** Progress of every partition this member owns, for `/health/consumers`. */
  status(): ConsumerStatus {
    return {
      groupId: this.options.groupId,
      state: this.state,
      ...(this.crash !== undefined ? { error: this.crash } : {}),
      partitions: this.publishProgress(),
    };
  }

  /** Sets the lag and waiting-time gauges from the current progress and returns it. */
  private publishProgress(): PartitionStatus[] {
    const group = this.options.groupId;
    const statuses = this.progress.observe();
    for (const p of statuses) {
      const labels = { group, topic: p.topic, partition: String(p.partition) };
      if (p.lag !== null) consumerLag.set(labels, p.lag);
      consumerLastBatchAge.set(labels, p.waitingSeconds);
    }
    return statuses;
  }

  /** Drops the series of partitions this member no longer owns (another member reports them now). */
  private trackAssignment(assignment: Record<string, number[]>): void {
    for (const { topic, partition } of this.progress.assign(assignment)) {
      const labels = { group: this.options.groupId, topic, partition: String(partition) };
      consumerLag.remove(labels);
      consumerLastBatchAge.remove(labels);
    }
  }

  /** High and low watermarks from the broker: lag stays true while no batch commits (stalls, restarts). */
  private async refreshWatermarks(): Promise<void> {
    const topics = this.progress.topics();
    if (topics.length === 0 || !this.consumer) return;
    try {
      if (!this.admin) {
        const admin = this.options.kafka.admin();
        await admin.connect();
        if (!this.consumer) {
          // stop() ran while this connected: nobody would disconnect it later.
          await admin.disconnect();
          return;
        }
        this.admin = admin;
      }
      const admin = this.admin;
      for (const topic of topics) {
        for (const p of await admin.fetchTopicOffsets(topic)) {
          this.progress.watermarks(topic, p.partition, p.low, p.high);
        }
      }
      this.publishProgress();
    } catch (e) {
      this.options.logger.debug({ err: errorText(e) }, 'could not refresh partition watermarks');
      const admin = this.admin;
      this.admin = undefined;
      await admin?.disconnect().catch(() => undefined);
    }
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
          this.progress.storedOffset(row.topic, row.partition, row.next_offset);
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
    const { groupId, logger } = this.options;

    // kafkajs heartbeats only when asked: a long batch (a burst of tenants, an isolation replay with
    // backoffs) would otherwise outlive the session and lose the partition mid-transaction.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 3_000);
    let outcomes: Outcomes;
    try {
      try {
        outcomes = await this.applyBatch(topic, partition, batch.messages, nextOffset, false);
      } catch (e) {
        if (isTransientFailure(e)) throw e;
        logger.warn({ topic, partition, err: errorText(e) }, 'batch failed; isolating the failing record');
        outcomes = await this.applyBatch(topic, partition, batch.messages, nextOffset, true);
      }
    } catch (e) {
      // Nothing committed: kafkajs redelivers the batch from the stored offset after its backoff.
      this.progress.failed(topic, partition, errorText(e));
      logger.warn(
        { topic, partition, transient: isTransientFailure(e), err: errorText(e) },
        'batch not applied; it will be retried',
      );
      throw e;
    } finally {
      clearInterval(beat);
    }

    await this.options.afterDbCommit?.({ topic, partition, nextOffset });
    resolveOffset(last.offset);
    // The payload's commit, not consumer.commitOffsets: that one is silently skipped once stop() has
    // begun, and the batch a shutdown waits for must reach Kafka too (lag-based autoscaling reads it).
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }] }).catch(
      (err: unknown) => logger.warn({ err }, 'kafka offset commit failed (the database has it)'),
    );
    await heartbeat();

    this.report(topic, outcomes);
    consumerBatchSize.observe({ group: groupId }, outcomes.applied);
    consumerBatchDuration.observe({ group: groupId }, Number(process.hrtime.bigint() - started) / 1e9);
    this.progress.applied(topic, partition, nextOffset, batch.highWatermark);
    this.publishProgress();
  }

  private report(topic: string, o: Outcomes): void {
    const group = this.options.groupId;
    if (o.applied > 0) consumerMessages.inc({ group, topic, outcome: 'applied' }, o.applied);
    if (o.duplicate > 0) consumerMessages.inc({ group, topic, outcome: 'duplicate' }, o.duplicate);
    if (o.skipped > 0) consumerMessages.inc({ group, topic, outcome: 'skipped' }, o.skipped);
    if (o.deadLettered > 0) {
      consumerMessages.inc({ group, topic, outcome: 'dead_lettered' }, o.deadLettered);
      dlqMessages.inc({ group, topic }, o.deadLettered);
    }
    if (o.retries > 0) consumerRetries.inc({ group, topic }, o.retries);
  }

  /**
   * Applies a batch in one transaction; returns what happened to its messages. While tracing is on,
   * the whole attempt (afterBatch and the commit included) runs in a batch span.
   */
  private async applyBatch(topic: string, partition: number, messages: KafkaMessage[], nextOffset: string, careful: boolean): Promise<Outcomes> {
    if (!tracingEnabled()) {
      return this.applyBatchTransaction(topic, partition, messages, nextOffset, careful);
    }
    const span = this.startBatchSpan(topic, partition, messages, careful);
    try {
      const outcomes = await context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
        this.applyBatchTransaction(topic, partition, messages, nextOffset, careful),
      );
      span.setAttribute('pacer.batch.handled_count', outcomes.applied);
      return outcomes;
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
  ): Promise<Outcomes> {
    const { dataSource, groupId, decode } = this.options;
    const describe = this.options.describe ?? describeEvent;
    return dataSource.transaction(async (manager) => {
      const outcomes = new Outcomes();
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
        return outcomes;
      }

      const work: Work<E>[] = [];
      for (const message of fresh) {
        const result = decode(message.value);
        const headers = headerMap(message.headers);
        if (result.ok) {
          const consumed: ConsumedMessage<E> = {
            event: result.event,
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            headers,
          };
          work.push({ message, consumed, info: describe(result.event), id: this.options.eventId?.(result.event) });
        } else if (result.skip) {
          outcomes.skipped++;
        } else {
          // Retrying cannot make an undecodable record decodable.
          await this.deadLetter(manager, topic, partition, message, headers, result.error, 0, {});
          outcomes.deadLettered++;
        }
      }

      if (!careful) {
        outcomes.add(await this.runGroup(manager, work));
      } else {
        await this.isolate(manager, work, true, outcomes);
      }
      await manager.query(
        `UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
          WHERE group_id = $1 AND topic = $2 AND partition = $3`,
        [groupId, topic, partition, nextOffset],
      );
      return outcomes;
    });
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
      await this.inMessageScope(w.consumed, w.info, () => handler.handle(w.consumed, ctx));
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
    try {
      return await context.with(trace.setSpan(parent, span), () => withLogContext(fields, run));
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw e;
    } finally {
      span.end();
    }
  }

  private async deadLetter(
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
