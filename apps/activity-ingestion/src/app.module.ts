import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, RateLimitModule, ServiceDefinition } from '@pacer/platform';
import { ActivitiesModule } from './activities/activities.module';
import { readCrmSettings } from './integrations/crm-settings';
import { IntegrationsModule } from './integrations/integrations.module';
import { MIGRATIONS } from './migrations';

@Module({})
export class ActivityIngestionModule {}

/** Pacer activity ingestion: the front door for every rep activity: single, batch and bulk, exactly once. */
export const ActivityIngestionService: ServiceDefinition = {
  service: 'activity-ingestion',
  title: 'Pacer activity ingestion',
  description: 'the front door for every rep activity: single, batch and bulk, exactly once.',
  module: (config, logger, env: NodeJS.ProcessEnv = process.env) => ({
    module: ActivityIngestionModule,
    imports: [
      PlatformModule.forService({ service: 'activity-ingestion', migrations: MIGRATIONS }, config, logger),
      RateLimitModule.forService(config),
      ActivitiesModule,
      IntegrationsModule.register(readCrmSettings(env, config.production)),
      AuditModule,
    ],
  }),
};
