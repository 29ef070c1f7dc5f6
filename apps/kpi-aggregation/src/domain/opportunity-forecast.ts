import { PROBABILITY_FRACTION_DIGITS } from '@pacer/contracts';
import { startOfLocalDate } from '@pacer/sales-domain';
import { DealCancellation } from './deal-cancellation';
import { AttributionContext, placeAt } from './fact-attribution';
import { AppliedState, FactRow } from './kpi-fact';
import { emptyTally, KpiTally } from './kpi-tally';
import { laterOf, mergeRedelivery, Redeliverable, redeliveryChanged } from './redelivery';

/** Units of `probability` kept exactly: "0.35" is 350,000 millionths. */
export const PROBABILITY_SCALE = 10n ** BigInt(PROBABILITY_FRACTION_DIGITS);

/** A probability string of the contract ([0, 1], at most 6 fraction digits) in millionths. */
export function probabilityUnits(probability: string): bigint {
  const [whole = '0', fraction = ''] = probability.split('.');
  if (!/^\d+$/.test(whole) || !/^\d*$/.test(fraction) || fraction.length > PROBABILITY_FRACTION_DIGITS) {
    throw new RangeError(`not a probability: ${probability}`);
  }
  const units = BigInt(whole) * PROBABILITY_SCALE + BigInt(fraction.padEnd(PROBABILITY_FRACTION_DIGITS, '0') || '0');
  if (units > PROBABILITY_SCALE) throw new RangeError(`probability above 1: ${probability}`);
  return units;
}

/**
 * The forecast fields of one `opportunity_created` or `opportunity_stage_changed` (SPEC §3), kept
 * by activity id so its void can take it back. Only the fields it carries count; an absent field
 * leaves the earlier value standing.
 */
export interface OpportunityEvent extends Redeliverable {
  activityId: string;
  opportunityId: string;
  /** The rep the activity names: decides the forecast's rep only on `opportunity_created`. */
  repId: string;
  created: boolean;
  occurredMs: number;
  amountCents: bigint | null;
  /** `YYYY-MM-DD` in the tenant calendar. */
  closeDate: string | null;
  /** Millionths, 0 … 1,000,000. */
  probabilityUnits: bigint | null;
}

/** Folds another delivery of the activity (again, or its void) in: newest times, voided once voided. */
export function mergeOpportunityEvent(stored: OpportunityEvent | undefined, incoming: OpportunityEvent): OpportunityEvent {
  return stored ? mergeRedelivery(stored, incoming) : incoming;
}

export function opportunityEventChanged(before: OpportunityEvent | undefined, after: OpportunityEvent): boolean {
  return redeliveryChanged(before, after);
}

/** What an opportunity is now, from every event about it; null when nothing can be forecast. */
export interface ForecastState {
  repId: string;
  open: boolean;
  closeDate: string;
  amountCents: bigint;
  probabilityUnits: bigint | null;
  touchedMs: number;
}

/** Latest first: by occurredAt, then activityId (SPEC §3). */
function later(a: OpportunityEvent, b: OpportunityEvent): boolean {
  return a.occurredMs !== b.occurredMs ? a.occurredMs > b.occurredMs : a.activityId > b.activityId;
}

function latestWith<T>(events: readonly OpportunityEvent[], field: (e: OpportunityEvent) => T | null): T | null {
  let best: OpportunityEvent | undefined;
  for (const e of events) if (field(e) !== null && (!best || later(e, best))) best = e;
  return best ? field(best) : null;
}

/**
 * The current forecast of one opportunity, a pure function of the set of events about it:
 * - its rep is the rep of its (latest, not voided) `opportunity_created`: a stage change never moves it,
 *   and without a creation there is no rep to forecast for;
 * - amount, expectedCloseDate and probability are each the value of the latest not-voided event
 *   carrying that field (by occurredAt, then activityId);
 * - it is open unless a not-voided `deal_lost` or a not-voided, not-cancelled `deal_won` names it;
 * - without an expectedCloseDate it falls in no period.
 * `touchedMs` is the newest recordedtime among all of them (voids and cancellations included).
 */
