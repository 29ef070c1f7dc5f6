import { describeServiceBoot } from '@pacer/testing';
import { CommissionService } from '../src/app.module';

describeServiceBoot(CommissionService, [
  'outbox',
  'events',
  'streams',
  'consumer_offsets',
  'processed_events',
  'plan_versions',
  'plan_assignments',
  'quotas',
  'deal_credits',
  'deal_cancellations',
  'statements',
  'statement_lines',
  'ledger_lines',
  'deal_exceptions',
  'team_membership_events',
  'tenant_calendars',
  'closed_periods',
  'disputes',
  'deal_approval_settings',
  'deal_decisions',
  'audit_log',
]);
