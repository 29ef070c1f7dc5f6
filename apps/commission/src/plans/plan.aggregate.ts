import type { PlanAssignedData, PlanBody, PlanVersionCreatedData, QuotaSetData } from '@pacer/contracts';
import { AggregateRoot, DomainEvent } from '@pacer/event-store/aggregate';

export const PLAN_STREAM = 'plan';
export const REP_PLAN_STREAM = 'rep-plan';

/** The event-store stream of one plan of one tenant. */
export function planStreamId(tenantId: string, planId: string): string {
  return `${PLAN_STREAM}/${encodeURIComponent(tenantId)}/${encodeURIComponent(planId)}`;
}

/** The event-store stream of one rep's plan assignments and quotas. */
export function repPlanStreamId(tenantId: string, repId: string): string {
  return `${REP_PLAN_STREAM}/${encodeURIComponent(tenantId)}/${encodeURIComponent(repId)}`;
}

export type PlanEvent = DomainEvent<'pacer.plan.version_created.v1', PlanVersionCreatedData>;
export type RepPlanEvent =
  | DomainEvent<'pacer.plan.assigned.v1', PlanAssignedData>
  | DomainEvent<'pacer.plan.quota_set.v1', QuotaSetData>;

/** A stored event as the streams hold it; an unknown type still counts towards the stream's version. */
export interface StoredEventLike {
  type: string;
  data: unknown;
}

// Stored events are trusted (only these aggregates write the streams); the casts name their shapes.
export const decodePlanEvent = (e: StoredEventLike): PlanEvent => e as PlanEvent;
export const decodeRepPlanEvent = (e: StoredEventLike): RepPlanEvent => e as RepPlanEvent;

function sameBody(a: PlanBody, b: PlanBody): boolean {
  const pick = (p: PlanBody): PlanBody => ({
    name: p.name,
    currency: p.currency,
    period: p.period,
    tiers: p.tiers.map((t) => ({ from: t.from, rate: t.rate })),
    tierMode: p.tierMode,
    cap: p.cap,
    spiffs: p.spiffs.map((s) => ({ id: s.id, metric: s.metric, threshold: s.threshold, amount: s.amount })),
    clawbackDays: p.clawbackDays,
    effectiveFrom: p.effectiveFrom,
  });
  return JSON.stringify(pick(a)) === JSON.stringify(pick(b));
}

/**
 * A comp plan: an append-only list of immutable versions. A command raises the next event; state
 * changes only by applying events (so loading replays exactly what was decided).
 */
export class PlanAggregate extends AggregateRoot<PlanEvent> {
  private readonly versions: PlanVersionCreatedData[] = [];

  constructor(readonly planId: string) {
    super();
  }

  get latest(): PlanVersionCreatedData | undefined {
    return this.versions[this.versions.length - 1];
  }

  /** Raises the next version for `body`; undefined when it is the latest version already (PUT is idempotent). */
  createVersion(body: PlanBody): PlanVersionCreatedData | undefined {
    const latest = this.latest;
    if (latest !== undefined && sameBody(latest, body)) return undefined;
    const data = { planId: this.planId, version: (latest?.version ?? 0) + 1, ...body };
    this.raise({ type: 'pacer.plan.version_created.v1', data });
    return data;
  }

  protected when(event: PlanEvent): void {
    if (event.type === 'pacer.plan.version_created.v1') this.versions.push(event.data);
  }
}

/** A rep's plan assignments (one per effective date) and quotas (one per period key). */
export class RepPlanAggregate extends AggregateRoot<RepPlanEvent> {
  private readonly assignments = new Map<string, string>();
  private readonly quotas = new Map<string, string>();

  constructor(readonly repId: string) {
    super();
  }

  /** Raises the assignment; undefined when the rep already has this plan from this date. */
  assign(planId: string, effectiveFrom: string): PlanAssignedData | undefined {
    if (this.assignments.get(effectiveFrom) === planId) return undefined;
    const data = { repId: this.repId, planId, effectiveFrom };
    this.raise({ type: 'pacer.plan.assigned.v1', data });
    return data;
  }

  /** Raises the quota (amount already normalised to cents); undefined when unchanged. */
  setQuota(periodKey: string, amount: string): QuotaSetData | undefined {
    if (this.quotas.get(periodKey) === amount) return undefined;
    const data = { repId: this.repId, periodKey, amount };
    this.raise({ type: 'pacer.plan.quota_set.v1', data });
    return data;
  }

  protected when(event: RepPlanEvent): void {
    if (event.type === 'pacer.plan.assigned.v1') {
      this.assignments.set(event.data.effectiveFrom, event.data.planId);
    } else if (event.type === 'pacer.plan.quota_set.v1') {
      this.quotas.set(event.data.periodKey, event.data.amount);
    }
  }
}
