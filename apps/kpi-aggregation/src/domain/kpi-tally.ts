/**
 * The additive parts every KPI of SPEC §5 is derived from. A snapshot's metrics are a pure function
 * of its tally and its quota, and tallies add up, so a key can be kept current by adding and
 * subtracting the contributions of single facts — in any order, with the same result.
 */
export interface KpiTally {
  calls: number;
  connects: number;
  emails: number;
  meetingsScheduled: number;
  meetingsHeld: number;
  leadsCreated: number;
  opportunitiesCreated: number;
  /** Exact money in cents: every amount on the wire has at most two fraction digits. */
  pipelineCents: bigint;
  dealsWon: number;
  dealsLost: number;
  revenueCents: bigint;
  /** Sum over counted won deals with a known opening of (occurredAt − openedAt) in milliseconds. */
  cycleMsSum: bigint;
  cycleCount: number;
  /** Current amounts of the open opportunities expected to close in the key's period, in cents. */
  forecastPipelineCents: bigint;
  /** Their amounts in cents × probabilities in millionths (exact; rounded to cents once, when derived). */
  forecastWeightedUnits: bigint;
}

export const TALLY_COUNTS = [
  'calls',
  'connects',
  'emails',
  'meetingsScheduled',
  'meetingsHeld',
  'leadsCreated',
  'opportunitiesCreated',
  'dealsWon',
  'dealsLost',
  'cycleCount',
] as const;

export const TALLY_SUMS = ['pipelineCents', 'revenueCents', 'cycleMsSum', 'forecastPipelineCents', 'forecastWeightedUnits'] as const;

export type TallyCount = (typeof TALLY_COUNTS)[number];
export type TallySum = (typeof TALLY_SUMS)[number];

export function emptyTally(): KpiTally {
  return {
    calls: 0,
    connects: 0,
    emails: 0,
    meetingsScheduled: 0,
    meetingsHeld: 0,
    leadsCreated: 0,
    opportunitiesCreated: 0,
    pipelineCents: 0n,
    dealsWon: 0,
    dealsLost: 0,
    revenueCents: 0n,
    cycleMsSum: 0n,
    cycleCount: 0,
    forecastPipelineCents: 0n,
    forecastWeightedUnits: 0n,
  };
}

/** Adds `part` (negated when `sign` is -1) into `target`. */
export function addTally(target: KpiTally, part: KpiTally, sign: 1 | -1): void {
  // Spelled out (not a loop over field names): this runs for every fact of every batch.
  target.calls += sign * part.calls;
  target.connects += sign * part.connects;
  target.emails += sign * part.emails;
  target.meetingsScheduled += sign * part.meetingsScheduled;
  target.meetingsHeld += sign * part.meetingsHeld;
  target.leadsCreated += sign * part.leadsCreated;
  target.opportunitiesCreated += sign * part.opportunitiesCreated;
  target.dealsWon += sign * part.dealsWon;
  target.dealsLost += sign * part.dealsLost;
  target.cycleCount += sign * part.cycleCount;
  if (part.pipelineCents !== 0n) target.pipelineCents += sign === 1 ? part.pipelineCents : -part.pipelineCents;
  if (part.revenueCents !== 0n) target.revenueCents += sign === 1 ? part.revenueCents : -part.revenueCents;
  if (part.cycleMsSum !== 0n) target.cycleMsSum += sign === 1 ? part.cycleMsSum : -part.cycleMsSum;
  if (part.forecastPipelineCents !== 0n) target.forecastPipelineCents += sign === 1 ? part.forecastPipelineCents : -part.forecastPipelineCents;
  if (part.forecastWeightedUnits !== 0n) target.forecastWeightedUnits += sign === 1 ? part.forecastWeightedUnits : -part.forecastWeightedUnits;
}

export function tallyEquals(a: KpiTally, b: KpiTally): boolean {
  return TALLY_COUNTS.every((f) => a[f] === b[f]) && TALLY_SUMS.every((f) => a[f] === b[f]);
}

export function isEmptyTally(t: KpiTally): boolean {
  return tallyEquals(t, emptyTally());
}
