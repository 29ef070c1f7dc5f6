import { Module } from '@nestjs/common';
import { PlatformModule, ServiceDefinition } from '@pacer/platform';
import { MIGRATIONS } from './migrations';

@Module({})
export class KpiAggregationModule {}

/** Pacer KPI aggregation: exact, restatable sales KPIs per rep, team and organisation. */
export const KpiAggregationService: ServiceDefinition = {
  service: 'kpi-aggregation',
  title: 'Pacer KPI aggregation',
  description: 'exact, restatable sales KPIs per rep, team and organisation.',
  module: (config, logger) => ({
    module: KpiAggregationModule,
    imports: [PlatformModule.forService({ service: 'kpi-aggregation', migrations: MIGRATIONS }, config, logger)],
  }),
};
