import { Decimal } from 'decimal.js';
import { formatMoney } from '@pacer/sales-domain';

/**
 * The decimal type of commission maths. decimal.js rounds every result to 20 significant digits by
 * default, which a 12-digit amount times a long rate can exceed; 40 digits keeps products of money
 * and rates exact, so the only rounding is the SPEC's half-up to cents per line.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export const ZERO = new Dec(0);

/**
 * Money on the wire: `formatMoney` (two fraction digits, half-up), and never "-0.00". A `Dec` is
 * formatted by its own `toFixed(2)`, which rounds with the same ROUND_HALF_UP mode: the same string
 * without parsing the value again (statements format every line of every recalculation).
 */
export function money(value: Decimal.Value): string {
  const text = value instanceof Dec ? value.toFixed(2) : formatMoney(value);
  return text === '-0.00' ? '0.00' : text;
}

const percents = new Map<string, string>();

/** A rate as a percentage for notes: "0.05" → "5%", "0.125" → "12.5%". */
export function percent(rate: Decimal.Value): string {
  const key = String(rate);
  let text = percents.get(key);
  if (text === undefined) {
    text = `${new Dec(rate).times(100).toFixed()}%`;
    // Plans have a handful of rates; the bound only guards against a pathological caller.
    if (percents.size < 10_000) percents.set(key, text);
  }
  return text;
}
