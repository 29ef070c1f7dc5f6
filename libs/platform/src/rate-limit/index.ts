export * from './create-rate-limit-windows.migration';
export * from './postgres-throttler.storage';
export * from './rate-limit.module';
export * from './tenant-throttler.guard';
