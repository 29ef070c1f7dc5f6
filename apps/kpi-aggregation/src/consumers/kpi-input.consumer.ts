import { Injectable } from '@nestjs/common';
import { BatchContext } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { KpiInput } from '../domain/kpi-input';
import { kpiAggregationDuration, kpiBatchInputs, kpiBatchSnapshots } from '../observability/kpi.metrics';
import { KPI_INPUT_TOPICS } from '../rebuild/kpi-rebuild';
import { foldLiveBatch } from '../rebuild/kpi-rebuild-inbox';
import { KpiInputHandler } from './kpi-input.handler';
import { snapshotMessages } from './kpi-snapshot.events';

/**
 * Consumes every KPI input topic in one group (inputs read by KpiInputHandler); each batch is folded
 * into the read models and each changed snapshot published once, in the batch's transaction.
 */
@Injectable()
@KafkaConsumer({ topics: KPI_INPUT_TOPICS })
export class KpiInputConsumer extends KpiInputHandler {
  protected async fold(ctx: BatchContext, inputs: KpiInput[]): Promise<void> {
    const end = kpiAggregationDuration.startTimer();
    // Also parks the inputs of tenants being rebuilt for their rebuild (see rebuild/kpi-rebuild-inbox.ts).
    const published = await foldLiveBatch(ctx.manager, inputs);
    await ctx.publish(snapshotMessages(published));
    end();
    kpiBatchInputs.observe(inputs.length);
    kpiBatchSnapshots.observe(published.length);
  }
}
