import type { CommissionBand } from '@pacer/contracts';
import { Dec, money, ZERO } from './decimal';
import { postingLineId, ROUNDING_LINE_ID } from './line-ids';
import type { BreakdownKind, BreakdownLine } from './statement.types';

export const DELTA_TYPES = {
  earned: 'pacer.commission.earned.v1',
  adjusted: 'pacer.commission.adjusted.v1',
  spiff: 'pacer.commission.spiff_awarded.v1',
  cap: 'pacer.commission.cap_applied.v1',
  clawback: 'pacer.commission.clawed_back.v1',
  priorPeriod: 'pacer.commission.prior_period_adjusted.v1',
  manual: 'pacer.commission.manually_adjusted.v1',
} as const;
export type DeltaType = (typeof DELTA_TYPES)[keyof typeof DELTA_TYPES];

/** What a ledger line is, as the statement lists it (SPEC §6 line kinds). */
export type LedgerLineKind =
  | 'deal'
  | 'retroactive_adjustment'
  | 'adjustment'
  | 'spiff'
  | 'cap'
  | 'clawback'
  | 'prior_period_adjustment'
  | 'manual_adjustment';

/** What the ledger already holds for one line of the calculation. */
export interface LedgerBalance {
  baseLineId: string;
  kind: BreakdownKind;
  postings: number;
  byCurrency: ReadonlyMap<string, Dec>;
  dealId?: string;
  spiffId?: string;
  metric?: string;
  threshold?: string;
  cap?: string;
}

/** A new ledger line: one delta on `pacer.commissions.v1` and one line of the statement. */
export interface LedgerPosting {
  lineId: string;
  appliesTo: string;
  type: DeltaType;
  kind: LedgerLineKind;
  amount: string;
  currency: string;
  reason?: string;
  note?: string;
  sourceEventIds: string[];
  dealId?: string;
  credit?: string;
  bands?: CommissionBand[];
  fromRate?: string;
  toRate?: string;
  spiffId?: string;
  metric?: string;
  threshold?: string;
  cap?: string;
  /** Prior-period adjustment: the closed period whose calculation the line corrects. */
  closedPeriodKey?: string;
  /** Manual adjustment: the admin who posted it, and the dispute it resolves. */
  adjustedBy?: string;
  disputeId?: string;
}

export interface PostingContext {
  /** The currency the statement pays in now. */
  currency: string;
  /** Deals of this period whose deal_won was voided, with the void's event id. */
  voided: ReadonlyMap<string, string>;
  /** Lineage for a correction whose line left the calculation for another reason (plan or calendar change). */
  fallbackSourceIds: readonly string[];
  /** Why such a line left, for its note. */
  leftReason: string;
}

const MAX_SOURCES = 20;

function uniqCapped(ids: readonly string[]): string[] {
  return [...new Set(ids)].slice(0, MAX_SOURCES);
}

function held(balance: LedgerBalance | undefined, currency: string): Dec {
  return balance?.byCurrency.get(currency) ?? ZERO;
}

function heldElsewhere(balance: LedgerBalance, currency: string): boolean {
  for (const [c, v] of balance.byCurrency) if (c !== currency && !v.isZero()) return true;
  return false;
}

// The detail objects are filled field by field, and a posting is its base plus its own fields by
// Object.assign (`over`): in Node 20 an object literal that starts with a spread and goes on with
// more (`{ ...(a ? { x } : {}), ...(b ? { y } : {}) }`, `{ ...base, type }`) defines them through
// the runtime, ~1 µs per property, and these run for every line of every recalculated statement.
// Field order is the one the spreads gave.
function lineDetail(line: BreakdownLine): Partial<LedgerPosting> {
  const detail: Partial<LedgerPosting> = {};
  if (line.dealId !== undefined) detail.dealId = line.dealId;
  if (line.credit !== undefined) detail.credit = line.credit;
  if (line.bands !== undefined && line.bands.length > 0) detail.bands = line.bands;
  if (line.fromRate !== undefined) {
    detail.fromRate = line.fromRate;
    detail.toRate = line.toRate;
  }
  if (line.spiffId !== undefined) {
    detail.spiffId = line.spiffId;
    detail.metric = line.metric;
    detail.threshold = line.threshold;
  }
  if (line.cap !== undefined) detail.cap = line.cap;
  return detail;
}

