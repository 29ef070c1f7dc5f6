import { Link, ROOT_CONTEXT, Span, SpanKind, trace } from '@opentelemetry/api';
import { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import {
  consumerBatchDuration,
  consumerBatchSize,
  consumerDedupePruned,
  consumerDedupePruneFailures,
  consumerLag,
  consumerLastBatchAge,
  consumerMessages,
  consumerRetries,
  dlqMessages,
  extractTraceContext,
  onConsumerMetricsCollect,
  pacerTracer,
  runInSpan,
  tracingEnabled,
} from '@pacer/observability';
import { BatchApplier, BatchApplierOptions, errorText, headerMap, isTransientFailure, Outcomes } from './batch-applier';
import { ConsumerProgress, ConsumerStatus, PartitionStatus } from './consumer-progress';

/** Upper bound of span links on one batch span (OTel's default link limit is 128). */
const MAX_BATCH_LINKS = 128;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface BatchConsumerOptions<E> extends BatchApplierOptions<E> {
  kafka: Kafka;
  dataSource: DataSource;
  topics: readonly string[];
  partitionsConsumedConcurrently?: number;
  /** How long the group waits for a silent member before rebalancing its partitions away (default 10 s). */
  sessionTimeoutMs?: number;
  /** How often the partitions' watermarks are read from the broker for lag (default 5 s). */
  lagRefreshMs?: number;
  /**
   * How long a consumed event id is remembered for dedupe (default 7 days). A record the outbox
   * relay publishes again later than this (a service down longer, with published rows it had not
   * yet deleted) is applied twice.
   */
  dedupeRetentionMs?: number;
  /** How often this member deletes the group's ids older than the retention (default 10 min; the first run a minute after start). */
  dedupePruneIntervalMs?: number;
  /** Rows deleted per statement while pruning (default 5000). */
  dedupePruneChunk?: number;
  /** Test seam: runs after the batch's Postgres commit and before Kafka's offset commit. */
  afterDbCommit?: (info: { topic: string; partition: number; nextOffset: string }) => void | Promise<void>;
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
  private joined?: Promise<void>;
  private readonly progress = new ConsumerProgress();
  private state: ConsumerStatus['state'] = 'stopped';
  private crash?: string;
  private refreshTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<unknown>;
  private pruneStopped = false;
  private unregisterMetrics?: () => void;
  private readonly applier: BatchApplier<E>;

  constructor(private readonly options: BatchConsumerOptions<E>) {
    this.applier = new BatchApplier(options);
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
    this.pruneStopped = false;
    this.schedulePrune(Math.min(60_000, this.options.dedupePruneIntervalMs ?? 10 * 60_000));
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
    this.pruneStopped = true;
    clearTimeout(this.pruneTimer);
    this.pruneTimer = undefined;
    this.unregisterMetrics?.();
    // kafkajs waits for the running eachBatch, then sends LeaveGroup, then disconnects.
    await consumer.disconnect();
    this.consumer = undefined;
    this.state = 'stopped';
    this.trackAssignment({});
    // The owner closes the DataSource after stop(): a prune still running would fail on it.
    await this.pruning;
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
    logger.info({ groupId }, 'consumer left the group');
  }

  /**
   * Deletes this group's remembered event ids older than `dedupeRetentionMs`, one chunk per
   * statement (each its own short transaction, so a batch inserting ids never waits long on it),
   * until a chunk comes back short. Every member of the group runs it on its own timer: several at
   * once only find fewer rows each (a row locked by one is skipped or gone for the other), so no
   * leader is elected. A failure is logged and counted and the next run tries again; it never
   * reaches the consumer. Returns the rows deleted and the statements run.
   */
  async pruneDedupe(): Promise<{ rows: number; chunks: number }> {
    const { dataSource, groupId, logger } = this.options;
    const retentionMs = this.options.dedupeRetentionMs ?? 7 * DAY_MS;
    const chunk = this.options.dedupePruneChunk ?? 5_000;
    let rows = 0;
    let chunks = 0;
    try {
      for (;;) {
        // `= ANY(ARRAY(…))`: always a TID scan of the chunk's rows, whatever the planner estimates
        // (`IN (…)` leaves it a semi-join to choose). SKIP LOCKED: rows another member is pruning
        // are left to it instead of waited for.
        const [, deleted] = (await dataSource.query(
          `DELETE FROM processed_events WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM processed_events
              WHERE group_id = $1 AND processed_at < now() - $2::float8 * interval '1 millisecond'
              LIMIT $3 FOR UPDATE SKIP LOCKED))`,
          [groupId, retentionMs, chunk],
        )) as [unknown[], number];
        chunks++;
        rows += deleted;
        if (deleted > 0) consumerDedupePruned.inc({ group: groupId }, deleted);
        if (deleted < chunk || this.pruneStopped) break;
      }
      if (rows > 0) logger.info({ groupId, rows, chunks, retentionMs }, 'pruned remembered event ids past the dedupe retention');
    } catch (e) {
      consumerDedupePruneFailures.inc({ group: groupId });
      logger.warn({ groupId, rows, err: errorText(e) }, 'pruning remembered event ids failed; retrying at the next interval');
    }
    return { rows, chunks };
  }

  /** One run at a time: the next is scheduled when this one ends, however long it took. */
  private schedulePrune(delayMs: number): void {
    if (this.pruneStopped) return;
    this.pruneTimer = setTimeout(() => {
      const run = this.pruneDedupe();
      this.pruning = run;
      void run.finally(() => {
        if (this.pruning === run) this.pruning = undefined;
        this.schedulePrune(this.options.dedupePruneIntervalMs ?? 10 * 60_000);
      });
    }, delayMs);
    this.pruneTimer.unref();
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
    return runInSpan(span, async () => {
      const outcomes = await this.applyBatchTransaction(topic, partition, messages, nextOffset, careful);
      span.setAttribute('pacer.batch.handled_count', outcomes.applied);
      return outcomes;
    });
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
    const { dataSource } = this.options;
    return dataSource.transaction(async (manager) => {
      const stored = await this.claimPartition(manager, topic, partition, nextOffset);
      const fresh = messages.filter((m) => BigInt(m.offset) >= stored);
      if (fresh.length === 0) {
        return new Outcomes();
      }
      const decoded = this.applier.decode(fresh.map((message) => ({ topic, partition, message })));
      const outcomes = await this.applier.apply(manager, decoded, careful);
      return outcomes;
    });
  }

  /**
   * Locks the partition's offset row for this transaction, moves it to `nextOffset` (never back) and
   * returns the offset stored before: records below it were applied by an earlier batch. Moving it at
   * the start is the same as at the end, as the batch commits or rolls back whole; one statement
   * instead of insert-if-missing, select-for-update and a closing update. The subquery's FOR UPDATE
   * makes a concurrent member (a zombie of a rebalance) wait and then read the version it committed.
   */
  private async claimPartition(manager: EntityManager, topic: string, partition: number, nextOffset: string): Promise<bigint> {
    const { groupId } = this.options;
    const params = [groupId, topic, partition, nextOffset];
    for (;;) {
      const [moved] = (await manager.query(
        `UPDATE consumer_offsets c SET next_offset = GREATEST(c.next_offset, $4::bigint), updated_at = now()
           FROM (SELECT next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3 FOR UPDATE) before
          WHERE c.group_id = $1 AND c.topic = $2 AND c.partition = $3
          RETURNING before.next_offset AS stored`,
        params,
      )) as [{ stored: string }[], number];
      const row = moved[0];
      if (row) return BigInt(row.stored);
      // The partition's first batch ever: nothing was applied before it.
      const inserted = (await manager.query(
        `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING next_offset`,
        params,
      )) as { next_offset: string }[];
      if (inserted.length > 0) return 0n;
      // Another member inserted it meanwhile: lock and read its row.
    }
  }
}
