import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { Currency, DecimalString, Id, LocalDate, Money, PlanPeriodKey } from '@pacer/contracts';
import { isCalendarDate } from '../plans/plan-rules';

// The wire formats of @pacer/contracts, as class-validator decorators with messages that say what
// was expected (the DTO is the HTTP face of the same contract).

function pattern(schema: { pattern?: string }): RegExp {
  return new RegExp(schema.pattern as string);
}

const MONEY = pattern(Money);
const DECIMAL = pattern(DecimalString);
const CURRENCY = pattern(Currency);
const PLAN_PERIOD_KEY = pattern(PlanPeriodKey);

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

const isString = (v: unknown): v is string => typeof v === 'string';

export const IsMoneyString = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isMoney',
    (v) => isString(v) && MONEY.test(v),
    'a non-negative decimal string with at most 2 fraction digits, e.g. "1250.00"',
    options,
  );

export const IsPositiveMoney = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isPositiveMoney',
    (v) => isString(v) && MONEY.test(v) && /[1-9]/.test(v),
    'a decimal string greater than 0 with at most 2 fraction digits, e.g. "100000.00"',
    options,
  );

export const IsDecimalString = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isDecimal',
    (v) => isString(v) && v.length <= 40 && DECIMAL.test(v),
    'a non-negative decimal string, e.g. "0.05"',
    options,
  );

export const IsCurrencyCode = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isCurrencyCode',
    (v) => isString(v) && CURRENCY.test(v),
    'an ISO 4217 currency code, e.g. "USD"',
    options,
  );

export const IsLocalDate = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isLocalDate',
    (v) => isString(v) && pattern(LocalDate).test(v) && isCalendarDate(v),
    'a calendar date, e.g. "2026-01-01"',
    options,
  );

export const IsId = (options?: ValidationOptions): PropertyDecorator =>
  format(
    'isId',
    (v) => isString(v) && v.length >= (Id.minLength ?? 1) && v.length <= (Id.maxLength ?? 200),
    'a string of 1 to 200 characters',
    options,
  );

/** Whether a path segment is a month (`2026-11`), fiscal quarter (`FY2027-Q1`) or fiscal year (`FY2027`) key. */
export function isPlanPeriodKey(key: string): boolean {
  return PLAN_PERIOD_KEY.test(key);
}
