import { PeriodType } from '@pacer/contracts';
import { CancelRecord } from './deal-cancellation';
import { FactRow } from './kpi-fact';
import { KpiKeyRef } from './kpi-key';
import { KpiTally } from './kpi-tally';
import { KeyDelta } from './kpi-delta';
import { MembershipEvent, MembershipInterval } from '@pacer/sales-domain';
import { ForecastRow, OpportunityEvent } from './opportunity-forecast';
import { QuotaRecord } from './quota';
import { SnapshotRecord } from './kpi-snapshot';
import { SprintRecord } from './sprint-record';
import { SettingsRecord } from './tenant-settings';

/** A key's running totals: the sum of the contributions of the facts in it, and their newest touch. */
export interface Accumulator {
  keyId: string;
  ref: KpiKeyRef;
  tally: KpiTally;
  asOfMs: number | null;
}

/** Which stored facts to load; rows matching any part are returned once. */
export interface FactSelector {
  activityIds?: readonly string[];
  dealIds?: readonly string[];
  opportunityIds?: readonly string[];
  /** Facts of the rep (every rep when omitted) with occurredAt in `[fromMs, toMs)`. */
  ranges?: readonly { repId?: string; fromMs: number; toMs: number | null }[];
}

/**
 * Plain storage of the KPI read models of one tenant at a time, inside the caller's transaction.
 * All rules (what wins, what is affected, what a fact adds) live in the batch processor; a store
 * only loads and saves, so the in-memory store used by the unit tests behaves like Postgres.
 */
export interface KpiStore {
  /** Serialises every change of one tenant's read models (replicas process partitions in parallel). */
  lockTenant(tenantId: string): Promise<void>;
  listTenants(): Promise<string[]>;

  loadSettings(tenantId: string): Promise<SettingsRecord | undefined>;
  saveSettings(tenantId: string, settings: SettingsRecord): Promise<void>;

  /** Stores roster events, ignoring ones already stored (by event id). */
  addMembershipEvents(tenantId: string, events: readonly MembershipEvent[]): Promise<void>;
  loadMembershipEvents(tenantId: string, pairs: readonly { teamId: string; repId: string }[]): Promise<MembershipEvent[]>;
  loadIntervals(tenantId: string, by: { repIds?: readonly string[]; teamIds?: readonly string[] } | 'all'): Promise<MembershipInterval[]>;
  replaceIntervals(tenantId: string, teamId: string, repId: string, intervals: readonly MembershipInterval[]): Promise<void>;

  loadSprints(tenantId: string, by: { sprintIds?: readonly string[]; teamIds?: readonly string[] }): Promise<SprintRecord[]>;
  saveSprints(tenantId: string, sprints: readonly SprintRecord[]): Promise<void>;

  loadQuotas(
    tenantId: string,
    by: { pairs?: readonly { repId: string; periodKey: string }[]; periodKeys?: readonly string[]; repIds?: readonly string[] } | 'all',
  ): Promise<QuotaRecord[]>;
  saveQuotas(tenantId: string, quotas: readonly QuotaRecord[]): Promise<void>;

  loadCancels(tenantId: string, by: { activityIds?: readonly string[]; dealIds?: readonly string[] }): Promise<CancelRecord[]>;
  saveCancels(tenantId: string, cancels: readonly CancelRecord[]): Promise<void>;

  loadFacts(tenantId: string, selector: FactSelector): Promise<FactRow[]>;
  /** Facts after `after` in (activityId, repId) order, for restating a whole tenant in chunks. */
  scanFacts(tenantId: string, after: { activityId: string; repId: string } | null, limit: number): Promise<FactRow[]>;
  saveFacts(tenantId: string, rows: readonly FactRow[]): Promise<void>;

  loadOpportunityEvents(tenantId: string, by: { activityIds?: readonly string[]; opportunityIds?: readonly string[] }): Promise<OpportunityEvent[]>;
  saveOpportunityEvents(tenantId: string, events: readonly OpportunityEvent[]): Promise<void>;

  /** Forecasts of these opportunities, and those whose rep and close instant fall in a range (`repId` omitted: every rep). */
  loadForecasts(
    tenantId: string,
    by: { opportunityIds?: readonly string[]; ranges?: readonly { repId?: string; fromMs: number; toMs: number | null }[] },
  ): Promise<ForecastRow[]>;
  /** Forecasts after `after` in opportunity id order, for restating a whole tenant in chunks. */
  scanForecasts(tenantId: string, after: string | null, limit: number): Promise<ForecastRow[]>;
  saveForecasts(tenantId: string, rows: readonly ForecastRow[]): Promise<void>;

  /** Adds each delta to its key (creating it) and raises its asOf; returns the keys' new totals. */
  applyDeltas(tenantId: string, deltas: readonly KeyDelta[]): Promise<Accumulator[]>;
  setAsOf(tenantId: string, updates: readonly { keyId: string; asOfMs: number | null }[]): Promise<void>;
  loadAccumulators(tenantId: string, keyIds: readonly string[] | 'all'): Promise<Accumulator[]>;
  /** Every key of these periods (e.g. all rep and team keys of a re-planned sprint). */
  loadAccumulatorsOfPeriods(tenantId: string, periodType: PeriodType, periodKeys: readonly string[]): Promise<Accumulator[]>;
  deleteAccumulators(tenantId: string): Promise<void>;

  loadSnapshots(tenantId: string, keyIds: readonly string[] | 'all'): Promise<SnapshotRecord[]>;
  saveSnapshots(tenantId: string, snapshots: readonly SnapshotRecord[]): Promise<void>;
}
