import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Consumer, Kafka } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { Logger } from '@pacer/observability';
import { KpiChange, parseKpiRecord } from './kpi-visibility';

export type KpiListener = (change: KpiChange) => void;

/**
 * Every replica reads `pacer.kpi.v1` itself and fans each change out to its own open SSE connections.
 * The group id is unique per process and nothing is committed: a replica starts at the end of the
 * topic (a screen loads current numbers from the KPI API, then only needs changes), and a group that
 * never committed an offset disappears from the broker when the process leaves.
 */
export class KpiFeed {
  private readonly listeners = new Set<KpiListener>();
  private consumer?: Consumer;
  private joined = false;
  private positioned = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly logger: Logger,
  ) {}

  get topic(): string {
    return `${this.topicPrefix}${TOPICS.kpi}`;
  }

  /**
   * True once the consumer has joined and finished a fetch: kafkajs resolves "the end of the topic"
   * lazily at the first fetch after a join, so a change published between the join and that fetch
   * would be skipped; after it, every change is delivered.
   */
  get ready(): boolean {
    return this.joined && this.positioned;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  async start(): Promise<void> {
    const groupId = `pacer-web-live-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 250, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.positioned = false;
    });
    consumer.on(consumer.events.FETCH, () => {
      if (this.joined) this.positioned = true;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.positioned = false;
      this.logger.error({ err: e.payload.error }, 'KPI feed consumer crashed; kafkajs restarts it');
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const change = parseKpiRecord(message.key?.toString('utf8') ?? '', message.value);
        if (!change) return;
        for (const listener of this.listeners) listener(change);
      },
    });
  }

  subscribe(listener: KpiListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.joined = false;
    await this.consumer?.disconnect();
  }
}
