import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { CreateConsumerState1764230400100 } from '@pacer/messaging';
import { CreateAuditLog1765300000000, MigrationClass } from '@pacer/platform';
import { CreateKpiReadModels1764400000000 } from './1764400000000-create-kpi-read-models';
import { PerTenantRebuilds1765100000000 } from './1765100000000-per-tenant-rebuilds';
import { MemberNames1765200000000 } from './1765200000000-member-names';
import { OpportunityForecasts1765300000000 } from './1765300000000-opportunity-forecasts';

/** In order of application. KPIs are derived read models only: no event store, just consume and publish. */
export const MIGRATIONS: MigrationClass[] = [
  CreateOutbox1764230400000,
  CreateConsumerState1764230400100,
  CreateKpiReadModels1764400000000,
  PerTenantRebuilds1765100000000,
  MemberNames1765200000000,
  OpportunityForecasts1765300000000,
  CreateAuditLog1765300000000,
];

/** The read models a rebuild replays into shadow copies and swaps in (every table derived from the topics; not the published snapshots). */
export const REBUILT_TABLES = [
  'kpi_settings',
  'kpi_membership_events',
  'kpi_memberships',
  'kpi_sprints',
  'kpi_quotas',
  'kpi_cancels',
  'kpi_facts',
  'kpi_opportunity_events',
  'kpi_forecasts',
  'kpi_accumulators',
] as const;
