import { EntityManager } from 'typeorm';
import { KpiScope, PeriodType } from '@pacer/contracts';
import { CancelRecord } from '../domain/deal-cancellation';
import { AppliedState, CalendarKeys, FactKind, FactRow, factRowId } from '../domain/kpi-fact';
import { KeyDelta } from '../domain/kpi-delta';
import { keyIdOf, KpiKeyRef } from '../domain/kpi-key';
import { SnapshotRecord } from '../domain/kpi-snapshot';
import { KpiTally } from '../domain/kpi-tally';
import { Accumulator, FactSelector, KpiStore } from '../domain/kpi.store';
import { MembershipEvent, MembershipInterval } from '@pacer/sales-domain';
import { ForecastApplied, ForecastRow, OpportunityEvent } from '../domain/opportunity-forecast';
import { QuotaRecord } from '../domain/quota';
import { SprintRecord } from '../domain/sprint-record';
import { SettingsRecord } from '../domain/tenant-settings';
import { KpiMetrics } from '@pacer/contracts';
import { copyRows, CopyValue } from './pg-copy';

type Row = Record<string, unknown>;

// node-postgres returns bigint columns as strings; these are epoch milliseconds (safe integers) or cents.
const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const big = (v: unknown): bigint => BigInt(v as string);
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));
const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
const bigText = (v: bigint | null): string | null => (v === null ? null : v.toString());

/** Applied state as stored: JSON text with short keys (never queried in SQL; text is cheaper to write than jsonb). */
interface StoredApplied {
  c: boolean;
  y: number | null;
  t: number;
  p: string[];
  T: string[];
  S: [string, string][];
}

function toStoredApplied(a: AppliedState | null): string | null {
  if (a === null) return null;
  const stored: StoredApplied = { c: a.counted, y: a.cycleMs, t: a.touchedMs, p: [...a.periods], T: a.teams, S: a.sprints };
  return JSON.stringify(stored);
}

function fromStoredApplied(v: unknown): AppliedState | null {
  if (v === null || v === undefined) return null;
  const s = JSON.parse(v as string) as StoredApplied;
  return { counted: s.c, cycleMs: s.y, touchedMs: s.t, periods: s.p as unknown as CalendarKeys, teams: s.T, sprints: s.S };
}

/** A forecast's applied state as stored: the fact's short keys plus rep, date, instant and amounts. */
interface StoredForecast extends StoredApplied {
  r: string;
  d: string;
  m: number;
  a: string;
  w: string;
}

function toStoredForecast(a: ForecastApplied | null): string | null {
  if (a === null) return null;
  const stored: StoredForecast = {
    c: a.counted,
    y: null,
    t: a.touchedMs,
    p: [...a.periods],
    T: a.teams,
    S: a.sprints,
    r: a.repId,
    d: a.closeDate,
    m: a.closeMs,
    a: a.pipelineCents.toString(),
    w: a.weightedUnits.toString(),
  };
  return JSON.stringify(stored);
}

function fromStoredForecast(v: unknown): ForecastApplied | null {
  if (v === null || v === undefined) return null;
  const s = JSON.parse(v as string) as StoredForecast;
  return {
    counted: s.c,
    cycleMs: null,
    touchedMs: s.t,
    periods: s.p as unknown as CalendarKeys,
    teams: s.T,
    sprints: s.S,
    repId: s.r,
    closeDate: s.d,
    closeMs: s.m,
    pipelineCents: BigInt(s.a),
    weightedUnits: BigInt(s.w),
  };
}

const OPPORTUNITY_EVENT_COLUMNS = `activity_id, opportunity_id, rep_id, created, occurred_ms, amount_cents, close_date, probability_units,
  recorded_ms, voided, void_recorded_ms`;

function toOpportunityEvent(r: Row): OpportunityEvent {
  return {
    activityId: str(r['activity_id']),
    opportunityId: str(r['opportunity_id']),
    repId: str(r['rep_id']),
    created: r['created'] === true,
    occurredMs: num(r['occurred_ms']),
    amountCents: bigOrNull(r['amount_cents']),
    closeDate: strOrNull(r['close_date']),
    probabilityUnits: bigOrNull(r['probability_units']),
    recordedMs: numOrNull(r['recorded_ms']),
    voided: r['voided'] === true,
    voidRecordedMs: numOrNull(r['void_recorded_ms']),
  };
}

const FACT_COLUMNS = `activity_id, rep_id, kind, occurred_ms, recorded_ms, voided, void_recorded_ms, connected, amount_cents,
  credit_cents, is_primary, deal_id, opportunity_id, opened_ms, applied`;

