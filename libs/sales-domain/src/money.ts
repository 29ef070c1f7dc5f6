import { Decimal } from 'decimal.js';

/** Money arithmetic is exact decimal; amounts are rounded half-up to cents only where the SPEC says so. */
export function roundCents(value: Decimal.Value): Decimal {
  return new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** The wire form of money: a decimal string with exactly two fraction digits (`"1250.00"`). */
export function formatMoney(value: Decimal.Value): string {
  return roundCents(value).toFixed(2);
}

/** numerator / denominator as an unrounded number, or null when the denominator is zero (SPEC §5). */
export function ratio(numerator: Decimal.Value, denominator: Decimal.Value): number | null {
  const d = new Decimal(denominator);
  if (d.isZero()) return null;
  return new Decimal(numerator).dividedBy(d).toNumber();
}

/** Money divided by a count, rounded half-up to cents, or null when the count is zero. */
export function moneyPer(amount: Decimal.Value, count: Decimal.Value): string | null {
  const d = new Decimal(count);
  if (d.isZero()) return null;
  return formatMoney(new Decimal(amount).dividedBy(d));
}

// ISO 4217 codes known to the runtime's ICU data; XXX (no currency) and XTS (testing) are not money.
const ISO_CURRENCIES: ReadonlySet<string> = new Set(
  Intl.supportedValuesOf('currency').filter((c) => c !== 'XXX' && c !== 'XTS'),
);

/** Whether `code` is an ISO 4217 currency money can be in (a three-letter pattern alone admits "ABC"). */
export function isIsoCurrency(code: unknown): code is string {
  return typeof code === 'string' && ISO_CURRENCIES.has(code);
}
