import { CreateEventStore1764230400001 } from '@pacer/event-store';
import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { CreateConsumerState1764230400100 } from '@pacer/messaging';
import { CreateAuditLog1765300000000, MigrationClass } from '@pacer/platform';
import { CreateSprintPlanningReadModels1764500000000 } from './1764500000000-create-sprint-planning-read-models';
import { DealsRequireApproval1765300000100 } from './1765300000100-deals-require-approval';
import { OpportunityActivities1765400000000 } from './1765400000000-opportunity-activities';

/** In order of application. Teams and sprints are event-sourced; the service also consumes. */
export const MIGRATIONS: MigrationClass[] = [
  CreateOutbox1764230400000,
  CreateEventStore1764230400001,
  CreateConsumerState1764230400100,
  CreateSprintPlanningReadModels1764500000000,
  CreateAuditLog1765300000000,
  DealsRequireApproval1765300000100,
  OpportunityActivities1765400000000,
];
