import { describeServiceBoot } from '@pacer/testing';
import { CommissionService } from '../src/app.module';

describeServiceBoot(CommissionService, ['outbox', 'events', 'streams', 'consumer_offsets', 'processed_events']);
