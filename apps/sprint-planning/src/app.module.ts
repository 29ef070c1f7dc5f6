import { Module } from '@nestjs/common';
import { AuditModule, PlatformModule, ServiceDefinition } from '@pacer/platform';
import { AdminController } from './admin/admin.controller';
import { CommandRunner } from './event-sourcing/command-runner';
import { KpiSnapshotConsumer } from './kpi/kpi-snapshot.consumer';
import { KpiSnapshotRepository } from './kpi/kpi-snapshot.repository';
import { MIGRATIONS } from './migrations';
import { OpportunityActivitiesRepository } from './opportunities/opportunity-activities.repository';
import { OpportunityActivityConsumer } from './opportunities/opportunity-activity.consumer';
import { ReadModelsRepository } from './projections/read-models.repository';
import { SprintPlanningProjection } from './projections/sprint-planning.projection';
import { SettingsController } from './settings/settings.controller';
import { SettingsService } from './settings/settings.service';
import { SprintCommandsService } from './sprints/sprint-commands.service';
import { SprintQueriesService } from './sprints/sprint-queries.service';
import { SprintsController } from './sprints/sprints.controller';
import { TeamCommandsService } from './teams/team-commands.service';
import { TeamQueriesService } from './teams/team-queries.service';
import { TeamsController } from './teams/teams.controller';

@Module({
  controllers: [SettingsController, TeamsController, SprintsController, AdminController],
  providers: [
    SprintPlanningProjection,
    ReadModelsRepository,
    KpiSnapshotRepository,
    KpiSnapshotConsumer,
    OpportunityActivitiesRepository,
    OpportunityActivityConsumer,
    CommandRunner,
    SettingsService,
    TeamCommandsService,
    TeamQueriesService,
    SprintCommandsService,
    SprintQueriesService,
  ],
})
export class SprintPlanningModule {}

/** Pacer sprint planning: teams, sales models and weekly sprints that reps are accountable for. */
export const SprintPlanningService: ServiceDefinition = {
  service: 'sprint-planning',
  title: 'Pacer sprint planning',
  description:
    'Tenant settings, teams with dated memberships, and weekly sprints with commitments, boards and reports.',
  module: (config, logger) => ({
    module: SprintPlanningModule,
    imports: [
      PlatformModule.forService({ service: 'sprint-planning', migrations: MIGRATIONS }, config, logger),
      AuditModule,
    ],
  }),
};
