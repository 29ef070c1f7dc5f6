import { describeServiceBoot } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';

describeServiceBoot(KpiAggregationService, ['outbox', 'consumer_offsets', 'processed_events']);
