import { describeServiceBoot } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';

describeServiceBoot(ActivityIngestionService, ['outbox', 'events', 'streams']);