export function forecastStateOf(
  events: readonly OpportunityEvent[],
  closers: readonly Pick<FactRow, 'kind' | 'dealId' | 'voided' | 'recordedMs' | 'voidRecordedMs'>[],
  cancellationOf: (dealId: string) => DealCancellation | undefined,
): ForecastState | null {
  const live = events.filter((e) => !e.voided && e.recordedMs !== null);
  let creation: OpportunityEvent | undefined;
  for (const e of live) if (e.created && (!creation || later(e, creation))) creation = e;
  const closeDate = latestWith(live, (e) => e.closeDate);
  const amountCents = latestWith(live, (e) => e.amountCents);
  if (!creation || closeDate === null || amountCents === null) return null;

  let touched: number | null = null;
  for (const e of events) touched = laterOf(touched, laterOf(e.recordedMs, e.voidRecordedMs));
  let open = true;
  for (const c of closers) {
    touched = laterOf(touched, laterOf(c.recordedMs, c.voidRecordedMs));
    const cancellation = c.kind === 'deal_won' && c.dealId !== null ? cancellationOf(c.dealId) : undefined;
    if (cancellation) touched = laterOf(touched, cancellation.touchedMs);
    if (c.voided || c.recordedMs === null) continue;
    if (c.kind === 'deal_lost' || (c.kind === 'deal_won' && !cancellation?.cancelled)) open = false;
  }
  return {
    repId: creation.repId,
    open,
    closeDate,
    amountCents,
    probabilityUnits: latestWith(live, (e) => e.probabilityUnits),
    touchedMs: touched ?? 0,
  };
}

/**
 * Where an opportunity's forecast counts now: the keys of its rep at its close date (periods, teams,
 * sprints), whether it counts (open) and what it adds. Stored per opportunity so a later change
 * (a new date or amount, a win, a late membership, new settings) takes back exactly what was added.
 */
export interface ForecastApplied extends AppliedState {
  repId: string;
  closeDate: string;
  /** The instant that decides periods and teams: the start of closeDate in the tenant time zone. */
  closeMs: number;
  pipelineCents: bigint;
  /** amount in cents × probability in millionths: exact, rounded once per key when derived. */
  weightedUnits: bigint;
}

/** The forecast of one opportunity stored with where it is applied; `applied` null when it is in no key. */
export interface ForecastRow {
  opportunityId: string;
  applied: ForecastApplied | null;
}

/** The instant a close date is read at: its first instant in the tenant's zone (local midnight). */
export function closeInstantMs(closeDate: string, timezone: string): number {
  return startOfLocalDate(closeDate, timezone).toMillis();
}

export function attributeForecast(state: ForecastState | null, ctx: AttributionContext): ForecastApplied | null {
  if (state === null) return null;
  return placeForecast(
    {
      repId: state.repId,
      closeDate: state.closeDate,
      counted: state.open,
      touchedMs: state.touchedMs,
      pipelineCents: state.amountCents,
      weightedUnits: state.amountCents * (state.probabilityUnits ?? 0n),
    },
    ctx,
  );
}

/** The same forecast placed again in the context's calendar and roster (a restatement). */
export function placeForecast(
  f: Pick<ForecastApplied, 'repId' | 'closeDate' | 'counted' | 'touchedMs' | 'pipelineCents' | 'weightedUnits'>,
  ctx: AttributionContext,
): ForecastApplied {
  const closeMs = closeInstantMs(f.closeDate, ctx.periods.calendar.timezone);
  return {
    repId: f.repId,
    closeDate: f.closeDate,
    closeMs,
    counted: f.counted,
    cycleMs: null,
    touchedMs: f.touchedMs,
    pipelineCents: f.pipelineCents,
    weightedUnits: f.weightedUnits,
    ...placeAt(f.repId, closeMs, ctx),
  };
}

export function forecastContribution(a: ForecastApplied): KpiTally {
  const t = emptyTally();
  t.forecastPipelineCents = a.pipelineCents;
  t.forecastWeightedUnits = a.weightedUnits;
  return t;
}

export function forecastAppliedEquals(a: ForecastApplied | null, b: ForecastApplied | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.repId === b.repId &&
    a.closeDate === b.closeDate &&
    a.closeMs === b.closeMs &&
    a.counted === b.counted &&
    a.touchedMs === b.touchedMs &&
    a.pipelineCents === b.pipelineCents &&
    a.weightedUnits === b.weightedUnits &&
    a.periods.every((p, i) => p === b.periods[i]) &&
    a.teams.length === b.teams.length &&
    a.teams.every((t, i) => t === b.teams[i]) &&
    a.sprints.length === b.sprints.length &&
    a.sprints.every(([team, sprint], i) => team === b.sprints[i]?.[0] && sprint === b.sprints[i]?.[1])
  );
}
