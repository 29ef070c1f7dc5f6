import { Module } from '@nestjs/common';
import { PlatformModule, ServiceDefinition } from '@pacer/platform';
import { MIGRATIONS } from './migrations';

@Module({})
export class CommissionModule {}

/** Pacer commission: commission plans, quotas and statements with every cent explained. */
export const CommissionService: ServiceDefinition = {
  service: 'commission',
  title: 'Pacer commission',
  description: 'commission plans, quotas and statements with every cent explained.',
  module: (config, logger) => ({
    module: CommissionModule,
    imports: [PlatformModule.forService({ service: 'commission', migrations: MIGRATIONS }, config, logger)],
  }),
};
