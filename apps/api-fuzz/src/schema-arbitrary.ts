import fc from 'fast-check';
import { DateTime } from 'luxon';
import { OpenApiDocument, resolveSchema, SchemaObject } from './openapi-document';

// Schema-valid values are hand-built from fast-check arbitraries rather than json-schema-faker: one
// seeded generator for valid and invalid values alike (a printed seed replays the whole run), and
// the schemas @nestjs/swagger emits use a small subset of JSON Schema (no conditionals, no
// dependencies) that a few dozen lines cover.

const MIN_INSTANT = DateTime.fromISO('2020-01-01T00:00:00Z').toMillis();
const MAX_INSTANT = DateTime.fromISO('2030-12-31T23:59:59Z').toMillis();
/** Past this depth optional properties are left out, so recursive schemas end. */
const MAX_DEPTH = 6;
/** Arrays stay short: long arrays add time, not new input shapes (huge inputs are the invalid side's job). */
const MAX_ARRAY = 3;

/** Strings that a schema-valid string may carry anyway: what a careless parser trips on. */
const TRICKY_STRINGS = [
  '',
  ' ',
  'ünïcødé',
  '😀',
  "'; DROP TABLE x;--",
  '<script>',
  '../..',
  '%00',
  'null',
  '0',
];

function stringArbitrary(schema: SchemaObject): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 64, Math.max(minLength, 64));
  const fits = (s: string): boolean => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity);
  switch (schema.format) {
    case 'date-time':
      return fc
        .integer({ min: MIN_INSTANT, max: MAX_INSTANT })
        .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }).toISO() ?? '2026-01-01T00:00:00.000Z');
    case 'date':
      return fc
        .integer({ min: MIN_INSTANT, max: MAX_INSTANT })
        .map((ms) => DateTime.fromMillis(ms, { zone: 'utc' }).toISODate() ?? '2026-01-01');
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress();
    case 'binary':
      return fc.string({ maxLength: 64 });
  }
  if (schema.pattern !== undefined) {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  // Mostly identifier-like text (what ids, names and keys look like), so valid requests get past the
  // services' own rules often enough to reach their deeper code; some of any Unicode, some tricky.
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .string({
          minLength,
          maxLength: Math.min(maxLength, 24),
          unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
        })
        .filter(fits),
    },
    { weight: 2, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.constantFrom(...TRICKY_STRINGS).filter(fits) },
  );
}

function numberArbitrary(schema: SchemaObject): fc.Arbitrary<number> {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  if (schema.type === 'integer') {
    const min = schema.minimum ?? (exclusiveMin !== undefined ? Math.floor(exclusiveMin) + 1 : -1_000_000);
    const max = schema.maximum ?? (exclusiveMax !== undefined ? Math.ceil(exclusiveMax) - 1 : 1_000_000);
    return fc.integer({
      min: Math.max(min, Number.MIN_SAFE_INTEGER),
      max: Math.min(max, Number.MAX_SAFE_INTEGER),
    });
  }
  // A `number` is often an integer the decorator did not say is one (a day count, a month).
  const integral = fc.integer({
    min: Math.ceil(Math.max(schema.minimum ?? -1_000_000, (exclusiveMin ?? -Infinity) + 1)),
    max: Math.floor(Math.min(schema.maximum ?? 1_000_000, (exclusiveMax ?? Infinity) - 1)),
  });
  const fractional = fc
    .double({
      min: schema.minimum ?? exclusiveMin ?? -1e9,
      max: schema.maximum ?? exclusiveMax ?? 1e9,
      noNaN: true,
      noDefaultInfinity: true,
    })
    .filter((n) => n !== exclusiveMin && n !== exclusiveMax && !Object.is(n, -0));
  return fc.oneof(integral, fractional);
}

/** Values that validate against `schema` ($refs resolved; enums, formats, bounds and patterns respected). */
export function validValue(doc: OpenApiDocument, raw: SchemaObject, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolveSchema(doc, raw);
  const value = ((): fc.Arbitrary<unknown> => {
    if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
    if (schema.const !== undefined) return fc.constant(schema.const);
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants !== undefined) return fc.oneof(...variants.map((v) => validValue(doc, v, depth + 1)));
    if (schema.allOf !== undefined) {
      return fc
        .tuple(...schema.allOf.map((s) => validValue(doc, s, depth + 1)))
        .map((parts) =>
          Object.assign({}, ...parts.map((p) => (typeof p === 'object' && p !== null ? p : {}))),
        );
    }
    switch (schema.type) {
      case 'string':
        return stringArbitrary(schema);
      case 'integer':
      case 'number':
        return numberArbitrary(schema);
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const minLength = schema.minItems ?? 0;
        const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? MAX_ARRAY, MAX_ARRAY));
        return fc.array(validValue(doc, schema.items ?? {}, depth + 1), { minLength, maxLength });
      }
      case 'object':
      case undefined: {
        if (schema.properties === undefined) return fc.constant({});
        const required = schema.required ?? [];
        const props = Object.fromEntries(
          Object.entries(schema.properties)
            .filter(([name]) => depth < MAX_DEPTH || required.includes(name))
            .map(([name, s]) => [name, validValue(doc, s, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: required.filter((name) => name in props) });
      }
      default:
        return fc.constant(null);
    }
  })();
  // An example is the value most likely to get past the service's own rules (a known rep, a date in range).
  const withExample =
    schema.example !== undefined && schema.format !== 'binary'
      ? fc.oneof({ weight: 1, arbitrary: fc.constant(schema.example) }, { weight: 1, arbitrary: value })
      : value;
  return schema.nullable === true ? fc.option(withExample, { nil: null, freq: 8 }) : withExample;
}

