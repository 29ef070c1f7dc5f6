import type { PlanBody, PlanSpiff } from '@pacer/contracts';
import { daysBetween, instantMillis, localDate, sortDeals, withinClawbackWindow } from './deal-order';
import { Dec, money, percent, ZERO } from './decimal';
import { CAP_LINE_ID, lineIdOf, ROUNDING_LINE_ID } from './line-ids';
import { isSpiffMetric } from './spiff-metrics';
import type {
  BreakdownLine,
  ComputedStatement,
  DealException,
  DealFact,
  DealStatus,
  StatementCheckpoint,
  StatementInput,
} from './statement.types';
import { BandPart, bandAt, MoneyBand, moneyBands, splitAcrossBands, toCommissionBand } from './tier-bands';

interface CountedDeal {
  deal: DealFact;
  credit: Dec;
  /** Credit of the period up to and including this deal, in deal order. */
  cumulative: Dec;
  band: MoneyBand;
  line: BreakdownLine;
}

/** What the plan and quota of a period make of every deal (fixed for the period). */
interface Terms {
  input: StatementInput;
  body: PlanBody;
  quota: Dec | null;
  bands: MoneyBand[] | null;
  noQuotaBand: MoneyBand;
  retroactive: boolean;
}

/** The calculation running through the period's deals in order. */
interface Run {
  cumulative: Dec;
  dealsWon: number;
  reached: Set<string>;
  last: StatementCheckpoint['last'];
  /** One entry per deal taken: its line and the SPIFF lines reached with it. */
  entries: { line: BreakdownLine; spiffs: BreakdownLine[] }[];
  counted: CountedDeal[];
}

function describeParts(bands: readonly { credit: string; rate: string }[]): string {
  return bands.map((b) => `${b.credit} at ${percent(b.rate)}`).join(' + ');
}