function toFact(r: Row): FactRow {
  return {
    activityId: str(r['activity_id']),
    repId: str(r['rep_id']),
    kind: r['kind'] as FactKind,
    occurredMs: num(r['occurred_ms']),
    recordedMs: numOrNull(r['recorded_ms']),
    voided: r['voided'] === true,
    voidRecordedMs: numOrNull(r['void_recorded_ms']),
    connected: r['connected'] === true,
    amountCents: bigOrNull(r['amount_cents']),
    creditCents: bigOrNull(r['credit_cents']),
    primary: r['is_primary'] === true,
    dealId: strOrNull(r['deal_id']),
    opportunityId: strOrNull(r['opportunity_id']),
    openedMs: numOrNull(r['opened_ms']),
    applied: fromStoredApplied(r['applied']),
  };
}

/** kpi_facts' columns in the order of `factValues`, for a COPY of new rows. */
export const FACT_COPY_COLUMNS = ['tenant_id', ...FACT_COLUMNS.split(',').map((c) => c.trim())] as const;

/** One fact as the values of FACT_COPY_COLUMNS (the same stored forms as `saveFacts`). */
export function factValues(tenantId: string, r: FactRow): CopyValue[] {
  return [
    tenantId,
    r.activityId,
    r.repId,
    r.kind,
    r.occurredMs,
    r.recordedMs,
    r.voided,
    r.voidRecordedMs,
    r.connected,
    r.amountCents,
    r.creditCents,
    r.primary,
    r.dealId,
    r.opportunityId,
    r.openedMs,
    toStoredApplied(r.applied),
  ];
}

const ACC_COLUMNS = `kpi_key, scope, scope_id, period_type, period_key, calls, connects, emails, meetings_scheduled, meetings_held,
  leads_created, opportunities_created, pipeline_cents, deals_won, deals_lost, revenue_cents, cycle_ms_sum, cycle_count, as_of_ms,
  forecast_pipeline_cents, forecast_weighted_units`;

function toAccumulator(r: Row): Accumulator {
  const tally: KpiTally = {
    calls: num(r['calls']),
    connects: num(r['connects']),
    emails: num(r['emails']),
    meetingsScheduled: num(r['meetings_scheduled']),
    meetingsHeld: num(r['meetings_held']),
    leadsCreated: num(r['leads_created']),
    opportunitiesCreated: num(r['opportunities_created']),
    pipelineCents: big(r['pipeline_cents']),
    dealsWon: num(r['deals_won']),
    dealsLost: num(r['deals_lost']),
    revenueCents: big(r['revenue_cents']),
    cycleMsSum: big(r['cycle_ms_sum']),
    cycleCount: num(r['cycle_count']),
    forecastPipelineCents: big(r['forecast_pipeline_cents']),
    // numeric comes back as a string of digits (an integer: the column only ever adds integers).
    forecastWeightedUnits: big(r['forecast_weighted_units']),
  };
  return {
    keyId: str(r['kpi_key']),
    ref: refOf(r),
    tally,
    asOfMs: numOrNull(r['as_of_ms']),
  };
}

function refOf(r: Row): KpiKeyRef {
  return {
    scope: r['scope'] as KpiScope,
    scopeId: str(r['scope_id']),
    periodType: r['period_type'] as PeriodType,
    periodKey: str(r['period_key']),
  };
}

const SNAPSHOT_COLUMNS = `kpi_key, scope, scope_id, period_type, period_key, period_start, period_end, start_ms, end_ms, metrics, revision, as_of_ms`;

export function toSnapshot(r: Row): SnapshotRecord {
  return {
    keyId: str(r['kpi_key']),
    ref: refOf(r),
    period: { start: str(r['period_start']), end: str(r['period_end']), startMs: num(r['start_ms']), endMs: num(r['end_ms']) },
    metrics: r['metrics'] as KpiMetrics,
    asOfMs: num(r['as_of_ms']),
    revision: num(r['revision']),
  };
}

/**
 * The KPI read models in the service's Postgres, inside the consumer batch's transaction. One store
 * serves one batch (one transaction).
 */
export class PgKpiStore implements KpiStore {
  /**
   * Whether facts this store never read nor wrote go in by COPY rather than the upsert (a subclass
   * that is its tables' only writer turns it on; see ShadowKpiStore). The processor reads every stored
   * row of a batch's activities (and of whatever it attributes again) before it saves, so such a fact
   * is not in the table; should that ever not hold, COPY fails on the primary key, and the batch with
   * it, rather than a row being lost. Off in the live store until it is shown safe there: with it on,
   * the live integration specs (pipeline, consistency, valid-domain) failed in one run on a machine at
   * load 30, by timeouts and partial counts, and whether the load alone did it is not settled.
   */
  protected readonly copyNewFacts: boolean = false;
  /** `tenant \0 factRowId` of the facts this store read or wrote, i.e. known to be stored (with copyNewFacts). */
  private readonly storedFacts = new Set<string>();

