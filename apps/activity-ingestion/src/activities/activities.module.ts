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
})
export class ActivitiesModule {}
