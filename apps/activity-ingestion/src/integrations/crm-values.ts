import { Decimal } from 'decimal.js';

// Reading the loosely typed values CRMs send (numbers as strings, epoch milliseconds, Salesforce's
// "+0000" offsets) into the wire formats of SPEC §3. Each returns undefined for a value it cannot
// read, and the activity validator then names the field that is missing or wrong.

/** An instant from an ISO string (offsets `Z`, `+HH:MM` or `+HHMM`) or epoch milliseconds. */
export function crmInstant(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return epochMs(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d{10,14}$/.test(text)) return epochMs(Number(text));
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}

function epochMs(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Epoch milliseconds of an instant read by `crmInstant`. */
export function instantMs(value: unknown): number | undefined {
  const iso = crmInstant(value);
  return iso === undefined ? undefined : Date.parse(iso);
}

/** A calendar date from `yyyy-MM-dd`, an ISO instant (its UTC date) or epoch milliseconds (HubSpot date properties are UTC midnight). */
export function crmDate(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  const iso = crmInstant(value);
  return iso === undefined ? undefined : new Date(iso).toISOString().slice(0, 10);
}

/** Money with two fraction digits, rounded half-up (CRMs allow more digits than Pacer's cents). */
export function crmMoney(value: unknown): string | undefined {
  const d = decimal(value);
  return d === undefined ? undefined : d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}

/** A probability in [0, 1]; `percent` for Salesforce's 0–100. */
export function crmProbability(value: unknown, percent = false): string | undefined {
  const d = decimal(value);
  if (d === undefined) return undefined;
  const p = percent ? d.dividedBy(100) : d;
  return p.toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toString();
}

function decimal(value: unknown): Decimal | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value);
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return undefined;
  return new Decimal(value.trim());
}

/** A CRM id (numbers included) as a string; undefined when absent or empty. */
export function crmId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** Salesforce sends booleans as JSON booleans (callouts) or as "true"/"false" text (Outbound Messages). */
export function crmBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
