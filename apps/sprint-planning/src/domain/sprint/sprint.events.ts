import type { KpiMetric, SprintItemStatus } from '@pacer/contracts';
import { DomainEvent } from '@pacer/event-store/aggregate';
import type { SprintReport } from './sprint-report';

/**
 * A target per KPI metric name; a metric not listed has no target. Each value has its metric's own
 * representation (SPEC §4): a decimal string for money, a number for counts and ratios. Events stored
 * before that rule hold money as numbers: read them through `orderedTargets`.
 */
export type Targets = Partial<Record<KpiMetric, number | string>>;

/** An item as a rep commits to it. */
export interface CommitmentItem {
  itemId: string;
  title: string;
  opportunityId?: string;
  dueDate?: string;
}

/** An unfinished item moving to the next sprint, with its owner and status. */
export interface CarriedItem extends CommitmentItem {
  repId: string;
  status: SprintItemStatus;
}

/** Events of the Sprint aggregate (stream `sprint/<tenant>/<sprintId>`). */
export type SprintEvent =
  | DomainEvent<
      'sprint.planned',
      {
        sprintId: string;
        teamId: string;
        startDate: string;
        lengthDays: number;
        goal: string;
        timezone: string;
      }
    >
  | DomainEvent<
      'sprint.commitment_set',
      { sprintId: string; teamId: string; repId: string; targets: Targets; items: CommitmentItem[] }
    >
  | DomainEvent<
      'sprint.item_status_changed',
      { sprintId: string; teamId: string; itemId: string; repId: string; status: SprintItemStatus }
    >
  | DomainEvent<'sprint.started', { sprintId: string; teamId: string }>
  | DomainEvent<
      'sprint.items_carried_in',
      { sprintId: string; teamId: string; fromSprintId: string; items: CarriedItem[] }
    >
  | DomainEvent<
      'sprint.items_carried_out',
      { sprintId: string; teamId: string; toSprintId: string; itemIds: string[] }
    >
  | DomainEvent<'sprint.closed', { sprintId: string; teamId: string }>
  | DomainEvent<'sprint.report_published', { sprintId: string; teamId: string; report: SprintReport }>;
