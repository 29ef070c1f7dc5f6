import {
  CURRENCY_PATTERN,
  DECIMAL_MAX_LENGTH,
  DECIMAL_PATTERN,
  FREE_TEXT_MAX_LENGTH,
  ID_MAX_LENGTH,
  ID_MIN_LENGTH,
  INSTANT_PATTERN,
  INT_MAX,
  LOCAL_DATE_PATTERN,
  MONEY_PATTERN,
  PROBABILITY_PATTERN,
  SHARE_MAX_LENGTH,
  SHARE_PATTERN,
  SIGNED_MONEY_PATTERN,
} from '@pacer/contracts';

// The input limits of SPEC §3 in one place. The patterns and lengths of the wire formats are the
// ones the published JSON Schemas use (read from @pacer/contracts, which depends on nothing); the
// rest (nesting depth, the time windows) has no schema counterpart and is defined here. HTTP
// decorators, the request guard, the CSV mapper and list queries all read from this module.

export const INPUT_LIMITS = {
  idMinLength: ID_MIN_LENGTH,
  idMaxLength: ID_MAX_LENGTH,
  freeTextMaxLength: FREE_TEXT_MAX_LENGTH,
  decimalMaxLength: DECIMAL_MAX_LENGTH,
  shareMaxLength: SHARE_MAX_LENGTH,
  /** Deepest JSON nesting a request body may have (an object or array at depth 33 is refused). */
  maxJsonDepth: 32,
  /** Largest integer a path or query number may be: Postgres `integer`. */
  maxInt: INT_MAX,
  /** Offsets of real zones stay within ±14 h (Postgres accepts up to 16 h). */
  maxOffsetMinutes: 14 * 60,
  /** Lower bound of every instant and calendar date Pacer accepts. */
  earliest: '1970-01-01T00:00:00Z',
  /** `occurredAt` / `openedAt` may lie at most this far after receipt (clock skew, time zones). */
  occurredAheadDays: 7,
  /** Dates that look ahead (`scheduledFor`, `expectedCloseDate`, `dueDate`...) at most this far. */
  lookAheadYears: 10,
} as const;

export const INPUT_PATTERNS = {
  money: new RegExp(MONEY_PATTERN),
  signedMoney: new RegExp(SIGNED_MONEY_PATTERN),
  decimal: new RegExp(DECIMAL_PATTERN),
  share: new RegExp(SHARE_PATTERN),
  probability: new RegExp(PROBABILITY_PATTERN),
  currency: new RegExp(CURRENCY_PATTERN),
  instant: new RegExp(INSTANT_PATTERN),
  localDate: new RegExp(LOCAL_DATE_PATTERN),
} as const;

/** Keys that must never reach an object: they would reach or replace a prototype (SPEC §3). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
