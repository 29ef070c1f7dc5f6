import { Injectable } from '@nestjs/common';
import { PacerEvent, TOPICS } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { isUsedSnapshot, KpiSnapshotRepository } from './kpi-snapshot.repository';

/**
 * Board actuals come from the KPI service (so the two always agree): its compacted snapshot stream
 * is kept here as the latest revision per key. Writing through the batch's transaction and keeping
 * the higher revision makes the handler idempotent and order-proof.
 */
@Injectable()
@KafkaConsumer({ topics: [TOPICS.kpi] })
export class KpiSnapshotConsumer implements ConsumerHandler<PacerEvent> {
  constructor(private readonly snapshots: KpiSnapshotRepository) {}

  async handle(message: ConsumedMessage<PacerEvent>, ctx: BatchContext): Promise<void> {
    const event = message.event;
    if (event.type !== 'pacer.kpi.snapshot.v1' || !isUsedSnapshot(event.data)) return;
    await this.snapshots.upsert(ctx.manager, event.tenantid, event.data);
  }
}
