/**
 * One activity about an opportunity as sprint-planning keeps it (SPEC §3 forecast fields, §4 board):
 * a creation or stage change with its forecast fields, a win or loss naming the opportunity, or a
 * cancellation of a win (which names only the deal). Kept per activity id, so a void takes it back
 * whenever it arrives.
 */
export interface OpportunityActivity {
  activityId: string;
  kind: 'opportunity_created' | 'opportunity_stage_changed' | 'deal_won' | 'deal_lost' | 'deal_cancelled';
  /** Null on a cancellation. */
  opportunityId: string | null;
  dealId: string | null;
  occurredAt: string;
  occurredMs: number;
  toStage: string | null;
  amount: string | null;
  expectedCloseDate: string | null;
  probability: string | null;
  /** Seen (not only as the copy inside a void). */
  recorded: boolean;
  voided: boolean;
}

export type OpportunityStatus = 'open' | 'won' | 'lost';

/** What a board shows of an item's opportunity. */
export interface OpportunityState {
  opportunityId: string;
  /** The latest stage change's `toStage`; null before any. */
  stage: string | null;
  status: OpportunityStatus;
  /** Decimal string: the latest amount sent (creation, or a stage change carrying one). */
  amount: string | null;
  expectedCloseDate: string | null;
  probability: string | null;
}

/** Latest by occurredAt, then activityId (SPEC §3). */
function later(a: OpportunityActivity, b: OpportunityActivity | undefined): boolean {
  return !b || a.occurredMs > b.occurredMs || (a.occurredMs === b.occurredMs && a.activityId > b.activityId);
}

function latest<T>(rows: readonly OpportunityActivity[], field: (r: OpportunityActivity) => T | null): T | null {
  let best: OpportunityActivity | undefined;
  for (const r of rows) if (field(r) !== null && later(r, best)) best = r;
  return best ? field(best) : null;
}

/**
 * The current state of one opportunity from every activity about it (a pure function of the set, so
 * arrival order never matters): each field is the latest not-voided value; it is won while a
 * not-voided win is not cancelled by a not-voided cancellation, else lost when a not-voided loss names
 * it, else open. `undefined` when nothing not-voided is known about it.
 */
export function opportunityStateOf(
  opportunityId: string,
  rows: readonly OpportunityActivity[],
  cancellations: readonly OpportunityActivity[],
): OpportunityState | undefined {
  const live = rows.filter((r) => r.recorded && !r.voided && r.opportunityId === opportunityId);
  if (live.length === 0) return undefined;
  const cancelled = new Set(cancellations.filter((c) => c.recorded && !c.voided).map((c) => c.dealId));
  const forecast = live.filter((r) => r.kind === 'opportunity_created' || r.kind === 'opportunity_stage_changed');
  const won = live.some((r) => r.kind === 'deal_won' && !cancelled.has(r.dealId));
  const lost = live.some((r) => r.kind === 'deal_lost');
  return {
    opportunityId,
    stage: latest(forecast, (r) => (r.kind === 'opportunity_stage_changed' ? r.toStage : null)),
    status: won ? 'won' : lost ? 'lost' : 'open',
    amount: latest(forecast, (r) => r.amount),
    expectedCloseDate: latest(forecast, (r) => r.expectedCloseDate),
    probability: latest(forecast, (r) => r.probability),
  };
}
