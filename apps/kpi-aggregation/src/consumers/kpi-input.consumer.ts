import { Injectable } from '@nestjs/common';
import { PacerEvent } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { KpiInput, toKpiInput } from '../domain/kpi-input';
import { kpiAggregationDuration, kpiBatchInputs, kpiBatchSnapshots } from '../observability/kpi.metrics';
import { KPI_INPUT_TOPICS } from '../rebuild/kpi-rebuild';
import { foldLiveBatch } from '../rebuild/kpi-rebuild-inbox';
import { assertPlaceable } from './kpi-placeable';
import { snapshotMessages } from './kpi-snapshot.events';

/**
 * Consumes every KPI input topic in one group. `handle` only reads each event into an input (and
 * throws for one no calendar can place, which the platform dead-letters); `afterBatch` folds the whole
 * batch into the read models and publishes each changed snapshot once, in the batch's transaction.
 */
@Injectable()
@KafkaConsumer({ topics: KPI_INPUT_TOPICS })
export class KpiInputConsumer implements ConsumerHandler<PacerEvent> {
  private readonly pending = new WeakMap<BatchContext, KpiInput[]>();

  async handle(message: ConsumedMessage<PacerEvent>, ctx: BatchContext): Promise<void> {
    const input = toKpiInput(message.event);
    if (!input) return;
    assertPlaceable(input);
    const list = this.pending.get(ctx);
    if (list) list.push(input);
    else this.pending.set(ctx, [input]);
  }

  async afterBatch(ctx: BatchContext): Promise<void> {
    const inputs = this.pending.get(ctx) ?? [];
    this.pending.delete(ctx);
    if (inputs.length === 0) return;
    const end = kpiAggregationDuration.startTimer();
    // Also parks the inputs of tenants being rebuilt for their rebuild (see rebuild/kpi-rebuild-inbox.ts).
    const published = await foldLiveBatch(ctx.manager, inputs);
    await ctx.publish(snapshotMessages(published));
    end();
    kpiBatchInputs.observe(inputs.length);
    kpiBatchSnapshots.observe(published.length);
  }
}
