import { CreateEventStore1764230400001 } from '@pacer/event-store';
import { CreateOutbox1764230400000 } from '@pacer/messaging';
import { CreateConsumerState1764230400100 } from '@pacer/messaging';
import { CreateAuditLog1765300000000, MigrationClass } from '@pacer/platform';
import { CreateCommissionTables1764900000000 } from './1764900000000-create-commission-tables';
import { CommissionGovernance1765000000000 } from './1765000000000-commission-governance';
import { MembershipRecordedAt1766100000000 } from './1766100000000-membership-recorded-at';

/** In order of application. Plans are event-sourced; the service also consumes activities and roster. */
export const MIGRATIONS: MigrationClass[] = [
  CreateOutbox1764230400000,
  CreateEventStore1764230400001,
  CreateConsumerState1764230400100,
  CreateCommissionTables1764900000000,
  CommissionGovernance1765000000000,
  CreateAuditLog1765300000000,
  MembershipRecordedAt1766100000000,
];
