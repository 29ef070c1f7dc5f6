import { intlLocale } from './locale';

/** A count ("1,234" / "1 234"). */
export function formatCount(value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 }).format(value);
}

/** A plain number with up to `digits` fraction digits (e.g. average sales cycle in days). */
export function formatNumber(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: digits }).format(value);
}

/**
 * A ratio as a percent: 0.4567 → "45.7%" / "45,7 %". Accepts the API's numbers and decimal strings
 * (commission attainment is a string); null (zero denominator, no quota) reads as a dash.
 */
export function formatPercent(ratio: number | string | null | undefined, language: string, digits = 1): string {
  if (ratio === null || ratio === undefined || ratio === '') return '—';
  const value = typeof ratio === 'string' ? Number(ratio) : ratio;
  if (!Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(intlLocale(language), { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}
