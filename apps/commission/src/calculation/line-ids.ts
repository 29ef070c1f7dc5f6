import { createHash } from 'node:crypto';

// Contract ids are at most 200 characters; a correction suffix ("#12") and the prefix must fit too.
const MAX_BASE_LENGTH = 180;

/**
 * The stable id of a statement line, e.g. `deal:D1`, `retro:D1`, `spiff:club`, `cap`. An id too long
 * to leave room for correction suffixes is replaced by a hash of itself (still stable).
 */
export function lineIdOf(prefix: 'deal' | 'retro' | 'spiff', id: string): string {
  const full = `${prefix}:${id}`;
  if (full.length <= MAX_BASE_LENGTH) return full;
  return `${prefix}:sha1-${createHash('sha1').update(id, 'utf8').digest('hex')}`;
}

export const CAP_LINE_ID = 'cap';

/** The retroactive period's rounding line (see the calculator). */
export const ROUNDING_LINE_ID = 'rounding';

/** The id of the n-th ledger line posted against a base line: the base itself, then `base#1`, `base#2`, … */
export function postingLineId(baseLineId: string, n: number): string {
  return n === 0 ? baseLineId : `${baseLineId}#${n}`;
}

/**
 * A source event id as the contract's `Id` (1–200 characters). CloudEvent ids have no length limit;
 * one longer than that is replaced by a stable hash of itself rather than break the delta's schema.
 */
export function boundedId(id: string): string {
  return id.length <= 200 ? id : `sha1-${createHash('sha1').update(id, 'utf8').digest('hex')}`;
}