/** A request body or parameter value that breaks its schema, with the name of what was broken. */
export interface Mutant {
  mutation: string;
  /** The JSON text (bodies) or raw string (parameters); text, because some mutants are not JSON values. */
  text: string;
}

/** The object schemas a body may take: a oneOf/anyOf is flattened into its variants. */
export function objectVariants(doc: OpenApiDocument, raw: SchemaObject): SchemaObject[] {
  const schema = resolveSchema(doc, raw);
  const variants = schema.oneOf ?? schema.anyOf;
  return variants === undefined ? [schema] : variants.flatMap((v) => objectVariants(doc, v));
}

/** JSON nested `levels` deep: arrays, or objects under one key. */
export function deepNesting(levels: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(levels) + ']'.repeat(levels)
    : '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

export const IMPOSSIBLE_DATES = [
  '2026-02-30',
  '2026-02-30T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-04-31T24:00:00Z',
  '2026-01-01T25:61:61Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:01Z',
  '-000001-01-01T00:00:00Z',
  '2026-01-01T00:00:00+25:00',
  'yesterday',
];
/** Number literals JSON allows but a double cannot hold, or that sit at the edges of one. */
export const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '1.7976931348623157e308',
  '123456789012345678901234567890',
  '5e-324',
  '-0',
  '1e-400',
  '9007199254740993',
];
const WRONG_TYPES = ['null', 'true', '0', '-1', '1.5', '"x"', '""', '[]', '{}', '[null]', '{"a":{}}'];
const JSON_TYPE_OF: Record<string, string> = {
  n: 'null',
  t: 'boolean',
  '0': 'integer',
  '-': 'integer',
  '1': 'number',
  '"': 'string',
  '[': 'array',
  '{': 'object',
};