  constructor(protected readonly manager: EntityManager) {}

  private q(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.manager.query(sql, params) as Promise<Row[]>;
  }

  async lockTenant(tenantId: string): Promise<void> {
    await this.q(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7305))`, [`kpi:${tenantId}`]);
  }

  async listTenants(): Promise<string[]> {
    const rows = await this.q(
      `SELECT tenant_id FROM kpi_accumulators UNION SELECT tenant_id FROM kpi_quotas
       UNION SELECT tenant_id FROM kpi_snapshots UNION SELECT tenant_id FROM kpi_settings ORDER BY 1`,
    );
    return rows.map((r) => str(r['tenant_id']));
  }

  async loadSettings(tenantId: string): Promise<SettingsRecord | undefined> {
    const [r] = await this.q(`SELECT * FROM kpi_settings WHERE tenant_id = $1`, [tenantId]);
    if (!r) return undefined;
    return {
      calendar: { timezone: str(r['timezone']), weekStartsOn: num(r['week_starts_on']), fiscalYearStartMonth: num(r['fiscal_year_start_month']) },
      recordedMs: num(r['recorded_ms']),
      eventId: str(r['event_id']),
    };
  }

  async saveSettings(tenantId: string, s: SettingsRecord): Promise<void> {
    await this.q(
      `INSERT INTO kpi_settings (tenant_id, timezone, week_starts_on, fiscal_year_start_month, recorded_ms, event_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id) DO UPDATE SET timezone = excluded.timezone, week_starts_on = excluded.week_starts_on,
         fiscal_year_start_month = excluded.fiscal_year_start_month, recorded_ms = excluded.recorded_ms, event_id = excluded.event_id`,
      [tenantId, s.calendar.timezone, s.calendar.weekStartsOn, s.calendar.fiscalYearStartMonth, s.recordedMs, s.eventId],
    );
  }

  async addMembershipEvents(tenantId: string, events: readonly MembershipEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.q(
      `INSERT INTO kpi_membership_events (tenant_id, event_id, team_id, rep_id, member, at_ms, recorded_ms, name, role)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
       ON CONFLICT DO NOTHING`,
      [
        tenantId,
        events.map((e) => e.eventId),
        events.map((e) => e.teamId),
        events.map((e) => e.repId),
        events.map((e) => e.member),
        events.map((e) => e.atMs),
        events.map((e) => e.recordedMs),
        events.map((e) => e.name ?? null),
        events.map((e) => e.role ?? null),
      ],
    );
  }

  async loadMembershipEvents(tenantId: string, pairs: readonly { teamId: string; repId: string }[]): Promise<MembershipEvent[]> {
    if (pairs.length === 0) return [];
    const rows = await this.q(
      `SELECT e.* FROM kpi_membership_events e
         JOIN unnest($2::text[], $3::text[]) AS p(team_id, rep_id) ON e.team_id = p.team_id AND e.rep_id = p.rep_id
        WHERE e.tenant_id = $1`,
      [tenantId, pairs.map((p) => p.teamId), pairs.map((p) => p.repId)],
    );
    return rows.map((r) => ({
      eventId: str(r['event_id']),
      teamId: str(r['team_id']),
      repId: str(r['rep_id']),
      member: r['member'] === true,
      atMs: num(r['at_ms']),
      recordedMs: num(r['recorded_ms']),
      ...(typeof r['name'] === 'string' ? { name: r['name'] } : {}),
      ...(typeof r['role'] === 'string' ? { role: r['role'] } : {}),
    }));
  }

  async loadIntervals(tenantId: string, by: { repIds?: readonly string[]; teamIds?: readonly string[] } | 'all'): Promise<MembershipInterval[]> {
    const rows =
      by === 'all'
        ? await this.q(`SELECT * FROM kpi_memberships WHERE tenant_id = $1 ORDER BY team_id, rep_id, from_ms`, [tenantId])
        : await this.q(
            `SELECT * FROM kpi_memberships WHERE tenant_id = $1 AND (rep_id = ANY($2::text[]) OR team_id = ANY($3::text[]))
             ORDER BY team_id, rep_id, from_ms`,
            [tenantId, by.repIds ?? [], by.teamIds ?? []],
          );
    return rows.map((r) => ({ teamId: str(r['team_id']), repId: str(r['rep_id']), fromMs: num(r['from_ms']), toMs: numOrNull(r['to_ms']) }));
  }

  async replaceIntervals(tenantId: string, teamId: string, repId: string, intervals: readonly MembershipInterval[]): Promise<void> {
    await this.q(`DELETE FROM kpi_memberships WHERE tenant_id = $1 AND team_id = $2 AND rep_id = $3`, [tenantId, teamId, repId]);
    if (intervals.length === 0) return;
    await this.q(
      `INSERT INTO kpi_memberships (tenant_id, team_id, rep_id, from_ms, to_ms)
       SELECT $1::text, $2::text, $3::text, * FROM unnest($4::bigint[], $5::bigint[])`,
      [tenantId, teamId, repId, intervals.map((i) => i.fromMs), intervals.map((i) => i.toMs)],
    );
  }

  async loadSprints(tenantId: string, by: { sprintIds?: readonly string[]; teamIds?: readonly string[] }): Promise<SprintRecord[]> {
    const rows = await this.q(
      `SELECT * FROM kpi_sprints WHERE tenant_id = $1 AND (sprint_id = ANY($2::text[]) OR team_id = ANY($3::text[]))`,
      [tenantId, by.sprintIds ?? [], by.teamIds ?? []],
    );
    return rows.map((r) => ({
      sprintId: str(r['sprint_id']),
      teamId: str(r['team_id']),
      startDate: str(r['start_date']),
      lengthDays: num(r['length_days']),
      recordedMs: num(r['recorded_ms']),
      eventId: str(r['event_id']),
    }));
  }

  async saveSprints(tenantId: string, sprints: readonly SprintRecord[]): Promise<void> {
    if (sprints.length === 0) return;
    await this.q(
      `INSERT INTO kpi_sprints (tenant_id, sprint_id, team_id, start_date, length_days, recorded_ms, event_id)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::text[])
       ON CONFLICT (tenant_id, sprint_id) DO UPDATE SET team_id = excluded.team_id, start_date = excluded.start_date,
         length_days = excluded.length_days, recorded_ms = excluded.recorded_ms, event_id = excluded.event_id`,
      [
        tenantId,
        sprints.map((s) => s.sprintId),
        sprints.map((s) => s.teamId),
        sprints.map((s) => s.startDate),
        sprints.map((s) => s.lengthDays),
        sprints.map((s) => s.recordedMs),
        sprints.map((s) => s.eventId),
      ],
    );
  }

  async loadQuotas(
    tenantId: string,
    by: { pairs?: readonly { repId: string; periodKey: string }[]; periodKeys?: readonly string[]; repIds?: readonly string[] } | 'all',
  ): Promise<QuotaRecord[]> {
    const rows =
      by === 'all'
        ? await this.q(`SELECT * FROM kpi_quotas WHERE tenant_id = $1`, [tenantId])
        : await this.q(
            `SELECT q.* FROM kpi_quotas q WHERE q.tenant_id = $1 AND (
               q.period_key = ANY($2::text[]) OR q.rep_id = ANY($3::text[])
               OR EXISTS (SELECT 1 FROM unnest($4::text[], $5::text[]) AS p(rep_id, period_key)
                           WHERE p.rep_id = q.rep_id AND p.period_key = q.period_key))`,
            [tenantId, by.periodKeys ?? [], by.repIds ?? [], (by.pairs ?? []).map((p) => p.repId), (by.pairs ?? []).map((p) => p.periodKey)],
          );
    return rows.map((r) => ({
      repId: str(r['rep_id']),
      periodKey: str(r['period_key']),
      amountCents: big(r['amount_cents']),
      recordedMs: num(r['recorded_ms']),
      eventId: str(r['event_id']),
    }));
  }

  async saveQuotas(tenantId: string, quotas: readonly QuotaRecord[]): Promise<void> {
    if (quotas.length === 0) return;
    await this.q(
      `INSERT INTO kpi_quotas (tenant_id, rep_id, period_key, amount_cents, recorded_ms, event_id)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[])
       ON CONFLICT (tenant_id, rep_id, period_key) DO UPDATE SET amount_cents = excluded.amount_cents,
         recorded_ms = excluded.recorded_ms, event_id = excluded.event_id`,
      [
        tenantId,
        quotas.map((q) => q.repId),
        quotas.map((q) => q.periodKey),
        quotas.map((q) => q.amountCents.toString()),
        quotas.map((q) => q.recordedMs),
        quotas.map((q) => q.eventId),
      ],
    );
  }

  async loadCancels(tenantId: string, by: { activityIds?: readonly string[]; dealIds?: readonly string[] }): Promise<CancelRecord[]> {
    const rows = await this.q(
      `SELECT * FROM kpi_cancels WHERE tenant_id = $1 AND (activity_id = ANY($2::text[]) OR deal_id = ANY($3::text[]))`,
      [tenantId, by.activityIds ?? [], by.dealIds ?? []],
    );
    return rows.map((r) => ({
      activityId: str(r['activity_id']),
      dealId: str(r['deal_id']),
      recordedMs: numOrNull(r['recorded_ms']),
      voided: r['voided'] === true,
      voidRecordedMs: numOrNull(r['void_recorded_ms']),
    }));
  }

  async saveCancels(tenantId: string, cancels: readonly CancelRecord[]): Promise<void> {
    if (cancels.length === 0) return;
    await this.q(
      `INSERT INTO kpi_cancels (tenant_id, activity_id, deal_id, recorded_ms, voided, void_recorded_ms)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::boolean[], $6::bigint[])
       ON CONFLICT (tenant_id, activity_id) DO UPDATE SET recorded_ms = excluded.recorded_ms, voided = excluded.voided,
         void_recorded_ms = excluded.void_recorded_ms`,
      [
        tenantId,
        cancels.map((c) => c.activityId),
        cancels.map((c) => c.dealId),
        cancels.map((c) => c.recordedMs),
        cancels.map((c) => c.voided),
        cancels.map((c) => c.voidRecordedMs),
      ],
    );
  }

  async loadFacts(tenantId: string, selector: FactSelector): Promise<FactRow[]> {
    const found = new Map<string, FactRow>();
    const add = (rows: Row[]): void => {
      for (const r of rows) {
        const fact = toFact(r);
        found.set(factRowId(fact), fact);
      }
    };
    if (selector.activityIds?.length) {
      add(await this.q(`SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 AND activity_id = ANY($2::text[])`, [tenantId, selector.activityIds]));
    }
    if (selector.dealIds?.length) {
      add(await this.q(`SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 AND deal_id = ANY($2::text[])`, [tenantId, selector.dealIds]));
    }
    if (selector.opportunityIds?.length) {
      add(
        await this.q(`SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 AND opportunity_id = ANY($2::text[])`, [
          tenantId,
          selector.opportunityIds,
        ]),
      );
    }
    const ranges = selector.ranges ?? [];
    const perRep = ranges.filter((r): r is { repId: string; fromMs: number; toMs: number | null } => r.repId !== undefined);
    if (perRep.length > 0) {
      add(
        await this.q(
          `SELECT ${FACT_COLUMNS.replace(/(\w+)/g, 'f.$1')}
             FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS r(rep_id, from_ms, to_ms)
             JOIN kpi_facts f ON f.tenant_id = $1 AND f.rep_id = r.rep_id AND f.occurred_ms >= r.from_ms
                             AND (r.to_ms IS NULL OR f.occurred_ms < r.to_ms)`,
          [tenantId, perRep.map((r) => r.repId), perRep.map((r) => r.fromMs), perRep.map((r) => r.toMs)],
        ),
      );
    }
    for (const r of ranges.filter((g) => g.repId === undefined)) {
      add(
        await this.q(`SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 AND occurred_ms >= $2 AND ($3::bigint IS NULL OR occurred_ms < $3)`, [
          tenantId,
          r.fromMs,
          r.toMs,
        ]),
      );
    }
    return this.remember(tenantId, [...found.values()]);
  }

  async scanFacts(tenantId: string, after: { activityId: string; repId: string } | null, limit: number): Promise<FactRow[]> {
    const rows = after
      ? await this.q(
          `SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 AND (activity_id, rep_id) > ($2, $3)
            ORDER BY activity_id, rep_id LIMIT $4`,
          [tenantId, after.activityId, after.repId, limit],
        )
      : await this.q(`SELECT ${FACT_COLUMNS} FROM kpi_facts WHERE tenant_id = $1 ORDER BY activity_id, rep_id LIMIT $2`, [tenantId, limit]);
    return this.remember(tenantId, rows.map(toFact));
  }

  async saveFacts(tenantId: string, rows: readonly FactRow[]): Promise<void> {
    if (!this.copyNewFacts) return this.upsertFacts(tenantId, rows);
    const stored: FactRow[] = [];
    const fresh: FactRow[] = [];
    for (const row of rows) (this.storedFacts.has(this.factId(tenantId, row)) ? stored : fresh).push(row);
    await this.upsertFacts(tenantId, stored);
    await copyRows(
      this.manager,
      'kpi_facts',
      FACT_COPY_COLUMNS,
      fresh.map((r) => factValues(tenantId, r)),
    );
    this.remember(tenantId, fresh);
  }

  private factId(tenantId: string, row: FactRow): string {
    return `${tenantId}\u0000${factRowId(row)}`;
  }

  private remember(tenantId: string, rows: FactRow[]): FactRow[] {
    if (!this.copyNewFacts) return rows;
    for (const row of rows) this.storedFacts.add(this.factId(tenantId, row));
    return rows;
  }

  private async upsertFacts(tenantId: string, rows: readonly FactRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One JSON document instead of 15 parallel arrays: serialised natively here, parsed once by Postgres.
    const doc = rows.map((r) => ({
      a: r.activityId,
      r: r.repId,
      k: r.kind,
      o: r.occurredMs,
      rc: r.recordedMs,
      v: r.voided,
      vr: r.voidRecordedMs,
      c: r.connected,
      am: bigText(r.amountCents),
      cr: bigText(r.creditCents),
      p: r.primary,
      d: r.dealId,
      op: r.opportunityId,
      od: r.openedMs,
      ap: toStoredApplied(r.applied),
    }));
    await this.q(
      `INSERT INTO kpi_facts (tenant_id, activity_id, rep_id, kind, occurred_ms, recorded_ms, voided, void_recorded_ms, connected,
                              amount_cents, credit_cents, is_primary, deal_id, opportunity_id, opened_ms, applied)
       SELECT $1::text, a, r, k, o, rc, v, vr, c, am, cr, p, d, op, od, ap
         FROM json_to_recordset($2::json) AS x(a text, r text, k text, o bigint, rc bigint, v boolean, vr bigint, c boolean,
                                               am bigint, cr bigint, p boolean, d text, op text, od bigint, ap text)
       ON CONFLICT (tenant_id, activity_id, rep_id) DO UPDATE SET recorded_ms = excluded.recorded_ms, voided = excluded.voided,
         void_recorded_ms = excluded.void_recorded_ms, applied = excluded.applied`,
      [tenantId, JSON.stringify(doc)],
    );
  }

  async loadOpportunityEvents(tenantId: string, by: { activityIds?: readonly string[]; opportunityIds?: readonly string[] }): Promise<OpportunityEvent[]> {
    if (!by.activityIds?.length && !by.opportunityIds?.length) return [];
    const rows = await this.q(
      `SELECT ${OPPORTUNITY_EVENT_COLUMNS} FROM kpi_opportunity_events
        WHERE tenant_id = $1 AND (activity_id = ANY($2::text[]) OR opportunity_id = ANY($3::text[]))`,
      [tenantId, by.activityIds ?? [], by.opportunityIds ?? []],
    );
    return rows.map(toOpportunityEvent);
  }

  async saveOpportunityEvents(tenantId: string, events: readonly OpportunityEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.q(
      `INSERT INTO kpi_opportunity_events (tenant_id, ${OPPORTUNITY_EVENT_COLUMNS})
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::bigint[], $7::bigint[], $8::text[],
                                      $9::bigint[], $10::bigint[], $11::boolean[], $12::bigint[])
       ON CONFLICT (tenant_id, activity_id) DO UPDATE SET recorded_ms = excluded.recorded_ms, voided = excluded.voided,
         void_recorded_ms = excluded.void_recorded_ms`,
      [
        tenantId,
        events.map((e) => e.activityId),
        events.map((e) => e.opportunityId),
        events.map((e) => e.repId),
        events.map((e) => e.created),
        events.map((e) => e.occurredMs),
        events.map((e) => bigText(e.amountCents)),
        events.map((e) => e.closeDate),
        events.map((e) => bigText(e.probabilityUnits)),
        events.map((e) => e.recordedMs),
        events.map((e) => e.voided),
        events.map((e) => e.voidRecordedMs),
      ],
    );
  }

  async loadForecasts(
    tenantId: string,
    by: { opportunityIds?: readonly string[]; ranges?: readonly { repId?: string; fromMs: number; toMs: number | null }[] },
  ): Promise<ForecastRow[]> {
    const found = new Map<string, ForecastRow>();
    const add = (rows: Row[]): void => {
      for (const r of rows) found.set(str(r['opportunity_id']), { opportunityId: str(r['opportunity_id']), applied: fromStoredForecast(r['applied']) });
    };
    if (by.opportunityIds?.length) {
      add(await this.q(`SELECT opportunity_id, applied FROM kpi_forecasts WHERE tenant_id = $1 AND opportunity_id = ANY($2::text[])`, [tenantId, by.opportunityIds]));
    }
    const ranges = by.ranges ?? [];
    const perRep = ranges.filter((r): r is { repId: string; fromMs: number; toMs: number | null } => r.repId !== undefined);
    if (perRep.length > 0) {
      add(
        await this.q(
          `SELECT f.opportunity_id, f.applied
             FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS r(rep_id, from_ms, to_ms)
             JOIN kpi_forecasts f ON f.tenant_id = $1 AND f.rep_id = r.rep_id AND f.close_ms >= r.from_ms
                                 AND (r.to_ms IS NULL OR f.close_ms < r.to_ms)`,
          [tenantId, perRep.map((r) => r.repId), perRep.map((r) => r.fromMs), perRep.map((r) => r.toMs)],
        ),
      );
    }
    for (const r of ranges.filter((g) => g.repId === undefined)) {
      add(
        await this.q(
          `SELECT opportunity_id, applied FROM kpi_forecasts
            WHERE tenant_id = $1 AND close_ms >= $2 AND ($3::bigint IS NULL OR close_ms < $3)`,
          [tenantId, r.fromMs, r.toMs],
        ),
      );
    }
    return [...found.values()];
  }

  async scanForecasts(tenantId: string, after: string | null, limit: number): Promise<ForecastRow[]> {
    const rows = await this.q(
      `SELECT opportunity_id, applied FROM kpi_forecasts WHERE tenant_id = $1 AND ($2::text IS NULL OR opportunity_id > $2)
        ORDER BY opportunity_id LIMIT $3`,
      [tenantId, after, limit],
    );
    return rows.map((r) => ({ opportunityId: str(r['opportunity_id']), applied: fromStoredForecast(r['applied']) }));
  }

  async saveForecasts(tenantId: string, rows: readonly ForecastRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.q(
      `INSERT INTO kpi_forecasts (tenant_id, opportunity_id, rep_id, close_ms, applied)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::text[])
       ON CONFLICT (tenant_id, opportunity_id) DO UPDATE SET rep_id = excluded.rep_id, close_ms = excluded.close_ms, applied = excluded.applied`,
      [
        tenantId,
        rows.map((r) => r.opportunityId),
        rows.map((r) => r.applied?.repId ?? null),
        rows.map((r) => r.applied?.closeMs ?? null),
        rows.map((r) => toStoredForecast(r.applied)),
      ],
    );
  }

  async applyDeltas(tenantId: string, deltas: readonly KeyDelta[]): Promise<Accumulator[]> {
    if (deltas.length === 0) return [];
    const t = deltas.map((d) => d.tally);
    const rows = await this.q(
      `INSERT INTO kpi_accumulators AS a (tenant_id, ${ACC_COLUMNS})
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::int[],
                                      $10::int[], $11::int[], $12::int[], $13::int[], $14::bigint[], $15::int[], $16::int[],
                                      $17::bigint[], $18::bigint[], $19::int[], $20::bigint[], $21::bigint[], $22::numeric[])
       ON CONFLICT (tenant_id, kpi_key) DO UPDATE SET
         calls = a.calls + excluded.calls, connects = a.connects + excluded.connects, emails = a.emails + excluded.emails,
         meetings_scheduled = a.meetings_scheduled + excluded.meetings_scheduled,
         meetings_held = a.meetings_held + excluded.meetings_held, leads_created = a.leads_created + excluded.leads_created,
         opportunities_created = a.opportunities_created + excluded.opportunities_created,
         pipeline_cents = a.pipeline_cents + excluded.pipeline_cents, deals_won = a.deals_won + excluded.deals_won,
         deals_lost = a.deals_lost + excluded.deals_lost, revenue_cents = a.revenue_cents + excluded.revenue_cents,
         cycle_ms_sum = a.cycle_ms_sum + excluded.cycle_ms_sum, cycle_count = a.cycle_count + excluded.cycle_count,
         forecast_pipeline_cents = a.forecast_pipeline_cents + excluded.forecast_pipeline_cents,
         forecast_weighted_units = a.forecast_weighted_units + excluded.forecast_weighted_units,
         as_of_ms = GREATEST(a.as_of_ms, excluded.as_of_ms)
       RETURNING ${ACC_COLUMNS}`,
      [
        tenantId,
        deltas.map((d) => keyIdOf(tenantId, d.ref)),
        deltas.map((d) => d.ref.scope),
        deltas.map((d) => d.ref.scopeId),
        deltas.map((d) => d.ref.periodType),
        deltas.map((d) => d.ref.periodKey),
        t.map((x) => x.calls),
        t.map((x) => x.connects),
        t.map((x) => x.emails),
        t.map((x) => x.meetingsScheduled),
        t.map((x) => x.meetingsHeld),
        t.map((x) => x.leadsCreated),
        t.map((x) => x.opportunitiesCreated),
        t.map((x) => x.pipelineCents.toString()),
        t.map((x) => x.dealsWon),
        t.map((x) => x.dealsLost),
        t.map((x) => x.revenueCents.toString()),
        t.map((x) => x.cycleMsSum.toString()),
        t.map((x) => x.cycleCount),
        deltas.map((d) => d.touchedMs),
        t.map((x) => x.forecastPipelineCents.toString()),
        t.map((x) => x.forecastWeightedUnits.toString()),
      ],
    );
    return rows.map(toAccumulator);
  }

  async setAsOf(tenantId: string, updates: readonly { keyId: string; asOfMs: number | null }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.q(
      `UPDATE kpi_accumulators a SET as_of_ms = u.as_of_ms
         FROM unnest($2::text[], $3::bigint[]) AS u(kpi_key, as_of_ms)
        WHERE a.tenant_id = $1 AND a.kpi_key = u.kpi_key`,
      [tenantId, updates.map((u) => u.keyId), updates.map((u) => u.asOfMs)],
    );
  }

  async loadAccumulators(tenantId: string, keyIds: readonly string[] | 'all'): Promise<Accumulator[]> {
    const rows =
      keyIds === 'all'
        ? await this.q(`SELECT ${ACC_COLUMNS} FROM kpi_accumulators WHERE tenant_id = $1`, [tenantId])
        : keyIds.length === 0
          ? []
          : await this.q(`SELECT ${ACC_COLUMNS} FROM kpi_accumulators WHERE tenant_id = $1 AND kpi_key = ANY($2::text[])`, [tenantId, keyIds]);
    return rows.map(toAccumulator);
  }

  async loadAccumulatorsOfPeriods(tenantId: string, periodType: PeriodType, periodKeys: readonly string[]): Promise<Accumulator[]> {
    if (periodKeys.length === 0) return [];
    const rows = await this.q(
      `SELECT ${ACC_COLUMNS} FROM kpi_accumulators WHERE tenant_id = $1 AND period_type = $2 AND period_key = ANY($3::text[])`,
      [tenantId, periodType, periodKeys],
    );
    return rows.map(toAccumulator);
  }

  async deleteAccumulators(tenantId: string): Promise<void> {
    await this.q(`DELETE FROM kpi_accumulators WHERE tenant_id = $1`, [tenantId]);
  }

  async loadSnapshots(tenantId: string, keyIds: readonly string[] | 'all'): Promise<SnapshotRecord[]> {
    const rows =
      keyIds === 'all'
        ? await this.q(`SELECT ${SNAPSHOT_COLUMNS} FROM kpi_snapshots WHERE tenant_id = $1`, [tenantId])
        : keyIds.length === 0
          ? []
          : await this.q(`SELECT ${SNAPSHOT_COLUMNS} FROM kpi_snapshots WHERE tenant_id = $1 AND kpi_key = ANY($2::text[])`, [tenantId, keyIds]);
    return rows.map(toSnapshot);
  }

  async saveSnapshots(tenantId: string, snapshots: readonly SnapshotRecord[]): Promise<void> {
    if (snapshots.length === 0) return;
    await this.q(
      `INSERT INTO kpi_snapshots (tenant_id, ${SNAPSHOT_COLUMNS})
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                      $9::bigint[], $10::bigint[], $11::jsonb[], $12::int[], $13::bigint[])
       ON CONFLICT (tenant_id, kpi_key) DO UPDATE SET period_start = excluded.period_start, period_end = excluded.period_end,
         start_ms = excluded.start_ms, end_ms = excluded.end_ms, metrics = excluded.metrics, revision = excluded.revision,
         as_of_ms = excluded.as_of_ms, published_at = now()`,
      [
        tenantId,
        snapshots.map((s) => s.keyId),
        snapshots.map((s) => s.ref.scope),
        snapshots.map((s) => s.ref.scopeId),
        snapshots.map((s) => s.ref.periodType),
        snapshots.map((s) => s.ref.periodKey),
        snapshots.map((s) => s.period.start),
        snapshots.map((s) => s.period.end),
        snapshots.map((s) => s.period.startMs),
        snapshots.map((s) => s.period.endMs),
        snapshots.map((s) => JSON.stringify(s.metrics)),
        snapshots.map((s) => s.revision),
        snapshots.map((s) => s.asOfMs),
      ],
    );
  }
}
