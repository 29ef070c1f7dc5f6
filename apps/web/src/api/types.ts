import type { KpiMetric } from '@pacer/contracts';

export type { KpiMetric };
export type Role = 'admin' | 'manager' | 'rep' | 'ingest' | 'bi' | 'display' | 'operator';
export type MetricValue = number | string | null;
export type Metrics = Partial<Record<KpiMetric, MetricValue>>;
export type Targets = Partial<Record<KpiMetric, number | string>>;

export interface Principal {
  subject: string;
  tenantId: string;
  roles: Role[];
  repId?: string;
  teamId?: string;
  name?: string;
}

export interface DevPerson {
  subject: string;
  name: string;
  roles: Role[];
  repId?: string;
  teamId?: string;
  teamName?: string;
}

export interface TenantSettings {
  timezone: string;
  weekStartsOn: number;
  fiscalYearStartMonth: number;
  dealsRequireApproval?: boolean;
}

export interface TeamMember {
  repId: string;
  name: string;
  role: string;
}

export interface Team {
  teamId: string;
  name: string;
  salesModel: 'island' | 'assembly_line';
  members: TeamMember[];
  /** Every membership period (`GET /v1/teams/{id}` only): names of reps who have left too. */
  membership?: { repId: string; name: string; role: string; effectiveFrom: string; effectiveTo: string | null }[];
  version?: number;
}

export type SprintStatus = 'planned' | 'active' | 'closed';
export type ItemStatus = 'todo' | 'doing' | 'done';

export interface Sprint {
  sprintId: string;
  teamId: string;
  status: SprintStatus;
  startDate: string;
  lengthDays: number;
  goal: string;
  version: number;
  endDate: string;
  timezone: string;
  window: { start: string; end: string };
  commitments: { repId: string; targets: Targets; committedTargets: Targets | null; itemIds: string[] }[];
}

export interface BoardItem {
  itemId: string;
  title: string;
  opportunityId?: string;
  dueDate?: string;
  status: ItemStatus;
  committed: boolean;
  addedAfterStart: boolean;
  carriedFrom?: string;
  carriedTo?: string;
  /** The linked opportunity's current state (sprint-planning board); null while none is known. */
  opportunity?: OpportunityState | null;
}

/** What a board shows of an item's opportunity: amounts are decimal strings, probability 0–1. */
export interface OpportunityState {
  opportunityId: string;
  stage: string | null;
  status: 'open' | 'won' | 'lost';
  amount: string | null;
  expectedCloseDate: string | null;
  probability: string | null;
}

export interface BoardRep {
  repId: string;
  name: string | null;
  role: string | null;
  targets: Targets;
  committedTargets: Targets | null;
  actuals: Metrics;
  actualsRevision: number | null;
  progress: Partial<Record<KpiMetric, number | null>>;
  items: BoardItem[];
  removedItems: BoardItem[];
  itemsTotal: number;
  itemsDone: number;
}

export interface BurnupDay {
  date: string;
  team: Partial<Record<KpiMetric, number | string>>;
  reps: Record<string, Partial<Record<KpiMetric, number | string>>>;
}

export interface SprintBoard {
  sprintId: string;
  teamId: string;
  status: SprintStatus;
  startDate: string;
  lengthDays: number;
  goal: string;
  timezone: string;
  window: { start: string; end: string };
  version: number;
  reps: BoardRep[];
  team: {
    targets: Targets;
    actuals: Metrics;
    actualsRevision: number | null;
    progress: Partial<Record<KpiMetric, number | null>>;
    itemsTotal: number;
    itemsDone: number;
  };
  burnup: { metrics: KpiMetric[]; days: BurnupDay[] };
}

export interface TargetResult {
  metric: KpiMetric;
  planned: number | string;
  actual: MetricValue;
  ratio: number | null;
}

export interface SprintOutcome {
  targets: TargetResult[];
  completionRatio: number | null;
  itemsTotal: number;
  itemsDone: number;
  itemsCarriedOver: number;
}

export interface SprintReport {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
  goal: string;
  closedAt: string;
  carriedOverTo: string | null;
  actualsAsOf: string | null;
  reps: (SprintOutcome & { repId: string; name: string | null; role: string | null })[];
  team: SprintOutcome;
}

