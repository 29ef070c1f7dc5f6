import type { TlsClientOptions } from '@pacer/config';
import { Client } from 'pg';
import { Admin, CompressionTypes, IHeaders, Kafka, PartitionMetadata, Partitioners, Producer } from 'kafkajs';
import { Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  extractTraceContext,
  injectTraceHeaders,
  Logger,
  outboxBacklog,
  outboxPublished,
  outboxPublishLatency,
  pacerTracer,
  setOldestOutboxRow,
  TRACE_HEADERS,
  tracingEnabled,
} from '@pacer/observability';

export interface OutboxRelayOptions {
  /** Connection string of the database that holds the outbox. */
  databaseUrl: string;
  /** TLS and statement timeout of the relay's connection (ServiceConfig.database); plain when omitted. */
  postgres?: { ssl?: false | TlsClientOptions; statementTimeoutMs?: number };
  kafka: Kafka;
  logger: Logger;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (e.g. the listener connection was re-established). */
  pollMs?: number;
  /** Name of the advisory lock that elects one active relay among a service's replicas. */
  lockName?: string;
  /** Prepended to each row's topic: rows always name the canonical SPEC topic. */
  topicPrefix?: string;
}

interface OutboxRow {
  seq: string;
  topic: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  created_at: Date;
}

const BACKLOG_SAMPLE_MS = 5_000;

interface PartitionGroup {
  topic: string;
  partition: number;
  rows: OutboxRow[];
  messages: { key: string | null; value: Buffer; headers: IHeaders; partition: number }[];
  spans: Span[];
}

