import type { Role } from '@pacer/contracts';
import type { DealFact } from '../calculation/statement.types';

/** Facts a batch brought, buffered in memory and written with one statement per kind after the batch. */
export interface WinFact extends Omit<DealFact, 'cancellation'> {
  tenantId: string;
  /** The rep credited (one fact per rep of a split deal). */
  repId: string;
  /** Who recorded the deal (CloudEvent extensions `recordedby`, `recordedrole`); null on older events. */
  recordedBy: string | null;
  recordedRole: string | null;
  recordedAt: string;
}

export interface CancellationFactRow {
  tenantId: string;
  activityId: string;
  dealId: string;
  repId: string;
  eventId: string;
  occurredAt: string;
}

export interface VoidFact {
  tenantId: string;
  activityId: string;
  eventId: string;
}

export interface SettingsFact {
  tenantId: string;
  timezone: string;
  weekStartsOn: number;
  fiscalYearStartMonth: number;
  /** Undefined when the event does not carry the field (older producers): the setting is unchanged. */
  dealsRequireApproval: boolean | undefined;
  /** When the setting took effect (the event's time). */
  time: string;
  eventId: string;
}

export interface MembershipFact {
  tenantId: string;
  teamId: string;
  repId: string;
  kind: 'joined' | 'role_changed' | 'left';
  role: Role | null;
  at: string;
  /** The event's recordedtime: with `at` and `eventId`, the roster replay order. */
  recordedAt: string;
  eventId: string;
}

export class BatchFacts {
  readonly wins: WinFact[] = [];
  readonly cancellations: CancellationFactRow[] = [];
  readonly voids: VoidFact[] = [];
  readonly settings: SettingsFact[] = [];
  readonly memberships: MembershipFact[] = [];
}
