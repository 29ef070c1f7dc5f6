import { CreateEventStore1764230400001 } from '@pacer/event-store';
import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { CreateAuditLog1765300000000, CreateRateLimits1765650000000, MigrationClass } from '@pacer/platform';
import { IndexActivityEvents1764300000000 } from './1764300000000-index-activity-events';
import { CreateCrmIntegrations1765700000000 } from './1765700000000-create-crm-integrations';
import { DropEventsTenantType1765800000000 } from './1765800000000-drop-events-tenant-type';

/** In order of application. The service publishes (outbox) and keeps its activities as events. */
export const MIGRATIONS: MigrationClass[] = [
  CreateOutbox1764230400000,
  CreateEventStore1764230400001,
  IndexActivityEvents1764300000000,
  CreateAuditLog1765300000000,
  CreateRateLimits1765650000000,
  CreateCrmIntegrations1765700000000,
  DropEventsTenantType1765800000000,
];