/**
 * Publishes outbox rows to Kafka with an idempotent producer, oldest first, and deletes them once the
 * broker has acknowledged them.
 *
 * Why there is no "last published seq" cursor: Postgres hands out bigserial values at insert time, so
 * a row with a lower seq can commit after one with a higher seq. A cursor would step over it forever.
 * Instead every iteration reads whatever rows exist now; a late committer is simply picked up next
 * time. A crash between the broker's ack and the DELETE republishes those rows with the same
 * CloudEvent ids, which consumers deduplicate — the price of at-least-once, never a lost record.
 *
 * Only one replica publishes at a time (a session advisory lock on the relay's own connection), so
 * records of one key are never sent by two producers at once and per-key order holds.
 *
 * Row headers are published as they are. While tracing is on, a row that carries a `traceparent`
 * gets a producer span (child of that context, starting at the outbox commit and ending at the
 * broker's ack, so it shows the outbox wait) and the record carries that span's context instead.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly lockName: string;
  private readonly topicPrefix: string;
  private client?: Client;
  private producer?: Producer;
  private admin?: Admin;
  /** Partition lists per topic; Pacer never adds partitions to a topic (per-key order), so they stay valid. */
  private readonly partitions = new Map<string, PartitionMetadata[]>();
  /** The producer's own partitioner (Java-compatible murmur2), so records land where they always did. */
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private leader = false;
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lastBacklogSample = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.topicPrefix = options.topicPrefix ?? '';
    this.pollMs = options.pollMs ?? 250;
    this.lockName = options.lockName ?? 'pacer_outbox_relay';
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    if (this.loop) {
      return;
    }
    this.stopping = false;
    this.loop = this.run();
  }

  /**
   * Finishes the batch in flight, releases the leadership and disconnects. With `drainMs`, the
   * leader first keeps publishing what is committed (e.g. the last consumer batch's records) for at
   * most that long, so a shutdown does not leave them waiting for the next leader.
   */
  async stop(options: { drainMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    const drainMs = options.drainMs ?? 0;
    if (drainMs > 0 && this.leader) {
      const deadline = Date.now() + drainMs;
      try {
        while (Date.now() < deadline && (await this.publishBatch()) > 0) {
          // keep going: every batch is acknowledged and deleted before the next one is read
        }
      } catch (e) {
        this.options.logger.warn({ err: e }, 'outbox drain on shutdown failed; the next leader publishes the rest');
      }
    }
    await this.disconnect();
  }

  /** Publishes everything committed so far (used by tests and the benchmark; normally the loop does it). */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.publishBatch();
      total += n;
      if (n === 0) {
        return total;
      }
    }
  }

  private async run(): Promise<void> {
    let backoff = this.pollMs;
    while (!this.stopping) {
      try {
        // publishBatch connects and tries to take the leadership itself; a follower just waits longer.
        const published = await this.publishBatch();
        backoff = this.pollMs;
        if (!this.leader) {
          await this.sleep(this.pollMs * 4);
        } else if (published < this.batchSize) {
          await this.sleep(this.pollMs);
        }
      } catch (e) {
        this.options.logger.error({ err: e }, 'outbox relay iteration failed; reconnecting');
        await this.disconnect();
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  /** Postgres and the leadership; kept apart from Kafka so the backlog is still read while Kafka is down. */
  private async connectDatabase(): Promise<void> {
    if (!this.client) {
      const { ssl, statementTimeoutMs } = this.options.postgres ?? {};
      const client = new Client({
        connectionString: this.options.databaseUrl,
        application_name: 'pacer-outbox-relay',
        ...(ssl ? { ssl } : {}),
        ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
      });
      client.on('notification', () => this.wake?.());
      // A dropped connection also drops the advisory lock: stop acting as leader until we hold it again.
      client.on('error', (err) => {
        this.options.logger.warn({ err }, 'outbox relay connection lost');
        this.leader = false;
        this.client = undefined;
        void client.end().catch(() => undefined);
      });
      await client.connect();
      await client.query('LISTEN pacer_outbox');
      this.client = client;
    }
    if (!this.leader) {
      const { rows } = await this.client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
        [this.lockName],
      );
      this.leader = rows[0]?.locked === true;
      if (this.leader) {
        this.options.logger.info('outbox relay is the active publisher');
      }
    }
  }

  private async connectProducer(): Promise<void> {
    if (!this.producer) {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // When a partition leader dies, its new leader is elected ~9 s later (the broker session
        // timeout). With the client's doubling backoff a send would by then wait 10-20 s for its next
        // attempt (the failover test measured 38 s without publishing); capped at 2 s it publishes
        // within 2 s of the election, and ~60 s of attempts still outlast a failover before the loop
        // above reconnects.
        retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 30 },
      });
      await producer.connect();
      this.producer = producer;
    }
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    let partitions = this.partitions.get(topic);
    if (!partitions) {
      const admin = this.admin;
      if (!admin) throw new Error('outbox relay: no Kafka admin connection');
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      partitions = topics[0]?.partitions ?? [];
      if (partitions.length === 0) throw new Error(`outbox relay: topic ${topic} has no partitions`);
      this.partitions.set(topic, partitions);
    }
    return partitions;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    const producer = this.producer;
    const admin = this.admin;
    this.client = undefined;
    this.producer = undefined;
    this.admin = undefined;
    this.partitions.clear();
    this.leader = false;
    await Promise.allSettled([client?.end(), producer?.disconnect(), admin?.disconnect()]);
  }

  private async publishBatch(): Promise<number> {
    await this.connectDatabase();
    const client = this.client;
    if (!client || !this.leader) {
      // A follower publishes nothing, so it has no oldest row to report (the leader does).
      if (client) setOldestOutboxRow(undefined);
      return 0;
    }
    const { rows } = await client.query<OutboxRow>(
      'SELECT seq, topic, key, value, headers, created_at FROM outbox ORDER BY seq LIMIT $1',
      [this.batchSize],
    );
    await this.sampleBacklog(client, rows.length);
    // Seq order is commit order give or take a concurrent transaction: close enough for an age alert.
    setOldestOutboxRow(rows[0]?.created_at);
    if (rows.length === 0) {
      return 0;
    }
    // Only now Kafka: with it down, the loop above still reports the backlog and its age each retry.
    await this.connectProducer();
    const producer = this.producer;
    if (!producer) {
      return 0;
    }
    // One send per topic-partition, in seq order within it. Not one sendBatch for all: kafkajs 2.2.4
    // retries a multi-broker request only towards brokers that have not answered yet, so a partition
    // whose leader died and moved to a broker that had already acknowledged its own share is never
    // re-sent, and sendBatch still resolves (tulios/kafkajs#1303, #1798). The broker-failover chaos
    // test lost records that way. A send for one partition has one leader to answer for it.
    const groups = new Map<string, PartitionGroup>();
    const traced = tracingEnabled();
    // A keyed record's partition is murmur2(key) modulo the partition count, so a key seen earlier in
    // the batch is not hashed again (the partitioner also filters the partition list on each call):
    // it was half of this method's own CPU in the commission bench, 100 keys among 500 rows. An
    // unkeyed record still asks the partitioner every time (round-robin).
    const keyed = new Map<string, number>();
    for (const row of rows) {
      const topic = this.topicPrefix + row.topic;
      const partitionMetadata = this.partitions.get(topic) ?? (await this.partitionsOf(topic));
      const memo = row.key === null ? undefined : `${topic}\u0000${row.key}`;
      let partition = memo === undefined ? undefined : keyed.get(memo);
      if (partition === undefined) {
        partition = this.partitioner({ topic, partitionMetadata, message: { key: row.key, value: row.value } });
        if (memo !== undefined) keyed.set(memo, partition);
      }
      const id = `${topic}\u0000${partition}`;
      let group = groups.get(id);
      if (!group) {
        group = { topic, partition, rows: [], messages: [], spans: [] };
        groups.set(id, group);
      }
      const headers = traced ? this.producerSpan(topic, row, group.spans) : row.headers;
      group.rows.push(row);
      group.messages.push({ key: row.key, value: row.value, headers, partition });
    }
    const list = [...groups.values()];
    const results = await Promise.allSettled(
      list.map((g) => producer.send({ topic: g.topic, acks: -1, compression: CompressionTypes.None, messages: g.messages })),
    );
    const sent: OutboxRow[] = [];
    let failure: unknown;
    list.forEach((group, i) => {
      const result = results[i];
      if (result?.status === 'fulfilled') {
        sent.push(...group.rows);
        for (const span of group.spans) span.end();
        return;
      }
      failure ??= result?.reason;
      for (const span of group.spans) {
        span.recordException(result?.reason instanceof Error ? result.reason : String(result?.reason));
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
    // What the brokers acknowledged is done even when another partition failed: deleting it now
    // keeps the retry from publishing it twice. The failed partitions' rows stay, in order.
    if (sent.length > 0) {
      await client.query('DELETE FROM outbox WHERE seq = ANY($1::bigint[])', [sent.map((r) => r.seq)]);
    }
    const now = Date.now();
    for (const row of sent) {
      outboxPublished.inc({ topic: row.topic });
      outboxPublishLatency.observe(Math.max(0, now - row.created_at.getTime()) / 1000);
    }
    if (failure !== undefined) throw failure;
    return rows.length;
  }

  /** Starts the row's producer span and returns the headers to publish, carrying that span's context. */
  private producerSpan(topic: string, row: OutboxRow, spans: Span[]): Record<string, string> {
    if (row.headers[TRACE_HEADERS.traceparent] === undefined) {
      return row.headers;
    }
    const parent = extractTraceContext(row.headers);
    const span = pacerTracer().startSpan(
      `send ${topic}`,
      {
        kind: SpanKind.PRODUCER,
        startTime: row.created_at,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': topic,
          ...(row.key !== null ? { 'messaging.kafka.message.key': row.key } : {}),
          'pacer.outbox.seq': row.seq,
        },
      },
      parent,
    );
    spans.push(span);
    const headers = { ...row.headers };
    delete headers[TRACE_HEADERS.traceparent];
    delete headers[TRACE_HEADERS.tracestate];
    return injectTraceHeaders(headers, trace.setSpan(parent, span));
  }

  private async sampleBacklog(client: Client, fetched: number): Promise<void> {
    if (fetched < this.batchSize) {
      outboxBacklog.set(fetched);
      return;
    }
    const now = Date.now();
    if (now - this.lastBacklogSample < BACKLOG_SAMPLE_MS) {
      return;
    }
    this.lastBacklogSample = now;
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM outbox');
    outboxBacklog.set(Number(rows[0]?.n ?? 0));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
