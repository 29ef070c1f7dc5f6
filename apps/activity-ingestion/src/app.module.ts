import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, RateLimitModule, ServiceDefinition } from '@pacer/platform';
import { ActivitiesModule } from './activities/activities.module';
import { MIGRATIONS } from './migrations';

@Module({})
export class ActivityIngestionModule {}

/** Pacer activity ingestion: the front door for every rep activity: single, batch and bulk, exactly once. */
export const ActivityIngestionService: ServiceDefinition = {
  service: 'activity-ingestion',
  title: 'Pacer activity ingestion',
  description: 'the front door for every rep activity: single, batch and bulk, exactly once.',
  module: (config, logger) => ({
    module: ActivityIngestionModule,
    imports: [
      PlatformModule.forService({ service: 'activity-ingestion', migrations: MIGRATIONS }, config, logger),
      RateLimitModule.forService(config),
      ActivitiesModule,
      AuditModule,
    ],
  }),
};