function uniq(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function termsOf(input: StatementInput): Terms {
  const body = input.plan.body;
  const quota =
    input.quota !== null && new Dec(input.quota.amount).greaterThan(0) ? new Dec(input.quota.amount) : null;
  const firstTier = body.tiers[0];
  return {
    input,
    body,
    quota,
    bands: quota === null ? null : moneyBands(body.tiers, quota),
    noQuotaBand: {
      index: 0,
      from: firstTier?.from ?? '0',
      to: body.tiers[1]?.from ?? null,
      rate: new Dec(firstTier?.rate ?? 0),
      rateText: firstTier?.rate ?? '0',
      lower: ZERO,
      upper: null,
    },
    retroactive: body.tierMode === 'retroactive' && quota !== null,
  };
}

/**
 * Computes a rep's statement for one period from the facts alone (SPEC §6), so it does not depend on
 * the order the facts arrived in:
 * - deals in `(occurredAt, dealId)` order; a deal in another currency than the plan, or a second
 *   record of a deal id, is an exception and earns nothing;
 * - a deal cancelled within `clawbackDays` of the win has its credit removed (its line stays, at 0,
 *   to explain the clawback); one cancelled later stands;
 * - graduated: each part of a credit earns the rate of the band it falls in; retroactive: a deal's
 *   line earns the band the period had reached with it, and a retroactive adjustment line per
 *   earlier deal lifts it to the band the period finally reached; without a quota every credit earns
 *   the first tier's rate;
 * - SPIFFs are awarded once, at the deal where their metric reaches the threshold; the cap line
 *   takes back what the lines and SPIFFs earn above the cap.
 * Every line is its exact amount rounded half-up to cents; the total is the sum of the lines.
 */
export function computeStatement(input: StatementInput): ComputedStatement {
  const terms = termsOf(input);
  const { body, quota } = terms;
  const { periodKey } = input;
  const exceptions: DealException[] = [];
  const run = newRun();
  const seen = new Set<string>();
  for (const deal of sortDeals(input.deals)) {
    if (deal.currency !== body.currency) {
      exceptions.push(exceptionOf(deal, 'currency_mismatch', body.currency, periodKey));
      continue;
    }
    if (seen.has(deal.dealId)) {
      exceptions.push(exceptionOf(deal, 'duplicate_deal', body.currency, periodKey));
      continue;
    }
    seen.add(deal.dealId);
    step(terms, run, deal, statusOf(deal, body.clawbackDays, input.timezone));
  }

  const retro = terms.retroactive
    ? retroactiveLines(terms, run)
    : { at: new Map<string, BreakdownLine[]>(), rounding: [] };
  const head: BreakdownLine[] = [];
  for (const { line, spiffs } of run.entries) {
    head.push(line, ...(retro.at.get(line.dealId as string) ?? []), ...spiffs);
  }
  const headTotal = sumAmounts(head);
  const tail = tailLines(terms, run, headTotal.plus(sumAmounts(retro.rounding)), retro.rounding);

  const notes: string[] = [];
  if (quota === null) {
    notes.push(
      `No quota is set for ${periodKey}: every credit earns the first tier's rate (${percent(terms.noQuotaBand.rate)}).`,
    );
  }
  if (input.window.truncated) {
    notes.push(
      `This plan governs ${periodKey} from ${input.window.start} (an earlier plan covered the start of the period); ` +
        `the statement covers ${input.window.start} to ${input.window.end}.`,
    );
  }
  if (exceptions.length > 0) {
    notes.push(`${exceptions.length} deal credit(s) in this period earn nothing; see exceptions.`);
  }
  const lines = [...head, ...tail];
  return {
    quota: quota === null ? null : money(quota),
    credited: money(run.cumulative),
    attainment: quota === null ? null : run.cumulative.dividedBy(quota).toFixed(),
    lines,
    headCount: head.length,
    total: money(sumAmounts(lines)),
    notes,
    exceptions,
    checkpoint: terms.retroactive ? null : checkpointOf(terms, run, headTotal, head.length),
  };
}

/** New lines for a period extended by later deals, and the lines after them (see `extendStatement`). */
export interface StatementExtension {
  /** Head lines to append after the existing head. */
  head: BreakdownLine[];
  /** The whole new tail (it replaces the old one). */
  tail: BreakdownLine[];
  credited: string;
  attainment: string | null;
  total: string;
  checkpoint: StatementCheckpoint;
}

/**
 * Extends a period computed up to `checkpoint` with new deals (`input.deals`), giving exactly what
 * `computeStatement` would give for all of them — the same per-deal step runs from the same state. It
 * applies only when the new deals cannot change an earlier line: same plan version and quota, every
 * new deal after the last one taken, in the plan's currency, not cancelled, and no deal id twice
 * (the caller checks the period holds no other record of these deal ids). Otherwise it answers
 * undefined and the period is computed whole.
 */
export function extendStatement(
  input: StatementInput,
  checkpoint: StatementCheckpoint,
): StatementExtension | undefined {
  const terms = termsOf(input);
  if (terms.retroactive) return undefined;
  if (
    checkpoint.planEventId !== input.plan.eventId ||
    checkpoint.quotaEventId !== (input.quota?.eventId ?? null)
  ) {
    return undefined;
  }
  const deals = sortDeals(input.deals);
  const ids = new Set<string>();
  let previous = checkpoint.last;
  for (const deal of deals) {
    const key = { ms: instantMillis(deal.occurredAt), dealId: deal.dealId, activityId: deal.activityId };
    const after = previous === null || compareKeys(key, previous) > 0;
    if (
      !after ||
      deal.currency !== terms.body.currency ||
      deal.cancellation !== undefined ||
      ids.has(deal.dealId)
    ) {
      return undefined;
    }
    ids.add(deal.dealId);
    previous = key;
  }
  const run: Run = {
    cumulative: new Dec(checkpoint.cumulative),
    dealsWon: checkpoint.dealsWon,
    reached: new Set(checkpoint.reachedSpiffs),
    last: checkpoint.last,
    entries: [],
    counted: [],
  };
  for (const deal of deals) step(terms, run, deal, 'credited');
  const head = run.entries.flatMap(({ line, spiffs }) => [line, ...spiffs]);
  const headTotal = new Dec(checkpoint.headTotal).plus(sumAmounts(head));
  const tail = tailLines(terms, run, headTotal, []);
  return {
    head,
    tail,
    credited: money(run.cumulative),
    attainment: terms.quota === null ? null : run.cumulative.dividedBy(terms.quota).toFixed(),
    total: money(headTotal.plus(sumAmounts(tail))),
    checkpoint: checkpointOf(terms, run, headTotal, checkpoint.headCount + head.length),
  };
}

function newRun(): Run {
  return { cumulative: ZERO, dealsWon: 0, reached: new Set(), last: null, entries: [], counted: [] };
}

function compareKeys(
  a: NonNullable<StatementCheckpoint['last']>,
  b: NonNullable<StatementCheckpoint['last']>,
): number {
  if (a.ms !== b.ms) return a.ms - b.ms;
  if (a.dealId !== b.dealId) return a.dealId < b.dealId ? -1 : 1;
  return a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0;
}

function checkpointOf(terms: Terms, run: Run, headTotal: Dec, headCount: number): StatementCheckpoint {
  return {
    planEventId: terms.input.plan.eventId,
    quotaEventId: terms.input.quota?.eventId ?? null,
    last: run.last,
    cumulative: run.cumulative.toFixed(),
    dealsWon: run.dealsWon,
    headTotal: money(headTotal),
    headCount,
    reachedSpiffs: [...run.reached].sort(),
  };
}

/** Takes one deal in deal order: its line, its commission, and any SPIFF it makes the period reach. */
function step(terms: Terms, run: Run, deal: DealFact, status: DealStatus): void {
  const { body, bands, noQuotaBand, input } = terms;
  const line = dealLine(deal, status, body.clawbackDays, input.timezone);
  const entry = { line, spiffs: [] as BreakdownLine[] };
  run.entries.push(entry);
  run.last = { ms: instantMillis(deal.occurredAt), dealId: deal.dealId, activityId: deal.activityId };
  if (status === 'clawed_back') return;

  const credit = new Dec(deal.credit);
  const start = run.cumulative;
  run.cumulative = start.plus(credit);
  let parts: BandPart[];
  if (bands === null) parts = [{ band: noQuotaBand, credit }];
  else if (body.tierMode === 'graduated') parts = splitAcrossBands(bands, start, credit);
  else parts = [{ band: bandAt(bands, run.cumulative), credit }];
  const exact = parts.reduce((sum, p) => sum.plus(p.credit.times(p.band.rate)), ZERO);
  line.amount = money(exact);
  line.bands = parts.map(toCommissionBand);
  const described = describeParts(line.bands);
  line.note = line.note ? `${described}; ${line.note}` : described;
  run.counted.push({
    deal,
    credit,
    cumulative: run.cumulative,
    band: parts[parts.length - 1]?.band ?? noQuotaBand,
    line,
  });

  if (deal.primaryRepId === input.repId) run.dealsWon += 1;
  for (const spiff of body.spiffs) {
    if (run.reached.has(spiff.id) || !metricReached(spiff, run, terms.quota)) continue;
    run.reached.add(spiff.id);
    entry.spiffs.push(reachedSpiffLine(spiff, deal, run, terms));
  }
}

/**
 * Retroactive adjustments (after the deal that reached the period's final band) and the rounding
 * line: the period pays credited × final rate rounded once.
 */
function retroactiveLines(
  terms: Terms,
  run: Run,
): { at: Map<string, BreakdownLine[]>; rounding: BreakdownLine[] } {
  const at = new Map<string, BreakdownLine[]>();
  const rounding: BreakdownLine[] = [];
  const bands = terms.bands as MoneyBand[];
  if (run.counted.length === 0) return { at, rounding };
  const credited = run.cumulative;
  const finalBand = bandAt(bands, credited);
  const reach = run.counted.find((c) => c.cumulative.greaterThanOrEqualTo(finalBand.lower)) as CountedDeal;
  const retro: BreakdownLine[] = [];
  let paid = ZERO;
  for (const c of run.counted) {
    const earned = new Dec(c.line.amount);
    const due = new Dec(money(c.credit.times(finalBand.rate)));
    paid = paid.plus(due);
    if (c.band.index >= finalBand.index) continue;
    retro.push({
      lineId: lineIdOf('retro', c.deal.dealId),
      kind: 'retroactive_adjustment',
      dealId: c.deal.dealId,
      occurredAt: c.deal.occurredAt,
      credit: c.deal.credit,
      fromRate: c.band.rateText,
      toRate: finalBand.rateText,
      reachedAtDealId: reach.deal.dealId,
      bands: [{ from: finalBand.from, to: finalBand.to, rate: finalBand.rateText, credit: c.deal.credit }],
      amount: money(due.minus(earned)),
      sourceEventIds: uniq([c.deal.wonEventId, reach.deal.wonEventId]),
      note:
        `The period reached the band from ${finalBand.from} of quota (${percent(finalBand.rate)}) with deal ` +
        `${reach.deal.dealId}: ${c.deal.credit} earns ${percent(finalBand.rate)} instead of ${percent(c.band.rate)}.`,
    });
  }
  at.set(reach.deal.dealId, retro);
  // All credit of the period earns one rate, so the period pays credited × rate rounded once; the
  // deals' lines are each rounded to cents, and this line carries the cents between the two.
  const exact = new Dec(money(credited.times(finalBand.rate)));
  if (!exact.equals(paid)) {
    const quota = terms.input.quota;
    rounding.push({
      lineId: ROUNDING_LINE_ID,
      kind: 'retroactive_adjustment',
      credit: money(credited),
      toRate: finalBand.rateText,
      amount: money(exact.minus(paid)),
      sourceEventIds: uniq([terms.input.plan.eventId, ...(quota !== null ? [quota.eventId] : [])]),
      note:
        `The period pays ${money(credited)} × ${percent(finalBand.rate)} = ${money(exact)}, rounded once; ` +
        `the deal lines, each rounded to cents, sum to ${money(paid)}.`,
    });
  }
  return { at, rounding };
}

/** The lines after the head: rounding, SPIFFs not reached (with the metric's value), the cap. */
function tailLines(
  terms: Terms,
  run: Run,
  subtotalBeforeTail: Dec,
  rounding: BreakdownLine[],
): BreakdownLine[] {
  const { body, input } = terms;
  const tail: BreakdownLine[] = [...rounding];
  for (const spiff of body.spiffs) {
    if (run.reached.has(spiff.id)) continue;
    const value = metricValue(spiff.metric, run.cumulative, run.dealsWon, terms.quota);
    const shown = value === null ? null : value.toFixed();
    tail.push({
      lineId: lineIdOf('spiff', spiff.id),
      kind: 'spiff',
      spiffId: spiff.id,
      metric: spiff.metric,
      threshold: spiff.threshold,
      metricValue: shown,
      reached: false,
      amount: money(ZERO),
      sourceEventIds: [input.plan.eventId],
      note:
        value === null
          ? `${spiff.metric} has no value without a quota: SPIFF ${spiff.id} is not awarded.`
          : `${spiff.metric} is ${shown}, below the threshold ${spiff.threshold}: SPIFF ${spiff.id} is not awarded.`,
    });
  }
  if (body.cap !== null) {
    const subtotal = subtotalBeforeTail;
    const cap = new Dec(body.cap);
    const over = subtotal.greaterThan(cap);
    tail.push({
      lineId: CAP_LINE_ID,
      kind: 'cap',
      cap: body.cap,
      subtotal: money(subtotal),
      amount: money(over ? cap.minus(subtotal) : ZERO),
      sourceEventIds: [input.plan.eventId],
      note: over
        ? `Lines and SPIFFs earn ${money(subtotal)}, above the cap of ${money(cap)}: ${money(subtotal.minus(cap))} is held back.`
        : `Lines and SPIFFs earn ${money(subtotal)}, within the cap of ${money(cap)}.`,
    });
  }
  return tail;
}

// Amounts are cents: summing them as integers avoids a decimal allocation per line.
function sumAmounts(lines: readonly BreakdownLine[]): Dec {
  let cents = 0n;
  for (const l of lines) {
    const negative = l.amount.startsWith('-');
    const [whole = '0', fraction = ''] = (negative ? l.amount.slice(1) : l.amount).split('.');
    const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
    cents += negative ? -value : value;
  }
  return new Dec(cents.toString()).dividedBy(100);
}

function statusOf(deal: DealFact, clawbackDays: number, timezone: string): DealStatus {
  if (deal.cancellation === undefined) return 'credited';
  return withinClawbackWindow(deal.occurredAt, deal.cancellation.occurredAt, clawbackDays, timezone)
    ? 'clawed_back'
    : 'stands';
}

function dealLine(deal: DealFact, status: DealStatus, clawbackDays: number, timezone: string): BreakdownLine {
  const line: BreakdownLine = {
    lineId: lineIdOf('deal', deal.dealId),
    kind: 'deal',
    dealId: deal.dealId,
    occurredAt: deal.occurredAt,
    credit: deal.credit,
    share: deal.share,
    dealAmount: deal.amount,
    status,
    amount: money(ZERO),
    sourceEventIds: [deal.wonEventId],
  };
  const cancellation = deal.cancellation;
  if (cancellation !== undefined) {
    line.sourceEventIds = uniq([deal.wonEventId, cancellation.eventId]);
    const on = localDate(cancellation.occurredAt, timezone);
    const days = daysBetween(deal.occurredAt, cancellation.occurredAt);
    line.note =
      status === 'clawed_back'
        ? `Cancelled on ${on}, ${days} day(s) after the win, within the ${clawbackDays}-day clawback window: its credit is removed from the period.`
        : `Cancelled on ${on}, ${days} day(s) after the win, after the ${clawbackDays}-day clawback window: the commission stands.`;
  }
  return line;
}

function exceptionOf(
  deal: DealFact,
  reason: 'currency_mismatch' | 'duplicate_deal',
  planCurrency: string,
  periodKey: string,
): DealException {
  const detail =
    reason === 'currency_mismatch'
      ? `The deal is in ${deal.currency} but the plan governing ${periodKey} pays in ${planCurrency}; it is not credited.`
      : `Deal ${deal.dealId} was already won earlier in ${periodKey} (another deal_won with the same dealId); this record is not credited.`;
  return {
    activityId: deal.activityId,
    dealId: deal.dealId,
    occurredAt: deal.occurredAt,
    reason,
    detail,
    credit: deal.credit,
    currency: deal.currency,
    ...(reason === 'currency_mismatch' ? { expectedCurrency: planCurrency } : {}),
    wonEventId: deal.wonEventId,
  };
}

// Attainment is compared as revenue ≥ threshold × quota, so an exact boundary never depends on a
// division's rounding.
function metricReached(spiff: PlanSpiff, run: Run, quota: Dec | null): boolean {
  const metric: string = spiff.metric;
  if (!isSpiffMetric(metric)) return false;
  const threshold = new Dec(spiff.threshold);
  switch (metric) {
    case 'revenueWon':
      return run.cumulative.greaterThanOrEqualTo(threshold);
    case 'dealsWon':
      return threshold.lessThanOrEqualTo(run.dealsWon);
    case 'quotaAttainment':
      return quota !== null && run.cumulative.greaterThanOrEqualTo(threshold.times(quota));
  }
}

/** A SPIFF reached with `deal`: its value is the metric's value then, so the line never changes after. */
function reachedSpiffLine(spiff: PlanSpiff, deal: DealFact, run: Run, terms: Terms): BreakdownLine {
  const value = metricValue(spiff.metric, run.cumulative, run.dealsWon, terms.quota);
  const shown = value === null ? null : value.toFixed();
  const quota = terms.input.quota;
  const sources = [
    deal.wonEventId,
    ...(spiff.metric === 'quotaAttainment' && quota !== null ? [quota.eventId] : []),
  ];
  return {
    lineId: lineIdOf('spiff', spiff.id),
    kind: 'spiff',
    spiffId: spiff.id,
    metric: spiff.metric,
    threshold: spiff.threshold,
    metricValue: shown,
    reached: true,
    amount: money(spiff.amount),
    sourceEventIds: uniq(sources),
    dealId: deal.dealId,
    note: `${spiff.metric} reached ${spiff.threshold} with deal ${deal.dealId} (at ${shown}): SPIFF ${spiff.id} is awarded once for the period.`,
  };
}

function metricValue(metric: string, revenue: Dec, dealsWon: number, quota: Dec | null): Dec | null {
  if (!isSpiffMetric(metric)) return null;
  switch (metric) {
    case 'revenueWon':
      return revenue;
    case 'dealsWon':
      return new Dec(dealsWon);
    case 'quotaAttainment':
      return quota === null ? null : revenue.dividedBy(quota);
  }
}
