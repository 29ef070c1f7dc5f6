import { INPUT_LIMITS } from './input-limits';

// Text checks of SPEC §3 ("ids are 1–128 characters without control characters; free text is at
// most 2,000 characters and holds no NUL"). Lengths count code points, as JSON Schema's maxLength does.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function codePoints(value: string): number {
  // Only strings with surrogate pairs differ from .length; skip the copy for the rest.
  return /[\ud800-\udfff]/.test(value) ? Array.from(value).length : value.length;
}

/**
 * Whether a string can be stored as Postgres text and jsonb: neither accepts U+0000, and jsonb
 * refuses an unpaired surrogate (which JSON.parse lets through from a `\ud800` escape).
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** An identifier: 1–128 characters, no control characters, storable. */
export function isId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length < INPUT_LIMITS.idMinLength) return false;
  if (value.length > INPUT_LIMITS.idMaxLength * 2) return false;
  const n = codePoints(value);
  return n <= INPUT_LIMITS.idMaxLength && !CONTROL.test(value) && isStorableText(value);
}

/** Free text of at most `max` characters (default 2,000) without NUL; `min` for required text. */
export function isFreeText(value: unknown, max: number = INPUT_LIMITS.freeTextMaxLength, min = 0): value is string {
  if (typeof value !== 'string' || value.length > max * 2) return false;
  const n = codePoints(value);
  return n >= min && n <= max && isStorableText(value);
}
