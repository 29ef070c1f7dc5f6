import { PacerEvent } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KpiInput, toKpiInput } from '../domain/kpi-input';
import { assertPlaceable } from './kpi-placeable';

/**
 * How KPI inputs are read, live and in a rebuild's replay alike: `handle` only reads each event into
 * an input (and throws for one no calendar can place, which the batch consumer dead-letters);
 * `afterBatch` hands the whole batch to `fold`, in the batch's transaction.
 */
export abstract class KpiInputHandler implements ConsumerHandler<PacerEvent> {
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
    await this.fold(ctx, inputs);
  }

  protected abstract fold(ctx: BatchContext, inputs: KpiInput[]): Promise<void>;
}
