import type { PlanAssignedData, PlanBody, PlanVersionCreatedData, QuotaSetData } from '@pacer/contracts';

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

interface StoredEventLike {
  type: string;
  data: unknown;
}

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
 * A comp plan: an append-only list of immutable versions. A command only decides the next event;
 * state changes only by applying events (so loading replays exactly what was decided).
 */
export class PlanAggregate {
  private readonly versions: PlanVersionCreatedData[] = [];
  private streamVersion = 0;

  constructor(readonly planId: string) {}

  static load(planId: string, events: readonly StoredEventLike[]): PlanAggregate {
    const plan = new PlanAggregate(planId);
    for (const e of events) plan.apply(e);
    return plan;
  }

  apply(event: StoredEventLike): void {
    this.streamVersion += 1;
    if (event.type === 'pacer.plan.version_created.v1')
      this.versions.push(event.data as PlanVersionCreatedData);
  }

  /** The stream version the next append must expect. */
  get expectedVersion(): number {
    return this.streamVersion;
  }

  get latest(): PlanVersionCreatedData | undefined {
    return this.versions[this.versions.length - 1];
  }

  /** The next version for `body`, or undefined when it is the latest version already (PUT is idempotent). */
  createVersion(body: PlanBody): PlanVersionCreatedData | undefined {
    const latest = this.latest;
    if (latest !== undefined && sameBody(latest, body)) return undefined;
    return { planId: this.planId, version: (latest?.version ?? 0) + 1, ...body };
  }
}

/** A rep's plan assignments (one per effective date) and quotas (one per period key). */
export class RepPlanAggregate {
  private readonly assignments = new Map<string, string>();
  private readonly quotas = new Map<string, string>();
  private streamVersion = 0;

  constructor(readonly repId: string) {}

  static load(repId: string, events: readonly StoredEventLike[]): RepPlanAggregate {
    const rep = new RepPlanAggregate(repId);
    for (const e of events) rep.apply(e);
    return rep;
  }

  apply(event: StoredEventLike): void {
    this.streamVersion += 1;
    if (event.type === 'pacer.plan.assigned.v1') {
      const d = event.data as PlanAssignedData;
      this.assignments.set(d.effectiveFrom, d.planId);
    } else if (event.type === 'pacer.plan.quota_set.v1') {
      const d = event.data as QuotaSetData;
      this.quotas.set(d.periodKey, d.amount);
    }
  }

  get expectedVersion(): number {
    return this.streamVersion;
  }

  /** The assignment event, or undefined when the rep already has this plan from this date. */
  assign(planId: string, effectiveFrom: string): PlanAssignedData | undefined {
    if (this.assignments.get(effectiveFrom) === planId) return undefined;
    return { repId: this.repId, planId, effectiveFrom };
  }

  /** The quota event (amount already normalised to cents), or undefined when unchanged. */
  setQuota(periodKey: string, amount: string): QuotaSetData | undefined {
    if (this.quotas.get(periodKey) === amount) return undefined;
    return { repId: this.repId, periodKey, amount };
  }
}
