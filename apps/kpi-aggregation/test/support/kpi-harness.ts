import { KpiSnapshotData, KpiMetrics, KpiScope, PacerEvent, PeriodType } from '@pacer/contracts';
import { KpiBatchProcessor, PublishedSnapshot } from '../../src/domain/kpi-batch.processor';
import { toKpiInput } from '../../src/domain/kpi-input';
import { keyIdOf } from '../../src/domain/kpi-key';
import { snapshotData } from '../../src/domain/kpi-snapshot';
import { MemoryKpiStore } from '../../src/domain/memory-kpi.store';

/**
 * The aggregation core on the in-memory store, fed CloudEvents in batches like the consumer does.
 * `topic` plays the compacted KPI topic: the last published snapshot per key.
 */
export class KpiHarness {
  readonly store = new MemoryKpiStore();
  readonly processor = new KpiBatchProcessor(this.store);
  readonly topic = new Map<string, KpiSnapshotData>();
  readonly published: PublishedSnapshot[] = [];

  constructor(readonly tenantId: string) {}

  /** Processes the events in batches of `batchSize` (all at once by default). */
  async feed(events: readonly PacerEvent[], batchSize = Math.max(1, events.length), publish = true): Promise<PublishedSnapshot[]> {
    const out: PublishedSnapshot[] = [];
    for (let i = 0; i < events.length; i += batchSize) {
      const inputs = events.slice(i, i + batchSize).flatMap((e) => {
        const input = toKpiInput(e);
        return input ? [input] : [];
      });
      const published = await this.processor.process(inputs, { publish });
      this.record(published);
      out.push(...published);
    }
    return out;
  }

  /** Ends a rebuild: compares everything with what was published and publishes the differences. */
  async publishEverything(): Promise<PublishedSnapshot[]> {
    const published = await this.processor.publishEverything();
    this.record(published);
    return published;
  }

  private record(published: readonly PublishedSnapshot[]): void {
    for (const p of published) {
      this.published.push(p);
      this.topic.set(p.snapshot.keyId, snapshotData(p.snapshot));
    }
  }

  snapshot(scope: KpiScope, scopeId: string, periodType: PeriodType, periodKey: string): KpiSnapshotData | undefined {
    return this.topic.get(keyIdOf(this.tenantId, { scope, scopeId, periodType, periodKey }));
  }

  metrics(scope: KpiScope, scopeId: string, periodType: PeriodType, periodKey: string): KpiMetrics | undefined {
    return this.snapshot(scope, scopeId, periodType, periodKey)?.metrics;
  }

  /** Snapshot data per key without revisions (what two runs must agree on). */
  state(): Map<string, Omit<KpiSnapshotData, 'revision'>> {
    return new Map([...this.topic].map(([k, { revision: _revision, ...rest }]) => [k, rest]));
  }
}
