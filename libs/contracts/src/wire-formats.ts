import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

// Every pattern is anchored and written so a value has one spelling where that matters (no leading
// zeros in money), because activity-ingestion compares payloads byte for byte to tell a duplicate
// from a conflict. These constants are the one source of the input limits of SPEC §3: the published
// JSON Schemas below and the HTTP decorators (through `@pacer/sales-domain`'s input-limits) read them,
// so the two cannot differ. They live here because contracts depends on no other project.

/** At most 15 integer digits: a decimal with 20 significant digits then stays exact down to cents. */
export const MONEY_PATTERN = '^(0|[1-9]\\d{0,14})(\\.\\d{1,2})?$';
export const SIGNED_MONEY_PATTERN = '^-?(0|[1-9]\\d{0,14})(\\.\\d{1,2})?$';
export const DECIMAL_PATTERN = '^(0|[1-9]\\d*)(\\.\\d+)?$';
export const DECIMAL_MAX_LENGTH = 40;
// A share in (0, 1]: "0.5", "0.25", "1", "1.00" — never "0".
export const SHARE_PATTERN = '^(0\\.\\d*[1-9]\\d*|1(\\.0+)?)$';
export const SHARE_MAX_LENGTH = 20;
// A forecast probability in [0, 1] with at most 6 fraction digits ("0", "0.35", "1.0"): enough for
// any CRM's percentage with decimals, and amount × probability stays an exact integer in 10⁻⁸ units.
export const PROBABILITY_PATTERN = '^(0(\\.\\d{1,6})?|1(\\.0{1,6})?)$';
export const PROBABILITY_FRACTION_DIGITS = 6;
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
// RFC 3339 with a mandatory offset: an instant, never a wall-clock time of an unknown zone.
export const INSTANT_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
export const LOCAL_DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
export const TIME_ZONE_PATTERN = '^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$';
export const TIME_ZONE_MAX_LENGTH = 64;
/** Ids (SPEC §3): 1–128 characters, none of them a control character (C0, DEL or C1). */
export const ID_MIN_LENGTH = 1;
export const ID_MAX_LENGTH = 128;
export const ID_PATTERN = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';
/** Free text (SPEC §3): at most 2,000 characters and no NUL. */
export const FREE_TEXT_MAX_LENGTH = 2000;
/** Largest integer (counts, durations, quantities) on the wire: Postgres `integer`. */
export const INT_MAX = 2_147_483_647;
export const FREE_TEXT_PATTERN = '^[^\\u0000]*$';

/** Human phrases for the patterns above, so a validation error says what was expected. */
export const WIRE_FORMAT_PHRASES: ReadonlyMap<string, string> = new Map([
  [MONEY_PATTERN, 'a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"'],
  [SIGNED_MONEY_PATTERN, 'a decimal string with at most 2 fraction digits, e.g. "-12.50"'],
  [DECIMAL_PATTERN, 'a non-negative decimal string, e.g. "0.05"'],
  [SHARE_PATTERN, 'a decimal string in (0, 1], e.g. "0.5"'],
  [PROBABILITY_PATTERN, 'a decimal string in [0, 1] with at most 6 fraction digits, e.g. "0.35"'],
  [CURRENCY_PATTERN, 'an ISO 4217 currency code, e.g. "USD"'],
  [INSTANT_PATTERN, 'an ISO 8601 instant with offset, e.g. "2026-11-27T09:30:00Z"'],
  [LOCAL_DATE_PATTERN, 'a calendar date, e.g. "2026-11-27"'],
  [TIME_ZONE_PATTERN, 'an IANA time zone name, e.g. "Europe/Berlin"'],
  [ID_PATTERN, 'an id without control characters'],
  [FREE_TEXT_PATTERN, 'text without NUL characters'],
  ['date-time', 'an ISO 8601 instant with offset, e.g. "2026-11-27T09:30:00Z"'],
  ['date', 'a calendar date, e.g. "2026-11-27"'],
]);

/** Non-negative money amount, a decimal string with at most 2 fraction digits (never a float). */
export const Money = Type.String({ pattern: MONEY_PATTERN });

/** Signed money amount, for ledger deltas that can reverse earlier ones. */
export const SignedMoney = Type.String({ pattern: SIGNED_MONEY_PATTERN });

/** Non-negative decimal of any precision (rates, attainment thresholds). */
export const DecimalString = Type.String({ pattern: DECIMAL_PATTERN, maxLength: DECIMAL_MAX_LENGTH });

/** A credit share in (0, 1] as a decimal string. */
export const Share = Type.String({ pattern: SHARE_PATTERN, maxLength: SHARE_MAX_LENGTH });

/** A forecast probability in [0, 1] as a decimal string with at most 6 fraction digits. */
export const Probability = Type.String({ pattern: PROBABILITY_PATTERN });

/** ISO 4217 alphabetic currency code. */
export const Currency = Type.String({ pattern: CURRENCY_PATTERN });

/** An ISO 8601 / RFC 3339 instant that carries its offset. */
export const Instant = Type.String({ format: 'date-time', pattern: INSTANT_PATTERN });

/** A calendar date without a zone; read in the tenant's time zone. */
export const LocalDate = Type.String({ format: 'date', pattern: LOCAL_DATE_PATTERN });

/** An IANA time zone name (checked against the zone database by the producing API, not here). */
export const TimeZone = Type.String({ pattern: TIME_ZONE_PATTERN, maxLength: TIME_ZONE_MAX_LENGTH });

/** An identifier chosen by a client or a service: 1–128 characters, no control characters. */
export const Id = Type.String({ minLength: ID_MIN_LENGTH, maxLength: ID_MAX_LENGTH, pattern: ID_PATTERN });

/** Free text (names, goals, reasons): at most 2,000 characters, no NUL. */
export const FreeText = Type.String({ maxLength: FREE_TEXT_MAX_LENGTH, pattern: FREE_TEXT_PATTERN });

/** A string schema that admits exactly `values`, rendered as a JSON Schema `enum`. */
export function StringEnum<const V extends readonly string[]>(values: V): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values] });
}

/** `schema` with a `description` for the published JSON Schema; the shared format stays untouched. */
export function described<S extends TSchema>(schema: S, description: string): S {
  return { ...schema, description };
}
