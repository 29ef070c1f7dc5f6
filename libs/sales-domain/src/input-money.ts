import { Decimal } from 'decimal.js';
import { INPUT_LIMITS, INPUT_PATTERNS } from './input-limits';

// Money and decimal wire formats (SPEC §3): decimal strings, never floats, one spelling per value.

/** A non-negative amount with at most 2 fraction digits and at most 15 integer digits. */
export function isMoney(value: unknown): value is string {
  return typeof value === 'string' && INPUT_PATTERNS.money.test(value);
}

/** Money strictly greater than zero. */
export function isPositiveMoney(value: unknown): value is string {
  return isMoney(value) && !new Decimal(value).isZero();
}

/** A non-zero amount that may be negative (a manual adjustment takes money back as well as adds it). */
export function isNonZeroSignedMoney(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const magnitude = value.startsWith('-') ? value.slice(1) : value;
  return isPositiveMoney(magnitude);
}

/** A non-negative decimal of any precision (rates, thresholds), at most 40 characters. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= INPUT_LIMITS.decimalMaxLength && INPUT_PATTERNS.decimal.test(value);
}

/** A credit share in (0, 1]. */
export function isShare(value: unknown): value is string {
  return typeof value === 'string' && value.length <= INPUT_LIMITS.shareMaxLength && INPUT_PATTERNS.share.test(value);
}

/** A forecast probability in [0, 1] with at most 6 fraction digits. */
export function isProbability(value: unknown): value is string {
  return typeof value === 'string' && INPUT_PATTERNS.probability.test(value);
}

/** The one spelling of an amount Pacer stores and publishes: exactly two fraction digits. */
export function normaliseMoney(value: string): string {
  return new Decimal(value).toFixed(2);
}

/** Shortest exact spelling of a share ("0.50" → "0.5", "1.00" → "1"), never an exponent. */
export function normaliseShare(value: string): string {
  return new Decimal(value).toFixed();
}