/** JSON texts of values whose type the schema does not allow (an integer is a number too). */
function wrongTypesFor(schema: SchemaObject): string[] {
  const allowed = new Set([
    schema.type ?? 'object',
    ...(schema.type === 'number' ? ['integer'] : []),
    ...(schema.nullable === true ? ['null'] : []),
  ]);
  const wrong = WRONG_TYPES.filter((text) => !allowed.has(JSON_TYPE_OF[text[0] ?? ''] ?? ''));
  return wrong.length > 0 ? wrong : WRONG_TYPES;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

/** Replaces the JSON text of one top-level property (or appends it) in an object's JSON text. */
function withProperty(value: Record<string, unknown>, key: string, text: string): string {
  const rest = Object.entries(value)
    .filter(([k]) => k !== key)
    .map(([k, v]) => `${jsonText(k)}:${jsonText(v)}`);
  return `{${[...rest, `${jsonText(key)}:${text}`].join(',')}}`;
}

/** Invalid variants of one object of `schema`: each keeps the rest of a valid object, so the fault is the one named. */
export function invalidObject(doc: OpenApiDocument, raw: SchemaObject): fc.Arbitrary<Mutant> {
  const variants = objectVariants(doc, raw);
  return fc.constantFrom(...variants).chain((variant) =>
    fc
      .tuple(validValue(doc, variant), fc.nat(), fc.nat(), fc.nat({ max: 11 }))
      .map(([valid, pick, pick2, kind]): Mutant => {
        if (typeof valid !== 'object' || valid === null || Array.isArray(valid)) {
          const wrong = wrongTypesFor(variant);
          return { mutation: 'wrong-type', text: wrong[pick % wrong.length] as string };
        }
        const obj = valid as Record<string, unknown>;
        const keys = Object.keys(variant.properties ?? {});
        const key = keys.length > 0 ? (keys[pick % keys.length] as string) : 'field';
        const required = variant.required ?? [];
        const stringKeys = keys.filter(
          (k) => resolveSchema(doc, variant.properties?.[k] ?? {}).type === 'string',
        );
        const stringKey = stringKeys.length > 0 ? (stringKeys[pick % stringKeys.length] as string) : key;
        switch (kind) {
          case 0: {
            if (required.length === 0)
              return { mutation: 'unknown-field', text: withProperty(obj, 'fuzzUnknown', '1') };
            const dropped = required[pick % required.length] as string;
            const rest = Object.fromEntries(Object.entries(obj).filter(([k]) => k !== dropped));
            return { mutation: `required-dropped:${dropped}`, text: jsonText(rest) };
          }
          case 1: {
            const wrong = wrongTypesFor(resolveSchema(doc, variant.properties?.[key] ?? {}));
            return {
              mutation: `wrong-type:${key}`,
              text: withProperty(obj, key, wrong[pick2 % wrong.length] as string),
            };
          }
          case 2:
            return {
              mutation: 'unknown-field',
              text: withProperty(obj, `fuzz_${pick2 % 1000}`, jsonText('x')),
            };
          case 3: {
            const protoKey = ['__proto__', 'constructor', 'prototype'][pick2 % 3] as string;
            return {
              mutation: `proto-key:${protoKey}`,
              text: withProperty(obj, protoKey, '{"isAdmin":true,"polluted":1}'),
            };
          }
          case 4:
            return {
              mutation: `nul-char:${stringKey}`,
              text: withProperty(
                obj,
                stringKey,
                jsonText(`a\u0000b${typeof obj[stringKey] === 'string' ? obj[stringKey] : ''}`),
              ),
            };
          case 5:
            return {
              mutation: `deep-nesting:${key}`,
              text: withProperty(obj, key, deepNesting(2_000, pick2 % 2 === 0 ? 'array' : 'object')),
            };
          case 6:
            return {
              mutation: `huge-string:${stringKey}`,
              text: withProperty(obj, stringKey, jsonText('x'.repeat(pick2 % 2 === 0 ? 10_000 : 200_000))),
            };
          case 7: {
            const numberKeys = keys.filter((k) =>
              ['number', 'integer'].includes(resolveSchema(doc, variant.properties?.[k] ?? {}).type ?? ''),
            );
            const numberKey = numberKeys.length > 0 ? (numberKeys[pick % numberKeys.length] as string) : key;
            return {
              mutation: `huge-number:${numberKey}`,
              text: withProperty(obj, numberKey, HUGE_NUMBERS[pick2 % HUGE_NUMBERS.length] as string),
            };
          }
          case 8: {
            const dateKeys = keys.filter((k) =>
              (resolveSchema(doc, variant.properties?.[k] ?? {}).format ?? '').startsWith('date'),
            );
            const dateKey = dateKeys.length > 0 ? (dateKeys[pick % dateKeys.length] as string) : stringKey;
            return {
              mutation: `impossible-date:${dateKey}`,
              text: withProperty(obj, dateKey, jsonText(IMPOSSIBLE_DATES[pick2 % IMPOSSIBLE_DATES.length])),
            };
          }
          case 9: {
            const wrong = wrongTypesFor(variant);
            return { mutation: 'wrong-root', text: wrong[pick2 % wrong.length] as string };
          }
          case 10:
            return {
              mutation: 'malformed-json',
              text:
                jsonText(obj).slice(0, Math.max(1, pick2 % jsonText(obj).length)) +
                (pick2 % 3 === 0 ? ',}' : ''),
            };
          default:
            return {
              mutation: 'deep-nesting:root',
              text: deepNesting(2_000, pick2 % 2 === 0 ? 'array' : 'object'),
            };
        }
      }),
  );
}

/** An invalid body for `schema`: an array body gets its broken element among valid ones. */
export function invalidBody(doc: OpenApiDocument, raw: SchemaObject): fc.Arbitrary<Mutant> {
  const schema = resolveSchema(doc, raw);
  if (schema.type === 'array' && schema.items !== undefined) {
    const items = schema.items;
    return fc
      .tuple(fc.array(validValue(doc, items), { maxLength: 2 }), invalidObject(doc, items), fc.boolean())
      .map(([valid, bad, notArray]): Mutant =>
        notArray && valid.length === 0
          ? { mutation: 'wrong-root:object-for-array', text: bad.text }
          : { mutation: `item:${bad.mutation}`, text: `[${[...valid.map(jsonText), bad.text].join(',')}]` },
      );
  }
  return invalidObject(doc, schema);
}

/** Invalid values of a query, header or path parameter, as raw (unencoded) strings. */
export function invalidParameter(doc: OpenApiDocument, raw: SchemaObject): fc.Arbitrary<Mutant> {
  const schema = resolveSchema(doc, raw);
  const wrong: string[] = [];
  if (schema.type === 'integer' || schema.type === 'number') {
    wrong.push(
      'abc',
      '',
      '1e999',
      '-1',
      '1.5',
      'NaN',
      'Infinity',
      '0x10',
      ' 1',
      String(Number.MAX_SAFE_INTEGER * 10),
      '99999999999999999999999',
    );
  }
  if (schema.enum !== undefined) wrong.push('not-an-enum-value', String(schema.enum[0]).toUpperCase(), ' ');
  if ((schema.format ?? '').startsWith('date') || schema.example !== undefined)
    wrong.push(...IMPOSSIBLE_DATES);
  const odd = [
    '\u0000',
    'a\u0000b',
    'x'.repeat(10_000),
    '__proto__',
    'constructor',
    '%',
    '%zz',
    '../../etc/passwd',
    '😀',
    "'",
    '"',
    ';',
    'true',
    '[]',
    '{}',
  ];
  return fc.constantFrom(...wrong, ...odd).map((text) => ({ mutation: 'odd-value', text }));
}
