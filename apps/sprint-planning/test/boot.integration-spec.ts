import { describeServiceBoot } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';

describeServiceBoot(SprintPlanningService, ['outbox', 'events', 'streams', 'consumer_offsets', 'processed_events']);