export interface Velocity {
  teamId: string;
  last: number;
  sprints: {
    sprintId: string;
    startDate: string;
    lengthDays: number;
    goal: string;
    completionRatio: number | null;
    itemsTotal: number;
    itemsDone: number;
    itemsCarriedOver: number;
  }[];
  averageCompletionRatio: number | null;
  averageItemsDone: number | null;
}

export interface KpiSnapshot {
  scope: 'rep' | 'team' | 'org';
  scopeId: string;
  period: { type: string; key: string; start: string; end: string };
  metrics: Metrics;
  revision: number;
  asOf: string;
}

export interface LeaderboardEntry {
  rank: number;
  repId: string;
  name?: string | null;
  value: MetricValue;
  revision: number | null;
  asOf: string | null;
}

export interface Leaderboard {
  teamId: string | null;
  period: string;
  key: string;
  metric: KpiMetric;
  entries: LeaderboardEntry[];
}

export interface CommissionBand {
  from?: string;
  to?: string | null;
  rate: string;
  credit?: string;
  amount?: string;
}

export interface StatementLine {
  lineId: string;
  kind: string;
  type?: string;
  amount: string;
  currency?: string;
  dealId?: string;
  credit?: string;
  bands?: CommissionBand[];
  fromRate?: string;
  toRate?: string;
  spiffId?: string;
  reason?: string;
  note?: string;
  sourceEventIds: string[];
  postedAt?: string;
  /** The closed period a prior-period or manual adjustment corrects. */
  closedPeriodKey?: string;
  /** The line of the closed statement an adjustment changes. */
  appliesTo?: string;
  disputeId?: string;
}

export interface Statement {
  repId: string;
  periodKey: string;
  period?: { start: string; end: string; truncated: boolean };
  planId: string | null;
  planVersion: number | null;
  planName?: string | null;
  tierMode?: string | null;
  currency: string;
  quota: string | null;
  credited: string;
  attainment: string | null;
  total: string;
  notes?: string[];
  lines: StatementLine[];
  breakdown?: StatementLine[];
  statementId?: string;
  status?: 'draft' | 'approved' | 'paid';
  version?: number;
  approvedBy?: string | null;
  /** The period is closed: the statement is frozen, later changes are booked in an open period. */
  closed?: boolean;
  /** The sum of the adjustments booked for this (closed) statement in later periods. */
  bookedInLaterPeriods?: string;
}

export interface Estimate {
  repId: string;
  periodKey: string;
  planId: string;
  planVersion: number;
  currency: string;
  credit: string;
  commission: string;
  changes: { lineId: string; kind: string; before: string; after: string; delta: string }[];
  totalBefore: string;
  totalAfter: string;
  attainmentBefore: string | null;
  attainmentAfter: string | null;
  exception?: { reason: string; detail: string };
}

export interface Tier {
  from: string;
  rate: string;
}

export interface PlanBody {
  name: string;
  currency: string;
  period: 'month' | 'quarter' | 'year';
  tiers: Tier[];
  tierMode: 'graduated' | 'retroactive';
  cap: string | null;
  spiffs: { id: string; metric: string; threshold: string; amount: string }[];
  clawbackDays: number;
  effectiveFrom: string;
}

export interface PlanVersion extends PlanBody {
  planId: string;
  version: number;
  eventId: string;
  createdAt: string;
}

export interface StatementListItem {
  periodKey: string;
  period: { start: string; end: string };
  planId: string;
  planVersion: number;
  currency: string;
  total: string;
  updatedAt: string;
  status?: 'draft' | 'approved' | 'paid';
  version?: number;
}

export interface ActivityRecord {
  activity: Record<string, unknown> & { activityId: string; kind: string; repId: string; occurredAt: string };
  recordedAt: string;
  voided: boolean;
}

export interface ImportResult {
  accepted: number;
  duplicates: number;
  rejected: { line: number; activityId?: string; reason?: string; errors: { path: string; message: string }[] }[];
  rejectedCount?: number;
  rejectedTruncated?: boolean;
  lines?: number;
}

export interface CommissionException {
  activityId: string;
  dealId: string;
  occurredAt: string;
  reason: string;
  detail: string;
  credit: string;
  currency: string;
  expectedCurrency?: string;
  repId?: string;
  periodKey?: string;
}
