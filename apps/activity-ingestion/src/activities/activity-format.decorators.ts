import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoCurrency } from '@pacer/sales-domain';
import {
  isId,
  isInstant,
  isMoney,
  isPositiveMoney,
  isShare,
  isStorableText,
} from './activity-formats';

function format(
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

/** A money string with at most 2 fraction digits; `positive` also excludes zero. */
export const IsMoney = (positive: boolean, options?: ValidationOptions): PropertyDecorator =>
  positive
    ? format(
        'isPositiveMoney',
        isPositiveMoney,
        'a decimal string greater than 0 with at most 2 fraction digits, e.g. "1250.00"',
        options,
      )
    : format(
        'isMoney',
        isMoney,
        'a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"',
        options,
      );

export const IsShare = (options?: ValidationOptions): PropertyDecorator =>
  format('isShare', isShare, 'a decimal string in (0, 1] of at most 20 characters, e.g. "0.5"', options);

export const IsCurrencyCode = (options?: ValidationOptions): PropertyDecorator =>
  format('isCurrencyCode', isIsoCurrency, 'an ISO 4217 currency code, e.g. "USD"', options);

export const IsInstant = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isInstant',
    isInstant,
    'an ISO 8601 instant with offset, e.g. "2026-11-27T09:30:00Z" or "2026-11-27T10:30:00+01:00"',
    options,
  );

export const IsId = (options?: ValidationOptions): PropertyDecorator =>
  format('isId', isId, 'a string of 1 to 200 characters', options);

export const IsStorableText = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isStorableText',
    (v) => typeof v === 'string' && isStorableText(v),
    'text without NUL characters or unpaired surrogates',
    options,
  );
