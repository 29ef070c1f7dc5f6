export * from './create-rate-limits.migration';
export * from './postgres-throttler.storage';
export * from './rate-limit.module';
export * from './tenant-throttler.guard';
