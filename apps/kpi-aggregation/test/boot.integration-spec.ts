import { describeServiceBoot } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';

describeServiceBoot(KpiAggregationService, [
  'outbox',
  'consumer_offsets',
  'processed_events',
  'kpi_rebuilds',
  'kpi_facts',
  'kpi_accumulators',
  'kpi_snapshots',
]);