function balanceDetail(balance: LedgerBalance): Partial<LedgerPosting> {
  const detail: Partial<LedgerPosting> = {};
  if (balance.dealId !== undefined) detail.dealId = balance.dealId;
  if (balance.spiffId !== undefined) {
    detail.spiffId = balance.spiffId;
    detail.metric = balance.metric;
    detail.threshold = balance.threshold;
  }
  if (balance.cap !== undefined) detail.cap = balance.cap;
  return detail;
}

type PostingBase = Pick<LedgerPosting, 'currency' | 'sourceEventIds'> & Partial<LedgerPosting>;
type PostingOwn = Pick<LedgerPosting, 'type' | 'kind' | 'amount'> & Partial<LedgerPosting>;

/** `{ ...base, ...own }` (see lineDetail). */
function over(base: PostingBase, own: PostingOwn): Omit<LedgerPosting, 'lineId' | 'appliesTo'> {
  return Object.assign({}, base, own);
}

/**
 * The ledger lines that bring the ledger to the calculation: for every line, the difference between
 * its current amount and what the ledger holds for it is posted as a new line (never by re-sending
 * the old one), so after posting, the ledger's sum for the period equals the statement total. The
 * first posting of a deal is `earned`; a later change is `adjusted` with a reason, a clawback when a
 * deal was cancelled within the window (and for what that cancellation takes from other lines), a
 * SPIFF award or reversal, or a cap change. Lines the calculation no longer has are reversed.
 */
