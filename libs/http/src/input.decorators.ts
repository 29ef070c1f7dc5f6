import { buildMessage, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import {
  INPUT_LIMITS,
  InputWindow,
  isCalendarDate,
  isCalendarDateInWindow,
  isDecimalString,
  isFreeText,
  isId,
  isInstant,
  isInstantInWindow,
  isIsoCurrency,
  isMoney,
  isPositiveMoney,
  isNonZeroSignedMoney,
  isProbability,
  isShare,
} from '@pacer/sales-domain';

// The input rules of SPEC §3 as class-validator decorators, for every DTO of every service. Each one
// is a thin wrapper over a pure check of @pacer/sales-domain, whose limits the published JSON
// Schemas share. Each checks the type too, so a DTO property needs no separate @IsString().

/** A decorator that runs `test` and, when it fails, says what was expected. */
export function inputFormat(
  name: string,
  test: (value: unknown) => boolean,
  expected: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => test(value),
        defaultMessage: buildMessage((each) => `${each}$property must be ${expected}`, options),
      },
    },
    options,
  );
}

const WINDOW_PHRASE: Record<InputWindow, string> = {
  occurred: `between ${INPUT_LIMITS.earliest} and ${INPUT_LIMITS.occurredAheadDays} days after now`,
  lookAhead: `between ${INPUT_LIMITS.earliest.slice(0, 10)} and ${INPUT_LIMITS.lookAheadYears} years after now`,
};

/** An id: 1–128 characters without control characters. */
export const IsId = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isId', isId, `a string of ${INPUT_LIMITS.idMinLength} to ${INPUT_LIMITS.idMaxLength} characters without control characters`, options);

/** Free text: at most `max` (default 2,000) characters, no NUL; `min` 1 for text that must not be empty. */
export const IsFreeText = (
  limits: { min?: number; max?: number } = {},
  options?: ValidationOptions,
): PropertyDecorator => {
  const max = limits.max ?? INPUT_LIMITS.freeTextMaxLength;
  const min = limits.min ?? 0;
  return inputFormat(
    'isFreeText',
    (v) => isFreeText(v, max, min),
    `a string of ${min} to ${max} characters without NUL characters`,
    options,
  );
};

/** An ISO 8601 instant with offset; with a window, inside it (SPEC §3: occurredAt, openedAt, look-ahead dates). */
export const IsInstantInWindow = (window?: InputWindow, options?: ValidationOptions): PropertyDecorator =>
  inputFormat(
    'isInstant',
    (v) => (window ? isInstantInWindow(v, window) : isInstant(v)),
    `an ISO 8601 instant with offset, e.g. "2026-11-27T09:30:00Z"${window ? `, ${WINDOW_PHRASE[window]}` : ''}`,
    options,
  );

/** A real calendar date `yyyy-MM-dd`; by default no earlier than 1970 and at most ten years ahead. */
export const IsCalendarDate = (window: InputWindow | 'any' = 'lookAhead', options?: ValidationOptions): PropertyDecorator =>
  inputFormat(
    'isCalendarDate',
    (v) => (window === 'any' ? isCalendarDate(v) : isCalendarDateInWindow(v, window)),
    `a calendar date, e.g. "2026-11-27"${window === 'any' ? '' : `, ${WINDOW_PHRASE[window]}`}`,
    options,
  );

/** A calendar date (tenant-local midnight) or an instant with offset, inside `window`. */
export const IsDateOrInstant = (window: InputWindow = 'lookAhead', options?: ValidationOptions): PropertyDecorator =>
  inputFormat(
    'isDateOrInstant',
    (v) => isCalendarDateInWindow(v, window) || isInstantInWindow(v, window),
    `a calendar date (e.g. "2026-11-30") or an ISO 8601 instant with offset, ${WINDOW_PHRASE[window]}`,
    options,
  );

/** A money string with at most 2 fraction digits; `positive` also excludes zero. */
export const IsMoney = (positive = false, options?: ValidationOptions): PropertyDecorator =>
  positive
    ? inputFormat('isPositiveMoney', isPositiveMoney, 'a decimal string greater than 0 with at most 2 fraction digits, e.g. "1250.00"', options)
    : inputFormat('isMoney', isMoney, 'a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"', options);

/** A non-zero money string that may be negative, with at most 2 fraction digits (adjustments). */
export const IsNonZeroSignedMoney = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isNonZeroSignedMoney', isNonZeroSignedMoney, 'a non-zero decimal string with at most 2 fraction digits, negative to take money back, e.g. "-150.00"', options);

/** A non-negative decimal string of at most 40 characters (rates, thresholds). */
export const IsDecimalString = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isDecimal', isDecimalString, 'a non-negative decimal string, e.g. "0.05"', options);

export const IsShare = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isShare', isShare, 'a decimal string in (0, 1] of at most 20 characters, e.g. "0.5"', options);

/** A forecast probability: a decimal string in [0, 1] with at most 6 fraction digits. */
export const IsProbability = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isProbability', isProbability, 'a decimal string in [0, 1] with at most 6 fraction digits, e.g. "0.35"', options);

/** A real ISO 4217 currency (a three-letter pattern alone admits "ZZZ"). */
export const IsCurrencyCode = (options?: ValidationOptions): PropertyDecorator =>
  inputFormat('isCurrencyCode', isIsoCurrency, 'an ISO 4217 currency code, e.g. "USD"', options);

/**
 * An optional property that may be left out but not sent as `null` (class-validator's @IsOptional
 * lets null through to the handler, which would read it as a value). Use @IsOptional where null
 * means "not given" on purpose.
 */
export const IsOmittable = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined, options);
