import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, ServiceDefinition } from '@pacer/platform';
import { ConsistencyController } from './api/consistency.controller';
import { KpiConsistencyService } from './api/kpi-consistency.service';
import { KpisController } from './api/kpis.controller';
import { KpiQueryService } from './api/kpi-query.service';
import { KpiInputConsumer } from './consumers/kpi-input.consumer';
import { MIGRATIONS } from './migrations';
import { KpiRebuildController } from './rebuild/kpi-rebuild.controller';
import { KpiRebuildService } from './rebuild/kpi-rebuild.service';

@Module({
  controllers: [KpisController, ConsistencyController, KpiRebuildController],
  providers: [KpiInputConsumer, KpiQueryService, KpiConsistencyService, KpiRebuildService],
})
export class KpiAggregationModule {}

/** Pacer KPI aggregation: exact, restatable sales KPIs per rep, team and organisation. */
export const KpiAggregationService: ServiceDefinition = {
  service: 'kpi-aggregation',
  title: 'Pacer KPI aggregation',
  description: 'exact, restatable sales KPIs per rep, team and organisation.',
  module: (config, logger) => ({
    module: KpiAggregationModule,
    imports: [
      PlatformModule.forService({ service: 'kpi-aggregation', migrations: MIGRATIONS }, config, logger),
      AuditModule,
    ],
  }),
};
