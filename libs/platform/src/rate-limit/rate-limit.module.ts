import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '@pacer/config';
import { PostgresThrottlerStorage } from './postgres-throttler.storage';
import { TENANT_THROTTLER, TenantThrottlerGuard } from './tenant-throttler.guard';

const MINUTE_MS = 60_000;

/**
 * The per-tenant rate limit (SPEC §7 "bursts get 429"): PACER_RATE_LIMIT_PER_MINUTE requests per
 * tenant per minute (a burst of that many, refilled continuously), counted in the service's database
 * so it holds across replicas. A service imports this module, lists CreateRateLimits in its
 * migrations and puts `@UseGuards(TenantThrottlerGuard)` on the controllers it limits.
 */
@Module({})
export class RateLimitModule {
  static forService(config: ServiceConfig): DynamicModule {
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => ({
            throttlers: [{ name: TENANT_THROTTLER, ttl: MINUTE_MS, limit: config.http.rateLimitPerMinute }],
            storage: new PostgresThrottlerStorage(dataSource),
          }),
        }),
      ],
      providers: [TenantThrottlerGuard],
      exports: [TenantThrottlerGuard],
    };
  }
}
