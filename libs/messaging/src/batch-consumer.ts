import { setTimeout as delay } from 'node:timers/promises';
import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { DLQ_HEADERS } from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from '@pacer/event-store';
import {
  consumerBatchDuration,
  consumerBatchSize,
  consumerLag,
  consumerMessages,
  dlqMessages,
  Logger,
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
 */
export class BatchConsumer<E> {
  private consumer?: Consumer;
  private readonly maxRetries: number;
  private readonly retryBackoffMs: number;
  private joined?: Promise<void>;

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

  /** Finishes the batch in flight, then leaves the group. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
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
    const { batch, isRunning, isStale, heartbeat, resolveOffset } = payload;
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
    await this.consumer
      ?.commitOffsets([{ topic, partition, offset: nextOffset }])
      .catch((err: unknown) => this.options.logger.warn({ err }, 'kafka offset commit failed (the database has it)'));
    await heartbeat();

    const { groupId } = this.options;
    consumerBatchSize.observe({ group: groupId }, applied);
    consumerBatchDuration.observe({ group: groupId }, Number(process.hrtime.bigint() - started) / 1e9);
    const hw = BigInt(batch.highWatermark);
    const lag = hw - BigInt(nextOffset);
    consumerLag.set({ group: groupId, topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
  }

  /** Applies a batch in one transaction; returns how many messages reached the handler. */
  private async applyBatch(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    nextOffset: string,
    careful: boolean,
  ): Promise<number> {
    const { dataSource, groupId, handler, decode, eventId } = this.options;
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
            await this.deadLetter(ctx, topic, partition, message, headers, result.error, 0);
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
        if (!careful) {
          try {
            await handler.handle(consumed, ctx);
          } catch (e) {
            throw new PoisonMessage(i, e);
          }
        } else {
          const error = await this.handleWithRetries(consumed, ctx);
          if (error !== undefined) {
            if (eventId) {
              // Not processed: a later re-drive of the DLQ must not be mistaken for a duplicate.
              await manager.query(`DELETE FROM processed_events WHERE group_id = $1 AND event_id = $2`, [
                groupId,
                eventId(result.event),
              ]);
            }
            await this.deadLetter(ctx, topic, partition, message, headers, error, this.maxRetries + 1);
            continue;
          }
        }
        handled++;
        consumerMessages.inc({ group: groupId, topic, outcome: 'applied' });
      }
      await handler.afterBatch?.(ctx);
      await manager.query(
        `UPDATE consumer_offsets SET next_offset = $4, updated_at = now()
          WHERE group_id = $1 AND topic = $2 AND partition = $3`,
        [groupId, topic, partition, nextOffset],
      );
      return handled;
    });
  }

  /** Returns undefined on success, or the last error after every attempt failed. */
  private async handleWithRetries(message: ConsumedMessage<E>, ctx: BatchContext): Promise<string | undefined> {
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
        this.options.logger.warn(
          { topic: message.topic, partition: message.partition, offset: message.offset, attempt, err: lastError },
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
  ): Promise<void> {
    const { groupId, dlqTopic, logger } = this.options;
    logger.error({ topic, partition, offset: message.offset, err: error }, 'message sent to the DLQ');
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
