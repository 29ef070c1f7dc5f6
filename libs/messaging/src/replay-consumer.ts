import { Consumer, Kafka } from 'kafkajs';
import { DataSource, EntityManager } from 'typeorm';
import { consumerMessages, dlqMessages } from '@pacer/observability';
import { BatchApplier, BatchApplierOptions, Decoded, errorText, isTransientFailure, Outcomes } from './batch-applier';

/** One partition to replay: from `from` (the next offset to read) up to, not including, `to`. */
export interface ReplayPartition {
  topic: string;
  partition: number;
  from: string;
  /** The partition's high-water mark taken when the replay was decided on. */
  to: string;
}

/** How far a replay got on one partition: `offset` is the next offset to read. */
export interface ReplayPosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface ReplayConsumerOptions<E> extends BatchApplierOptions<E> {
  kafka: Kafka;
  dataSource: DataSource;
  /** The partitions and offset ranges to read; the replay ends when every one reached its `to`. */
  partitions: readonly ReplayPartition[];
  /**
   * Runs first in each chunk's transaction with the position reached on every partition read so
   * far: store the progress there (it commits with what the chunk applied), or throw to abort.
   */
  commitProgress(manager: EntityManager, reached: readonly ReplayPosition[]): Promise<void>;
  /** Decoded records per transaction at most (default 20,000). */
  chunkSize?: number;
  /**
   * Decoded records that make a chunk worth a transaction when none is in flight (default a quarter
   * of `chunkSize`): the database starts on the first records instead of idling until a full chunk is
   * read, and chunks grow to `chunkSize` while it is busy.
   */
  minChunkSize?: number;
  /**
   * Records of one chunk that may fail alone and be dead-lettered (default 10): one more fails the
   * replay, since a fault every record meets (a broken table, a bug) is not theirs to carry.
   */
  maxDeadLettersPerChunk?: number;
  /** A replay that reads nothing for this long while partitions are behind fails (default 60 s). */
  stallMs?: number;
}

/** What a finished replay did. */
export interface ReplayResult {
  applied: number;
  skipped: number;
  deadLettered: number;
  /** False when `stop()` ended it before every partition reached its mark. */
  complete: boolean;
}

const key = (topic: string, partition: number): string => `${topic}|${partition}`;

/** Thrown by `commitProgress`: the chunk is not retried record by record. */
class ProgressRejected extends Error {
  constructor(override readonly cause: unknown) {
    super(errorText(cause));
  }
}

/**
 * The batch consumer's replay mode: reads given partitions from given offsets up to marks fixed in
 * advance (a rebuild's high-water marks) and applies them through the same handler contract and the
 * same failure policy as the live consumer (BatchApplier: bisection, bounded retries, the dead letter
 * in the outbox of the chunk's transaction), in chunks of many records across partitions. Its
 * progress is whatever `commitProgress` stores, in the chunk's transaction; the consumer group is a
 * throwaway (positions are sought from `from`, never committed to Kafka) and deleted at the end.
 *
 * One chunk's transaction runs while the next chunk is fetched and decoded. A chunk that fails for a
 * reason other than the infrastructure is applied again with the failing record isolated; an
 * infrastructure failure ends the replay with that error (its caller resumes from the stored progress).
 */
