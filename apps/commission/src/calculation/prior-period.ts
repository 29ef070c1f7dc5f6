import { createHash } from 'node:crypto';
import { DELTA_TYPES, LedgerPosting } from './ledger-postings';
import type { TimelineWindow } from './rep-timeline';

// Line ids stay within the contract's 200 characters with room for nothing else: the posting id
// already carries its correction suffix.
const MAX_LINE_ID = 200;
const MAX_SOURCES = 20;

/** The id of a prior-period adjustment line in the open period: `ppa:{closedPeriodKey}:{lineId}`. */
export function priorPeriodLineId(closedPeriodKey: string, lineId: string): string {
  const full = `ppa:${closedPeriodKey}:${lineId}`;
  if (full.length <= MAX_LINE_ID) return full;
  return `ppa:${closedPeriodKey}:sha1-${createHash('sha1').update(lineId, 'utf8').digest('hex')}`;
}

/** What a correction of a closed statement's line was, in the words of its reason. */
function reasonOf(p: LedgerPosting): string {
  if (p.reason !== undefined) return p.reason;
  switch (p.type) {
    case DELTA_TYPES.earned:
      return 'late_deal';
    case DELTA_TYPES.clawback:
      return 'clawback';
    case DELTA_TYPES.spiff:
      return 'spiff';
    case DELTA_TYPES.cap:
      return 'cap';
    default:
      return 'recalculated';
  }
}

/**
 * A closed statement never changes (SPEC §6): the corrections its recalculation would post are
 * booked instead as `prior_period_adjustment` lines of the open period `openPeriodKey`, one per
 * correction, with the same amount, the same sources (the cause's events) and the closed line they
 * correct (`appliesTo`), plus `causes` (the events behind a whole-rep recalculation). Their sum is
 * exactly what the closed statement would have changed by.
 */
export function asPriorPeriodAdjustments(
  postings: readonly LedgerPosting[],
  closedPeriodKey: string,
  openPeriodKey: string,
  causes: readonly string[] = [],
): LedgerPosting[] {
  // Object.assign rather than `{ ...p, sourceEventIds, … }`: in Node 20 a literal that starts with a
  // spread defines the properties after it through the runtime (~1 µs each), once per posting.
  return postings.map((p) =>
    Object.assign({}, p, {
      // The cause first (a plan or quota change, an approval), then what the line itself cites.
      sourceEventIds: [...new Set([...causes, ...p.sourceEventIds])].slice(0, MAX_SOURCES),
      lineId: priorPeriodLineId(closedPeriodKey, p.lineId),
      type: DELTA_TYPES.priorPeriod,
      kind: 'prior_period_adjustment' as const,
      reason: reasonOf(p),
      closedPeriodKey,
      note: `For closed period ${closedPeriodKey} (booked in ${openPeriodKey}): ${p.note ?? describe(p)}`,
    }),
  );
}

function describe(p: LedgerPosting): string {
  if (p.type === DELTA_TYPES.earned) return `${p.dealId ?? 'a deal'} was recorded after the period closed.`;
  return `${p.appliesTo} changed by ${p.amount}.`;
}

/**
 * The period a correction of a closed period is booked in: the rep's period containing `nowMs` if it
 * is open and has a plan; otherwise the first later open one with a plan; failing that (a rep whose
 * plan calendar ends before now), the first open period with a plan after the closed one.
 * `windows` must reach past `nowMs` (or end where the rep's plan calendar ends).
 */
export function bookingPeriod(
  windows: readonly TimelineWindow[],
  closed: ReadonlySet<string>,
  nowMs: number,
  closedWindowEndMs: number,
): TimelineWindow | undefined {
  const open = (w: TimelineWindow): boolean => !closed.has(w.key) && w.version !== null;
  return (
    windows.find((w) => w.endMs > nowMs && open(w)) ??
    windows.find((w) => w.startMs >= closedWindowEndMs && open(w))
  );
}
