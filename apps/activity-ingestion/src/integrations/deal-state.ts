import { Decimal } from 'decimal.js';
import { CrmMappings, ItemOutcome, ItemProblem, RawActivity, repFor, StageOutcome } from './crm.types';

// CRM deals arrive as changes (HubSpot: one property per event) or as whole records (Salesforce: the
// record as it is now, on every edit). Pacer records opportunities as activities, so ingestion keeps
// the latest value of each deal field with the CRM time it was set, and turns each observation into
// the activities it implies: opportunity_created once the deal has an owner, an amount and a
// currency; a stage change, a win, a loss or the cancellation of a win when the stage changes; a
// forecast update (opportunity_stage_changed with the current stage) when amount, close date or
// probability change. Pure: the repository loads and saves the state around it.

const FIELDS = ['owner', 'amount', 'currency', 'stage', 'closeDate', 'probability'] as const;
type Field = (typeof FIELDS)[number];
const FORECAST_FIELDS: readonly Field[] = ['amount', 'closeDate', 'probability'];
/** Transitions kept while they cannot be recorded (no rep yet, no amount on a win). */
const MAX_PENDING = 50;

export interface Stamped {
  value: string;
  /** CRM time (epoch ms) at which the value was set. */
  at: number;
}

export interface PendingTransition {
  stage: string;
  outcome?: StageOutcome;
  at: number;
}

export interface DealState {
  facts: Partial<Record<Field, Stamped>>;
  /** When the deal was created in the CRM, if a payload said so. */
  createdAt?: number;
  firstSeenAt?: number;
  /** Set once opportunity_created is recorded; `createdBy` is the observation time that recorded it. */
  createdBy?: number;
  /** The deal's closed state as last recorded in Pacer. */
  closed?: StageOutcome;
  pending: PendingTransition[];
}

export interface DealObservation {
  /** CRM time of the change or of the record version (epoch ms); absent for a retry with nothing new. */
  at?: number;
  owner?: string;
  amount?: string;
  currency?: string;
  stage?: string;
  /** What the CRM itself says the stage means (Salesforce IsWon/IsClosed); HubSpot leaves it to the mapping. */
  outcome?: StageOutcome | 'open';
  closeDate?: string;
  probability?: string;
  createdAt?: number;
}

export interface DealContext {
  vendor: string;
  /** Prefix of every activityId of this deal, e.g. `hs:62515:deal:1246965`. */
  idPrefix: string;
  dealId: string;
  mappings: CrmMappings;
  /** Currency of deals whose payloads carry none. */
  defaultCurrency?: string;
  /** The vendor's own reading of a stage id (HubSpot: closedwon / closedlost). */
  defaultOutcome: (stage: string) => StageOutcome | undefined;
}

