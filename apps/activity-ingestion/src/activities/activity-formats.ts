import { Decimal } from 'decimal.js';

// The wire formats of SPEC §3, checked strictly so a value has one meaning, fits Postgres and
// compares exactly. Pure functions: the DTO decorators, the CSV mapper and the list query use them.

/** At most 15 integer digits: a decimal with 20 significant digits then stays exact down to cents. */
const MONEY = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;
const SHARE = /^(0\.\d*[1-9]\d*|1(\.0+)?)$/;
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Postgres accepts offsets below 16 h; real zones stay within ±14 h. */
const MAX_OFFSET_MINUTES = 14 * 60;
const SHARE_MAX_LENGTH = 20;


export function isMoney(value: unknown): value is string {
  return typeof value === 'string' && MONEY.test(value);
}

/** Money strictly greater than zero. */
export function isPositiveMoney(value: unknown): value is string {
  return isMoney(value) && !new Decimal(value).isZero();
}

/** The one spelling of an amount Pacer stores and publishes: exactly two fraction digits. */
export function normaliseMoney(value: string): string {
  return new Decimal(value).toFixed(2);
}

/** A credit share in (0, 1]. */
export function isShare(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SHARE_MAX_LENGTH && SHARE.test(value);
}

/** Shortest exact spelling of a share ("0.50" → "0.5", "1.00" → "1"), never an exponent. */
export function normaliseShare(value: string): string {
  return new Decimal(value).toFixed();
}


function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * An RFC 3339 instant with an explicit offset (`Z` or `±HH:MM`) that exists in the proleptic
 * Gregorian calendar (no 30 February, no hour 24, no leap second) and that Postgres can store.
 * Checked by hand rather than by parsing with luxon: this runs for every instant of a 1 GB import
 * and the arithmetic is small enough to be tested exhaustively (activity-instant.spec.ts).
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = INSTANT.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[9] !== undefined && (Number(m[11]) > 59 || Number(m[10]) * 60 + Number(m[11]) > MAX_OFFSET_MINUTES))
    return false;
  return true;
}

/** An identifier: 1–200 characters that Postgres can store. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200 && isStorableText(value);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether a string can be stored as Postgres text and jsonb: neither accepts U+0000, and jsonb
 * refuses an unpaired surrogate (which JSON.parse lets through from a `\ud800` escape).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}
