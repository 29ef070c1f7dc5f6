import type { LedgerPosting } from '../calculation/ledger-postings';

/**
 * A ledger line as the statement lists it: what it is, how much, why, and the events it came from,
 * in a fixed, readable key order. It carries more than its delta event (bands and rates for every
 * deal line, not only `earned`), because the statement must explain every cent.
 */
export function ledgerLineView(
  p: LedgerPosting,
  meta: { planId: string; planVersion: number; eventId: string; postedAt: string },
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    lineId: p.lineId,
    appliesTo: p.appliesTo,
    kind: p.kind,
    type: p.type,
    amount: p.amount,
    currency: p.currency,
  };
  const optional: [string, unknown][] = [
    ['dealId', p.dealId],
    ['credit', p.credit],
    ['bands', p.bands],
    ['fromRate', p.fromRate],
    ['toRate', p.toRate],
    ['spiffId', p.spiffId],
    ['metric', p.metric],
    ['threshold', p.threshold],
    ['cap', p.cap],
    ['reason', p.reason],
    ['closedPeriodKey', p.closedPeriodKey],
    ['adjustedBy', p.adjustedBy],
    ['disputeId', p.disputeId],
    ['note', p.note],
  ];
  for (const [k, v] of optional) if (v !== undefined) view[k] = v;
  view['sourceEventIds'] = p.sourceEventIds;
  view['planId'] = meta.planId;
  view['planVersion'] = meta.planVersion;
  view['eventId'] = meta.eventId;
  view['postedAt'] = meta.postedAt;
  return view;
}
