import type { TSchema } from '@sinclair/typebox';
import { Decimal } from 'decimal.js';
import * as fc from 'fast-check';
import type { EventType } from '../src/event-registry';
import { PERIOD_KEY_PATTERNS } from '../src/periods';

// Generates values from the published (plain JSON) form of a TypeBox schema, so the property tests
// exercise exactly what the schemas admit rather than hand-picked fixtures.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** An RFC 3339 instant with a random offset and optional milliseconds. */
export const instantArbitrary: fc.Arbitrary<string> = fc
  .record({
    ms: fc.integer({ min: MIN_MS + 86_400_000, max: MAX_MS - 86_400_000 }),
    offsetMinutes: fc.constantFrom(0, 60, -300, 330, 345, -570, 840, -720),
    zulu: fc.boolean(),
    fraction: fc.boolean(),
  })
  .map(({ ms, offsetMinutes, zulu, fraction }) => {
    const offset = zulu ? 0 : offsetMinutes;
    const local = new Date(ms + offset * 60_000).toISOString();
    const body = fraction ? local.slice(0, 23) : local.slice(0, 19);
    if (zulu) return `${body}Z`;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${body}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  });

/** A valid calendar date. */
export const localDateArbitrary: fc.Arbitrary<string> = fc
  .integer({ min: MIN_MS, max: MAX_MS })
  .map((ms) => new Date(ms).toISOString().slice(0, 10));

function stringArbitrary(schema: Json): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return instantArbitrary;
  if (schema.format === 'date') return localDateArbitrary;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  // A pattern that only excludes characters (ids: no control characters; text: no NUL) constrains
  // free text, so it filters the text generator below instead of generating lone surrogates.
  if (pattern && !pattern.source.startsWith('^[^')) {
    const arbitrary = fc.stringMatching(pattern);
    return arbitrary.filter((s) => [...s].length >= minLength && (maxLength === undefined || [...s].length <= maxLength));
  }
  // Graphemes give real Unicode (valid UTF-16, so it survives a Buffer); JSON Schema counts code points.
  const limit = Math.min(maxLength ?? 30, 30);
  return fc
    .string({ unit: 'grapheme', minLength, maxLength: limit })
    .filter((v) => [...v].length <= limit && (pattern === undefined || pattern.test(v)));
}

function numberArbitrary(schema: Json): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (schema.type === 'integer') return fc.integer({ min: min ?? -1_000_000, max: max ?? 1_000_000 });
  // -0 does not survive JSON (it comes back as 0), so it is not a value a producer can send.
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map((n) => (n === 0 ? 0 : n));
}

/** An arbitrary of every value `schema` accepts (for the keywords Pacer's schemas use). */
export function arbitraryOf(schema: TSchema | Json): fc.Arbitrary<unknown> {
  const s: Json = JSON.parse(JSON.stringify(schema)) as Json;
  return fromJson(s);
}

function fromJson(s: Json): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.anyOf)) return fc.oneof(...s.anyOf.filter(isObject).map(fromJson));
  switch (s.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringArbitrary(s);
    case 'number':
    case 'integer':
      return numberArbitrary(s);
    case 'array': {
      const items = isObject(s.items) ? fromJson(s.items) : fc.anything();
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      return fc.array(items, { minLength, maxLength: Math.max(minLength, 4) });
    }
    case 'object': {
      const properties = isObject(s.properties) ? s.properties : {};
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, sub] of Object.entries(properties)) if (isObject(sub)) model[name] = fromJson(sub);
      if (Object.keys(model).length === 0) return fc.constant({});
      return fc.record(model, { requiredKeys: required });
    }
    default:
      throw new Error(`schema-arbitrary cannot generate ${JSON.stringify(s).slice(0, 80)}`);
  }
}

const SAMPLE_PERIOD_KEYS: Record<keyof typeof PERIOD_KEY_PATTERNS, fc.Arbitrary<string>> = {
  day: fc.stringMatching(new RegExp(PERIOD_KEY_PATTERNS.day)),
  week: fc.stringMatching(new RegExp(PERIOD_KEY_PATTERNS.week)),
  month: fc.stringMatching(new RegExp(PERIOD_KEY_PATTERNS.month)),
  quarter: fc.stringMatching(new RegExp(PERIOD_KEY_PATTERNS.quarter)),
  year: fc.stringMatching(new RegExp(PERIOD_KEY_PATTERNS.year)),
};

/**
 * Schema-generated data made to satisfy the cross-field rules JSON Schema cannot express (credit
 * shares summing to 1, ascending tiers, a void matching its copy, KPI key formats).
 */
export function validDataArbitrary(
  type: EventType,
  schema: TSchema,
  tenantId: string,
): fc.Arbitrary<Record<string, unknown>> {
  const raw = arbitraryOf(schema).filter(isObject);
  switch (type) {
    case 'pacer.activity.deal_won.v1':
      return raw.map(fixCredits);
    case 'pacer.activity.voided.v1':
      return raw.map((data) => {
        const voided = fixCredits(data.voidedActivity as Json);
        return {
          ...data,
          voidedActivity: { ...voided, activityId: data.activityId, repId: data.repId },
          voidedKind: voided.kind,
          voidedOccurredAt: voided.occurredAt,
        };
      });
    case 'pacer.plan.version_created.v1':
      return raw.map(fixPlan);
    case 'pacer.kpi.snapshot.v1':
      return fc
        .tuple(raw, fc.record(SAMPLE_PERIOD_KEYS), fc.string({ minLength: 1, maxLength: 20 }))
        .map(([data, keys, sprintKey]) => {
          const period = data.period as Json & { type: keyof typeof keys | 'sprint' };
          const scope = data.scope === 'org' && period.type === 'sprint' ? 'team' : data.scope;
          const key = period.type === 'sprint' ? sprintKey : keys[period.type];
          return {
            ...data,
            scope,
            scopeId: scope === 'org' ? tenantId : data.scopeId,
            period: { ...period, key },
          };
        });
    default:
      return raw;
  }
}

function fixCredits(data: Json): Json {
  if (!Array.isArray(data.credits)) return data;
  const credits = data.credits as { repId: string; share: string }[];
  // Distinct reps; shares kept while they sum below 1, then the last credit takes the remainder.
  const fixed: { repId: string; share: string }[] = [];
  let total = new Decimal(0);
  for (const [i, credit] of credits.entries()) {
    const repId = `${credit.repId.slice(0, 190)}#${i}`;
    const isLast = i === credits.length - 1;
    const next = total.plus(credit.share);
    if (!isLast && next.lessThan(1)) {
      fixed.push({ repId, share: credit.share });
      total = next;
    } else {
      fixed.push({ repId, share: new Decimal(1).minus(total).toFixed() });
      break;
    }
  }
  return { ...data, credits: fixed };
}

function fixPlan(data: Json): Json {
  const tiers = data.tiers as { from: string; rate: string }[];
  const fixedTiers = tiers.map((tier, i) => ({ ...tier, from: i === 0 ? '0' : `${i}.${tier.from.length}` }));
  const spiffs = (data.spiffs as { id: string }[]).map((spiff, i) => ({
    ...spiff,
    id: `${spiff.id.slice(0, 190)}#${i}`,
  }));
  return { ...data, tiers: fixedTiers, spiffs };
}