export class ReplayConsumer<E> {
  private consumer?: Consumer;
  private readonly applier: BatchApplier<E>;
  private signalStop: () => void = () => undefined;
  private readonly stopped = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });

  constructor(private readonly options: ReplayConsumerOptions<E>) {
    // A chunk spans tenants and topics: a log context per record costs more than it tells.
    this.applier = new BatchApplier({ messageScopes: false, detachRecords: true, ...options });
  }

  /** Stops the replay: the chunk in flight commits, nothing after it. */
  async stop(): Promise<void> {
    this.signalStop();
    await this.consumer?.disconnect().catch(() => undefined);
  }

  async run(): Promise<ReplayResult> {
    const { kafka, groupId, partitions, logger } = this.options;
    const chunkSize = this.options.chunkSize ?? 20_000;
    const minChunkSize = Math.min(chunkSize, this.options.minChunkSize ?? Math.ceil(chunkSize / 4));
    const stallMs = this.options.stallMs ?? 60_000;
    const targets = new Map(partitions.map((p) => [key(p.topic, p.partition), BigInt(p.to)]));
    // `read`: next offset fetched per partition; `committed`: what the database has.
    const read = new Map(partitions.map((p) => [key(p.topic, p.partition), BigInt(p.from)]));
    const committed = new Map(read);
    const reachedAll = (at: Map<string, bigint>): boolean =>
      [...targets].every(([id, end]) => (at.get(id) ?? 0n) >= end);
    const total = new Outcomes();
    if (reachedAll(committed)) return { ...counts(total), complete: true };

    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition: 16 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      maxWaitTimeInMs: 50,
    });
    this.consumer = consumer;
    let pending = emptyDecoded<E>();
    let failed: unknown;
    let lastRead = Date.now();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const fail = (e: unknown): void => {
      failed ??= e instanceof ProgressRejected ? e.cause : e;
      resolveDone();
    };

    const flush = async (decoded: Decoded<E>, reached: [string, bigint][]): Promise<void> => {
      const positions = reached.map(([id, offset]) => {
        const cut = id.lastIndexOf('|');
        return { topic: id.slice(0, cut), partition: Number(id.slice(cut + 1)), offset: offset.toString() };
      });
      const attempt = (careful: boolean): Promise<Outcomes> =>
        this.options.dataSource.transaction(async (m) => {
          await this.options.commitProgress(m, positions).catch((e: unknown) => {
            throw new ProgressRejected(e);
          });
          return this.applier.apply(m, decoded, careful, this.options.maxDeadLettersPerChunk ?? 10);
        });
      let outcomes: Outcomes;
      try {
        outcomes = await attempt(false);
      } catch (e) {
        if (e instanceof ProgressRejected || isTransientFailure(e)) throw e;
        logger.warn({ groupId, err: errorText(e) }, 'replay chunk failed; isolating the failing record');
        outcomes = await attempt(true);
      }
      total.add(outcomes);
      this.report(outcomes);
      for (const [id, offset] of reached) committed.set(id, offset);
      // A slow commit is not a stalled replay: the watchdog counts from here too.
      lastRead = Date.now();
      if (reachedAll(committed)) resolveDone();
    };
    // One chunk in flight while the next is fetched and decoded: the database and this process overlap.
    let inFlight: Promise<void> | undefined;
    let flushing = false;
    const startFlush = async (): Promise<void> => {
      await inFlight;
      const decoded = pending;
      pending = emptyDecoded<E>();
      flushing = true;
      inFlight = flush(decoded, [...read])
        .catch(fail)
        .finally(() => {
          flushing = false;
        });
    };

    // A replay that stopped reading (a partition that cannot be read to its mark, a broker gone for
    // good) must end with a reason rather than wait forever.
    const watchdog = setInterval(() => {
      if (Date.now() - lastRead > stallMs && !reachedAll(committed)) {
        const behind = [...targets]
          .filter(([id, end]) => (read.get(id) ?? 0n) < end)
          .map(([id, end]) => `${id} at ${read.get(id) ?? 0n} of ${end}`);
        fail(new Error(`the replay read nothing for ${stallMs / 1000} s with partitions behind: ${behind.join(', ')}`));
      }
    }, 1_000);
    watchdog.unref();

    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      for (const [topic, assigned] of Object.entries(e.payload.memberAssignment)) {
        for (const partition of assigned)
          consumer.seek({ topic, partition, offset: (read.get(key(topic, partition)) ?? 0n).toString() });
      }
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) fail(e.payload.error);
    });
    try {
      await consumer.connect();
      for (const topic of new Set(partitions.map((p) => p.topic))) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat, isRunning }) => {
          if (failed !== undefined || !isRunning()) return;
          const id = key(batch.topic, batch.partition);
          const end = targets.get(id) ?? 0n;
          const from = read.get(id) ?? 0n;
          const wanted = batch.messages.filter((m) => {
            const offset = BigInt(m.offset);
            return offset >= from && offset < end;
          });
          const last = wanted[wanted.length - 1];
          if (last) {
            this.applier.decode(
              wanted.map((message) => ({ topic: batch.topic, partition: batch.partition, message })),
              pending,
            );
            read.set(id, BigInt(last.offset) + 1n);
            lastRead = Date.now();
          }
          const allRead = reachedAll(read);
          const due = pending.work.length >= (flushing ? chunkSize : minChunkSize);
          if (due || (allRead && (hasAny(pending) || !reachedAll(committed)))) {
            await startFlush();
            await heartbeat();
          }
        },
      });
      if (reachedAll(committed)) resolveDone();
      await Promise.race([done, this.stopped]);
    } finally {
      clearInterval(watchdog);
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      await inFlight;
      await this.deleteGroup();
    }
    if (failed !== undefined) throw failed;
    return { ...counts(total), complete: reachedAll(committed) };
  }

  private report(o: Outcomes): void {
    const group = this.options.groupId;
    // Chunks span topics: the replay's counts are labelled with no one topic.
    const topic = '*';
    if (o.applied > 0) consumerMessages.inc({ group, topic, outcome: 'applied' }, o.applied);
    if (o.deadLettered > 0) {
      consumerMessages.inc({ group, topic, outcome: 'dead_lettered' }, o.deadLettered);
      dlqMessages.inc({ group, topic }, o.deadLettered);
    }
  }

  private async deleteGroup(): Promise<void> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([this.options.groupId]);
    } catch (e) {
      this.options.logger.debug({ err: e, group: this.options.groupId }, 'could not delete the replay consumer group');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function emptyDecoded<E>(): Decoded<E> {
  return { work: [], poison: [], skipped: 0 };
}

function hasAny<E>(d: Decoded<E>): boolean {
  return d.work.length > 0 || d.poison.length > 0;
}

function counts(o: Outcomes): Omit<ReplayResult, 'complete'> {
  return { applied: o.applied, skipped: o.skipped, deadLettered: o.deadLettered };
}
