import { Decimal } from 'decimal.js';
import { intlLocale } from './locale';

/**
 * A decimal money string ("1250.00") in the reader's locale with its currency. Intl formats the
 * string itself (ES2023 accepts decimal strings), so no amount ever passes through a float.
 */
export function formatMoney(amount: string | null | undefined, currency: string, language: string, options: { compact?: boolean } = {}): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const format = new Intl.NumberFormat(intlLocale(language), {
    style: 'currency',
    currency,
    ...(options.compact ? { notation: 'compact', maximumFractionDigits: 1 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  });
  return format.format(amount as unknown as number);
}

/** Sum of decimal money strings, exact (the browser adds only what it shows side by side, e.g. a chart's stack). */
export function sumMoney(amounts: readonly (string | null | undefined)[]): string {
  return amounts.reduce((acc: Decimal, a) => (a ? acc.plus(a) : acc), new Decimal(0)).toFixed(2);
}

/** Whether a typed amount is a money string the services accept (at most 2 fraction digits). */
export function isMoneyInput(text: string): boolean {
  return /^(0|[1-9]\d*)(\.\d{1,2})?$/.test(text.trim());
}

/** A decimal string as a number for a chart axis only — never for arithmetic that is shown as money. */
export function moneyForChart(amount: string | number | null | undefined): number {
  if (amount === null || amount === undefined) return 0;
  return new Decimal(amount).toNumber();
}
