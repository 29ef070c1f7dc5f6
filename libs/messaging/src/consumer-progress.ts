/** What `/health/consumers` and the progress gauges know about one partition a member owns. */
export interface PartitionStatus {
  topic: string;
  partition: number;
  /** Records between the next offset to apply and the high watermark; null until both are known. */
  lag: number | null;
  /** 0 while nothing waits; otherwise seconds since the partition last applied a batch or was seen caught up. */
  waitingSeconds: number;
  lastAppliedAt: string | null;
  /** The last failure that kept a batch of this partition from committing (cleared by the next commit). */
  lastError?: string;
}

export interface ConsumerStatus {
  groupId: string;
  /** `crashed`: kafkajs gave up and will not restart the member, so nothing of its topics is applied. */
  state: 'starting' | 'running' | 'crashed' | 'stopped';
  error?: string;
  partitions: PartitionStatus[];
}

interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to apply, from the stored offsets, then every commit. */
  next: bigint | null;
  /** Earliest offset still on the broker: where a partition with no stored offset starts. */
  low: bigint | null;
  high: bigint | null;
  /** When the partition last applied a batch, was seen caught up, or was assigned (ms). */
  progressAt: number;
  appliedAt: number | null;
  lastError?: string;
}

/**
 * Per-partition progress of one consumer member: the lag (high watermark minus the next offset to
 * apply) and how long records have been waiting with nothing applied. Pure bookkeeping; the consumer
 * feeds it assignments, stored offsets, broker watermarks and commits.
 */
export class ConsumerProgress {
  private readonly partitions = new Map<string, PartitionState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Replaces the owned partitions; returns those no longer owned (their metric series must go). */
  assign(assignment: Record<string, number[]>): { topic: string; partition: number }[] {
    const owned = new Set<string>();
    const at = this.now();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const id = `${topic}|${partition}`;
        owned.add(id);
        if (!this.partitions.has(id)) this.partitions.set(id, { topic, partition, next: null, low: null, high: null, progressAt: at, appliedAt: null });
      }
    }
    const dropped: { topic: string; partition: number }[] = [];
    for (const [id, state] of this.partitions) {
      if (!owned.has(id)) {
        this.partitions.delete(id);
        dropped.push({ topic: state.topic, partition: state.partition });
      }
    }
    return dropped;
  }

  storedOffset(topic: string, partition: number, next: string): void {
    const state = this.partitions.get(`${topic}|${partition}`);
    if (state && (state.next === null || BigInt(next) > state.next)) state.next = BigInt(next);
  }

  watermarks(topic: string, partition: number, low: string | null, high: string): void {
    const state = this.partitions.get(`${topic}|${partition}`);
    if (!state) return;
    if (low !== null) state.low = BigInt(low);
    state.high = BigInt(high);
  }

  applied(topic: string, partition: number, next: string, high: string): void {
    const state = this.partitions.get(`${topic}|${partition}`);
    if (!state) return;
    const at = this.now();
    state.next = BigInt(next);
    state.high = BigInt(high) > (state.high ?? -1n) ? BigInt(high) : state.high;
    state.progressAt = at;
    state.appliedAt = at;
    state.lastError = undefined;
  }

  failed(topic: string, partition: number, error: string): void {
    const state = this.partitions.get(`${topic}|${partition}`);
    if (state) state.lastError = error;
  }

  topics(): string[] {
    return [...new Set([...this.partitions.values()].map((p) => p.topic))];
  }

  /** Current lag and waiting time of every owned partition; a caught-up partition counts as progress now. */
  observe(): PartitionStatus[] {
    const at = this.now();
    return [...this.partitions.values()].map((p) => {
      const next = p.next ?? p.low;
      const lag = next !== null && p.high !== null ? (p.high > next ? p.high - next : 0n) : null;
      if (lag === 0n) p.progressAt = at;
      return {
        topic: p.topic,
        partition: p.partition,
        lag: lag === null ? null : Number(lag),
        // Unknown lag with a failing batch is waiting too: the broker may be what is unreachable.
        waitingSeconds: lag === 0n || (lag === null && p.lastError === undefined) ? 0 : Math.max(0, (at - p.progressAt) / 1000),
        lastAppliedAt: p.appliedAt === null ? null : new Date(p.appliedAt).toISOString(),
        ...(p.lastError !== undefined ? { lastError: p.lastError } : {}),
      };
    });
  }
}