export function planPostings(
  lines: readonly BreakdownLine[],
  balances: ReadonlyMap<string, LedgerBalance>,
  ctx: PostingContext,
): LedgerPosting[] {
  const out: LedgerPosting[] = [];
  const counts = new Map<string, number>();
  const post = (base: string, posting: Omit<LedgerPosting, 'lineId' | 'appliesTo'>): void => {
    const n = counts.get(base) ?? balances.get(base)?.postings ?? 0;
    out.push({ lineId: postingLineId(base, n), appliesTo: base, ...posting });
    counts.set(base, n + 1);
  };

  const clawing = lines.filter(
    (l) =>
      l.kind === 'deal' && l.status === 'clawed_back' && !held(balances.get(l.lineId), ctx.currency).isZero(),
  );
  const clawingIds = clawing.map((l) => l.dealId as string);
  const clawedDeals = new Map(
    lines
      .filter((l) => l.status === 'clawed_back')
      .map((l) => [l.dealId as string, l.sourceEventIds] as const),
  );
  const clawingSources = clawing.flatMap((l) => l.sourceEventIds);
  // The voids whose deals leave the ledger in this posting: a SPIFF or cap they move cites them.
  const current = new Set(lines.map((l) => l.lineId));
  const voidingSources = [...balances.values()].flatMap((b) => {
    const voidId = b.dealId !== undefined ? ctx.voided.get(b.dealId) : undefined;
    if (voidId === undefined || current.has(b.baseLineId)) return [];
    return [...b.byCurrency.values()].some((v) => !v.isZero()) ? [voidId] : [];
  });
  const causes = [...clawingSources, ...voidingSources];

  for (const line of lines) {
    const balance = balances.get(line.lineId);
    const holding = held(balance, ctx.currency);
    const foreign = balance !== undefined && heldElsewhere(balance, ctx.currency);
    const first = (counts.get(line.lineId) ?? balance?.postings ?? 0) === 0;
    // Most lines of a recalculated period are unchanged: leave them before building anything.
    if (!first && !foreign && holding.equals(line.amount)) continue;
    if (foreign) reverseOtherCurrencies(balance, ctx, post);
    const diff = new Dec(line.amount).minus(holding);
    const base = {
      currency: ctx.currency,
      sourceEventIds: uniqCapped(line.sourceEventIds),
      ...lineDetail(line),
    };
    const amount = money(diff);

    if (line.kind === 'spiff' || line.kind === 'cap') {
      if (diff.isZero()) continue;
      const type = line.kind === 'spiff' ? DELTA_TYPES.spiff : DELTA_TYPES.cap;
      post(
        line.lineId,
        over(base, {
          // A SPIFF or cap that moves because deals were cancelled or voided cites those events too.
          sourceEventIds: uniqCapped([...causes, ...line.sourceEventIds]),
          type,
          kind: line.kind,
          amount,
          ...(line.note ? { note: line.note } : {}),
        }),
      );
      continue;
    }
    if (first && line.kind === 'deal') {
      if (line.status === 'clawed_back') continue;
      post(
        line.lineId,
        over(base, {
          type: DELTA_TYPES.earned,
          kind: 'deal',
          amount,
          ...(line.note ? { note: line.note } : {}),
        }),
      );
      continue;
    }
    if (diff.isZero()) continue;
    if (line.status === 'clawed_back') {
      post(
        line.lineId,
        over(base, {
          type: DELTA_TYPES.clawback,
          kind: 'clawback',
          amount,
          ...(line.note ? { note: line.note } : {}),
        }),
      );
    } else if (diff.isNegative() && clawingIds.length > 0) {
      post(
        line.lineId,
        over(base, {
          sourceEventIds: uniqCapped([...line.sourceEventIds, ...clawingSources]),
          type: DELTA_TYPES.clawback,
          kind: 'clawback',
          amount,
          note: `Recalculated after ${clawingIds.join(', ')} was cancelled within the clawback window${line.note ? `; now: ${line.note}` : '.'}`,
        }),
      );
    } else if (line.lineId === ROUNDING_LINE_ID) {
      post(
        line.lineId,
        over(base, {
          type: DELTA_TYPES.adjusted,
          kind: 'retroactive_adjustment',
          reason: 'rounding',
          amount,
          ...(line.note ? { note: line.note } : {}),
        }),
      );
    } else if (line.kind === 'retroactive_adjustment' && diff.isPositive()) {
      post(
        line.lineId,
        over(base, {
          type: DELTA_TYPES.adjusted,
          kind: 'retroactive_adjustment',
          reason: 'retroactive_tier',
          amount,
          ...(line.note ? { note: line.note } : {}),
        }),
      );
    } else {
      post(
        line.lineId,
        over(base, {
          type: DELTA_TYPES.adjusted,
          kind: 'adjustment',
          reason: 'recalculated',
          amount,
          note: `Recalculated${line.note ? `; now: ${line.note}` : '.'}`,
        }),
      );
    }
  }

  const gone = [...balances.values()].filter((b) => !current.has(b.baseLineId));
  gone.sort((a, b) => (a.baseLineId < b.baseLineId ? -1 : a.baseLineId > b.baseLineId ? 1 : 0));
  for (const balance of gone) {
    for (const [currency, sum] of balance.byCurrency) {
      if (sum.isZero()) continue;
      post(
        balance.baseLineId,
        reversal(
          balance,
          currency,
          sum,
          ctx,
          clawedDeals,
          { ids: clawingIds, sources: clawingSources },
          causes,
        ),
      );
    }
  }
  return out;
}

function reverseOtherCurrencies(
  balance: LedgerBalance,
  ctx: PostingContext,
  post: (base: string, posting: Omit<LedgerPosting, 'lineId' | 'appliesTo'>) => void,
): void {
  for (const [currency, sum] of balance.byCurrency) {
    if (currency === ctx.currency || sum.isZero()) continue;
    post(balance.baseLineId, {
      ...reversal(balance, currency, sum, ctx),
      note: `The period now pays in ${ctx.currency}; the ${currency} amount is reversed.`,
    });
  }
}

