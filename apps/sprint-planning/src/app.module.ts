import { Module } from '@nestjs/common';
import { PlatformModule, ServiceDefinition } from '@pacer/platform';
import { MIGRATIONS } from './migrations';

@Module({})
export class SprintPlanningModule {}

/** Pacer sprint planning: teams, sales models and weekly sprints that reps are accountable for. */
export const SprintPlanningService: ServiceDefinition = {
  service: 'sprint-planning',
  title: 'Pacer sprint planning',
  description: 'teams, sales models and weekly sprints that reps are accountable for.',
  module: (config, logger) => ({
    module: SprintPlanningModule,
    imports: [PlatformModule.forService({ service: 'sprint-planning', migrations: MIGRATIONS }, config, logger)],
  }),
};