export function emptyDealState(): DealState {
  return { facts: {}, pending: [] };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Folds one observation into the deal's state and says which activities it implies. Values older
 * than the stored ones do not overwrite them and trigger nothing (the deal's current state wins);
 * an observation equal to the one that set a value (a redelivery) implies the same activities
 * again, with the same activityIds, so it comes back as a duplicate.
 */
export function observeDeal(
  previous: DealState | undefined,
  obs: DealObservation,
  ctx: DealContext,
): { state: DealState; outcome: ItemOutcome } {
  const state: DealState = structuredClone(previous ?? emptyDealState());
  const changed = new Set<Field>();
  if (obs.at !== undefined) {
    state.firstSeenAt = Math.min(state.firstSeenAt ?? obs.at, obs.at);
    // A redelivered change implies its activities again only while nothing newer is known: their
    // content is the deal as of then, which later changes would make differ (a 409, not a duplicate).
    const latest = Math.max(...FIELDS.map((f) => state.facts[f]?.at ?? Number.NEGATIVE_INFINITY));
    for (const field of FIELDS) {
      const value = obs[field];
      if (value === undefined) continue;
      const fact = state.facts[field];
      if (!fact || (obs.at > fact.at && fact.value !== value)) {
        state.facts[field] = { value, at: obs.at };
        changed.add(field);
      } else if (fact.at === obs.at && fact.value === value && obs.at >= latest) {
        changed.add(field);
      }
    }
  }
  if (obs.createdAt !== undefined) state.createdAt = obs.createdAt;

  const transitions = [...state.pending];
  if (changed.has('stage') && obs.at !== undefined && obs.stage !== undefined) {
    const outcome = outcomeOf(obs.stage, obs.outcome, ctx);
    if (!transitions.some((t) => t.at === obs.at && t.stage === obs.stage)) {
      transitions.push({ stage: obs.stage, at: obs.at, ...(outcome ? { outcome } : {}) });
    }
  }
  transitions.sort((a, b) => a.at - b.at);
  const nothingNew = changed.size === 0 && transitions.length === 0;
  if (nothingNew && (state.createdBy !== undefined || obs.at !== undefined)) {
    return { state, outcome: { activities: [], ignored: 'no change to a field Pacer records' } };
  }

  const rep = repFor(ctx.mappings, state.facts.owner?.value, `deal ${ctx.dealId}`);
  if ('problem' in rep) {
    state.pending = transitions.slice(-MAX_PENDING);
    return { state, outcome: { activities: [], problem: rep.problem } };
  }
  const { repId } = rep;
  const activities: RawActivity[] = [];
  const money = moneyOf(state, ctx);
  let problem: ItemProblem | undefined;
  let justCreated = false;

  if (state.createdBy === undefined && money) {
    activities.push({
      activityId: `${ctx.idPrefix}:created`,
      kind: 'opportunity_created',
      repId,
      occurredAt: iso(state.createdAt ?? state.firstSeenAt ?? obs.at ?? Date.now()),
      opportunityId: ctx.dealId,
      amount: money.amount,
      currency: money.currency,
      ...forecastOf(state, false),
    });
    state.createdBy = obs.at ?? state.firstSeenAt ?? 0;
    justCreated = true;
  }

  const stillPending: PendingTransition[] = [];
  for (const t of transitions) {
    if (t.outcome === 'won') {
      if (!money) {
        stillPending.push(t);
        problem = { reason: 'missing-amount', detail: `deal ${ctx.dealId} was won without an amount${ctx.defaultCurrency || state.facts.currency ? '' : ' or currency'}` };
        continue;
      }
      activities.push({
        activityId: `${ctx.idPrefix}:won:${t.at}`,
        kind: 'deal_won',
        repId,
        occurredAt: iso(t.at),
        dealId: ctx.dealId,
        opportunityId: ctx.dealId,
        amount: money.amount,
        currency: money.currency,
        ...(state.createdAt !== undefined && state.createdAt <= t.at ? { openedAt: iso(state.createdAt) } : {}),
      });
      state.closed = 'won';
    } else if (t.outcome === 'lost') {
      activities.push({
        activityId: `${ctx.idPrefix}:lost:${t.at}`,
        kind: 'deal_lost',
        repId,
        occurredAt: iso(t.at),
        dealId: ctx.dealId,
        opportunityId: ctx.dealId,
      });
      state.closed = 'lost';
    } else {
      const toStage = ctx.mappings.stages.get(t.stage)?.pacerStage ?? t.stage;
      if (state.closed === 'won') {
        // Moving a won deal back into an open stage takes its revenue back, as a cancel does.
        activities.push({
          activityId: `${ctx.idPrefix}:cancelled:${t.at}`,
          kind: 'deal_cancelled',
          repId,
          occurredAt: iso(t.at),
          dealId: ctx.dealId,
          reason: `reopened in ${ctx.vendor} (stage ${toStage})`,
        });
      }
      state.closed = undefined;
      activities.push({
        activityId: `${ctx.idPrefix}:changed:${t.at}`,
        kind: 'opportunity_stage_changed',
        repId,
        occurredAt: iso(t.at),
        opportunityId: ctx.dealId,
        toStage,
        ...forecastOf(state, true),
      });
    }
  }
  state.pending = stillPending.slice(-MAX_PENDING);

  const stageChangedNow = transitions.some((t) => t.at === obs.at);
  const forecastChanged = FORECAST_FIELDS.some((f) => changed.has(f));
  const stage = state.facts.stage?.value;
  if (
    forecastChanged &&
    !stageChangedNow &&
    !justCreated &&
    obs.at !== undefined &&
    obs.at !== state.createdBy &&
    state.createdBy !== undefined &&
    state.closed === undefined &&
    stage !== undefined
  ) {
    activities.push({
      activityId: `${ctx.idPrefix}:changed:${obs.at}`,
      kind: 'opportunity_stage_changed',
      repId,
      occurredAt: iso(obs.at),
      opportunityId: ctx.dealId,
      toStage: ctx.mappings.stages.get(stage)?.pacerStage ?? stage,
      ...forecastOf(state, true),
    });
  }
  if (activities.length === 0 && !problem) {
    return { state, outcome: { activities, ignored: 'nothing to record yet (the deal has no amount or currency)' } };
  }
  return { state, outcome: { activities, ...(problem ? { problem } : {}) } };
}

function outcomeOf(stage: string, crmSays: StageOutcome | 'open' | undefined, ctx: DealContext): StageOutcome | undefined {
  const mapped = ctx.mappings.stages.get(stage);
  if (mapped) return mapped.outcome;
  if (crmSays !== undefined) return crmSays === 'open' ? undefined : crmSays;
  return ctx.defaultOutcome(stage);
}

function moneyOf(state: DealState, ctx: DealContext): { amount: string; currency: string } | undefined {
  const amount = state.facts.amount?.value;
  const currency = state.facts.currency?.value ?? ctx.defaultCurrency;
  if (amount === undefined || currency === undefined) return undefined;
  if (!new Decimal(amount).greaterThan(0)) return undefined;
  return { amount, currency };
}

function forecastOf(state: DealState, withAmount: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (withAmount && state.facts.amount && new Decimal(state.facts.amount.value).greaterThanOrEqualTo(0)) {
    out['amount'] = state.facts.amount.value;
  }
  if (state.facts.closeDate) out['expectedCloseDate'] = state.facts.closeDate.value;
  if (state.facts.probability) out['probability'] = state.facts.probability.value;
  return out;
}
