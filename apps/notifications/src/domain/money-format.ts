import Decimal from 'decimal.js';

/**
 * `12500.5`, `USD` → `12,500.50 USD`: readable at a glance in any channel. Decimal strings, never
 * floats (an amount may have more digits than a double holds). Messages are in English; the
 * reader's locale is the web app's business, not a Slack channel's.
 */
export function formatMoney(amount: string, currency: string): string {
  let value: Decimal;
  try {
    value = new Decimal(amount);
  } catch {
    return `${amount} ${currency}`.trim();
  }
  const fixed = value.abs().toFixed(2, Decimal.ROUND_HALF_UP);
  const [whole = '0', cents = '00'] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value.isNegative() && !value.isZero() ? '-' : ''}${grouped}.${cents} ${currency}`.trim();
}
