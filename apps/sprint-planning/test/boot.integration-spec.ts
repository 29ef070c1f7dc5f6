import { describeServiceBoot } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';

describeServiceBoot(SprintPlanningService, [
  'outbox',
  'events',
  'streams',
  'consumer_offsets',
  'processed_events',
  'tenant_settings',
  'teams',
  'team_memberships',
  'sprints',
  'sprint_commitments',
  'sprint_items',
  'sprint_reports',
  'kpi_snapshots',
]);
