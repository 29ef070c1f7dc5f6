import { Module } from '@nestjs/common';
import { TenantRateLimiter, TenantRateLimitGuard } from '../rate-limit/tenant-rate-limit.guard';
import { ActivitiesController } from './activities.controller';
import { ActivityIngestionService } from './activity-ingestion.service';
import { ActivityRepository } from './activity.repository';
import { RequestTimeoutTuning } from './request-timeout.tuning';

@Module({
  controllers: [ActivitiesController],
  providers: [
    ActivityRepository,
    ActivityIngestionService,
    TenantRateLimiter,
    TenantRateLimitGuard,
    RequestTimeoutTuning,
  ],
})
export class ActivitiesModule {}
