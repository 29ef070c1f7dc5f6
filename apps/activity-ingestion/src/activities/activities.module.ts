import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities.controller';
import { ActivityIngestionService } from './activity-ingestion.service';
import { ActivityRepository } from './activity.repository';
import { RequestTimeoutTuning } from './request-timeout.tuning';

@Module({
  controllers: [ActivitiesController],
  providers: [
    ActivityRepository,
    ActivityIngestionService,
    RequestTimeoutTuning,
  ],
  // The CRM intake writes its activities through the same repository (idempotency, outbox, audit).
  exports: [ActivityRepository],
})
export class ActivitiesModule {}