function reversal(
  balance: LedgerBalance,
  currency: string,
  sum: Dec,
  ctx: PostingContext,
  clawedDeals: ReadonlyMap<string, readonly string[]> = new Map(),
  clawing: { ids: readonly string[]; sources: readonly string[] } = { ids: [], sources: [] },
  causes: readonly string[] = [],
): Omit<LedgerPosting, 'lineId' | 'appliesTo'> {
  const amount = money(sum.negated());
  const detail = balanceDetail(balance);
  const voidId = balance.dealId !== undefined ? ctx.voided.get(balance.dealId) : undefined;
  const fallback = ctx.fallbackSourceIds.length > 0 ? [...ctx.fallbackSourceIds] : [balance.baseLineId];
  if (balance.kind === 'spiff') {
    return {
      ...detail,
      type: DELTA_TYPES.spiff,
      kind: 'spiff',
      amount,
      currency,
      sourceEventIds: uniqCapped([...causes, ...fallback]),
      note: `SPIFF reversed: ${ctx.leftReason}`,
    };
  }
  if (balance.kind === 'cap') {
    return {
      ...detail,
      type: DELTA_TYPES.cap,
      kind: 'cap',
      amount,
      currency,
      sourceEventIds: uniqCapped([...causes, ...fallback]),
      note: `Cap released: ${ctx.leftReason}`,
    };
  }
  const clawedSources = balance.dealId !== undefined ? clawedDeals.get(balance.dealId) : undefined;
  if (clawedSources !== undefined) {
    return {
      ...detail,
      type: DELTA_TYPES.clawback,
      kind: 'clawback',
      amount,
      currency,
      sourceEventIds: uniqCapped(clawedSources),
      note: `${balance.dealId} was cancelled within the clawback window: its retroactive adjustment is taken back.`,
    };
  }
  if (voidId === undefined && balance.dealId !== undefined && clawing.ids.length > 0 && sum.isPositive()) {
    return {
      ...detail,
      type: DELTA_TYPES.clawback,
      kind: 'clawback',
      amount,
      currency,
      sourceEventIds: uniqCapped(clawing.sources),
      note: `Taken back after ${clawing.ids.join(', ')} was cancelled within the clawback window: the line no longer applies.`,
    };
  }
  if (voidId !== undefined) {
    return {
      ...detail,
      type: DELTA_TYPES.adjusted,
      kind: 'adjustment',
      reason: 'activity_voided',
      amount,
      currency,
      sourceEventIds: [voidId],
      note: `The deal_won of ${balance.dealId} was voided: it is as if it had never been recorded.`,
    };
  }
  return {
    ...detail,
    type: DELTA_TYPES.adjusted,
    kind: 'adjustment',
    reason: 'recalculated',
    amount,
    currency,
    sourceEventIds: uniqCapped(fallback),
    note: `Reversed: ${ctx.leftReason}`,
  };
}

/** The sum of every posting, as the ledger holds it after `postings` are added to `balances`. */
export function ledgerTotal(
  balances: ReadonlyMap<string, LedgerBalance>,
  postings: readonly LedgerPosting[],
): Dec {
  let total = ZERO;
  for (const b of balances.values()) for (const v of b.byCurrency.values()) total = total.plus(v);
  for (const p of postings) total = total.plus(p.amount);
  return total;
}

/** Folds new postings into balances (what the repository does when it stores them). */
export function applyPostings(
  balances: ReadonlyMap<string, LedgerBalance>,
  lines: readonly BreakdownLine[],
  postings: readonly LedgerPosting[],
): Map<string, LedgerBalance> {
  const next = new Map<string, LedgerBalance>();
  for (const [k, b] of balances) next.set(k, { ...b, byCurrency: new Map(b.byCurrency) });
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  for (const p of postings) {
    let b = next.get(p.appliesTo);
    if (b === undefined) {
      const line = byId.get(p.appliesTo);
      b = {
        baseLineId: p.appliesTo,
        kind: line?.kind ?? 'deal',
        postings: 0,
        byCurrency: new Map(),
        ...(p.dealId !== undefined ? { dealId: p.dealId } : {}),
        ...(p.spiffId !== undefined ? { spiffId: p.spiffId, metric: p.metric, threshold: p.threshold } : {}),
        ...(p.cap !== undefined ? { cap: p.cap } : {}),
      };
      next.set(p.appliesTo, b);
    }
    const byCurrency = b.byCurrency as Map<string, Dec>;
    byCurrency.set(p.currency, (byCurrency.get(p.currency) ?? ZERO).plus(p.amount));
    b.postings += 1;
  }
  return next;
}
