import fc from 'fast-check';
import { OpenApiDocument, Operation, ParameterObject, resolveSchema } from './openapi-document';
import { invalidBody, invalidParameter, Mutant, validValue } from './schema-arbitrary';

/** One generated request, before the runner adds the role's token. */
export interface FuzzRequest {
  method: string;
  /** Path and query string, percent-encoded except where odd characters are the point of the case. */
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** `valid`, or what was broken (`required-dropped:repId`, `content-type:missing`, ...). */
  mutation: string;
  /** `token`: the runner sends the role's bearer token; otherwise none or a forged one. */
  auth: 'token' | 'none' | 'garbage';
}

/** Path segments sent raw, because encoding them would hide what they test (routing, URL decoding). */
const RAW_PATH_VALUES = ['..', '.', '%', '%zz', '%2e%2e', '%00', ';', '~'];
const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/json-patch+json',
  '*/*',
];

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** Node refuses control and non-latin1 characters in header values; the header checks are not about them. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

function pathWith(template: string, values: Record<string, string>, raw: ReadonlySet<string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name] ?? '';
    return raw.has(name) ? value : encodeURIComponent(value);
  });
}

function queryString(pairs: [string, string][]): string {
  return pairs.length === 0
    ? ''
    : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

type ParamValues = { param: ParameterObject; value: string | undefined }[];

/**
 * Examples of body properties by name (`teamId` → `emea-ae`): a parameter of the same name takes them
 * half the time, so a GET can find what a generated POST created and reach its 200 and its schema.
 */
export function examplesByName(doc: OpenApiDocument): Map<string, unknown[]> {
  const examples = new Map<string, unknown[]>();
  for (const schema of Object.values(doc.components?.schemas ?? {})) {
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (property.example === undefined) continue;
      const known = examples.get(name) ?? [];
      if (!known.includes(property.example)) examples.set(name, [...known, property.example]);
    }
  }
  return examples;
}

function validParameters(doc: OpenApiDocument, params: ParameterObject[]): fc.Arbitrary<ParamValues> {
  const examples = examplesByName(doc);
  return fc.tuple(
    ...params.map((param) => {
      const generated = validValue(doc, param.schema ?? { type: 'string' });
      const known = param.schema?.example === undefined ? examples.get(param.name) : undefined;
      const value = (known !== undefined ? fc.oneof(fc.constantFrom(...known), generated) : generated).map(
        asText,
      );
      // Path parameters are never empty: an empty segment routes to another operation.
      const present = param.in === 'path' ? value.filter((v) => v.length > 0) : value;
      return (
        param.required === true || param.in === 'path' ? present : fc.option(present, { nil: undefined })
      ).map((v) => ({ param, value: v }));
    }),
  );
}

function jsonBodyType(op: Operation): string | undefined {
  return Object.keys(op.requestBody?.content ?? {}).find(
    (t) => t === 'application/json' || t.endsWith('+json'),
  );
}

/** A body of a non-JSON media type (NDJSON, CSV): lines of JSON or of comma-separated text, some of them broken. */
function textBody(mediaType: string): fc.Arbitrary<string> {
  const line = mediaType.includes('csv')
    ? fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 6 }).map((cells) => cells.join(','))
    : fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 40 }));
  return fc.array(line, { maxLength: 5 }).map((lines) => lines.join('\n'));
}

/**
 * Requests for one operation: schema-valid ones and ones with exactly one thing broken (a body
 * mutant, an odd parameter, a missing required parameter, an unknown one, a wrong or missing
 * Content-Type, no or a forged token).
 */
export function requestArbitrary(doc: OpenApiDocument, op: Operation): fc.Arbitrary<FuzzRequest> {
  const bodyTypes = Object.keys(op.requestBody?.content ?? {});
  const jsonType = jsonBodyType(op);
  const jsonSchema = jsonType === undefined ? undefined : op.requestBody?.content[jsonType]?.schema;
  const body: fc.Arbitrary<{ contentType: string; text: string } | undefined> =
    jsonType !== undefined && jsonSchema !== undefined
      ? validValue(doc, jsonSchema).map((v) => ({ contentType: jsonType, text: JSON.stringify(v) ?? 'null' }))
      : bodyTypes.length > 0
        ? fc.constantFrom(...bodyTypes).chain((t) => textBody(t).map((text) => ({ contentType: t, text })))
        : fc.constant(undefined);

  const base = fc.record({ params: validParameters(doc, op.parameters), body });
  const build = (
    params: ParamValues,
    payload: { contentType: string | undefined; text: string } | undefined,
    mutation: string,
    extra: {
      rawPath?: ReadonlySet<string>;
      extraQuery?: [string, string][];
      auth?: FuzzRequest['auth'];
    } = {},
  ): FuzzRequest => {
    const pathValues: Record<string, string> = {};
    const query: [string, string][] = [];
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    for (const { param, value } of params) {
      if (value === undefined) continue;
      if (param.in === 'path') pathValues[param.name] = value;
      else if (param.in === 'query') query.push([param.name, value]);
      else if (param.in === 'header') headers[param.name.toLowerCase()] = headerSafe(value);
    }
    if (payload?.contentType !== undefined) headers['content-type'] = payload.contentType;
    return {
      method: op.method,
      target:
        pathWith(op.path, pathValues, extra.rawPath ?? new Set()) +
        queryString([...query, ...(extra.extraQuery ?? [])]),
      headers,
      ...(payload !== undefined ? { body: payload.text } : {}),
      mutation,
      auth: extra.auth ?? 'token',
    };
  };

  const cases: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 4, arbitrary: base.map(({ params, body: b }) => build(params, b, 'valid')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, fc.constantFrom<FuzzRequest['auth']>('none', 'garbage'))
        .map(([{ params, body: b }, auth]) => build(params, b, `auth:${auth}`, { auth })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          base,
          fc.constantFrom('fuzz', '__proto__', 'constructor', 'limit[]'),
          fc.string({ maxLength: 8 }),
        )
        .map(([{ params, body: b }, name, value]) =>
          build(params, b, `unknown-query:${name}`, { extraQuery: [[name, value]] }),
        ),
    },
  ];
  if (jsonType !== undefined && jsonSchema !== undefined) {
    cases.push({
      weight: 5,
      arbitrary: fc
        .tuple(base, invalidBody(doc, jsonSchema))
        .map(([{ params }, mutant]: [{ params: ParamValues }, Mutant]) =>
          build(params, { contentType: jsonType, text: mutant.text }, `body:${mutant.mutation}`),
        ),
    });
  }
  if (bodyTypes.length > 0) {
    cases.push({
      weight: 2,
      arbitrary: fc
        .tuple(base, fc.constantFrom<string | undefined>(undefined, ...WRONG_CONTENT_TYPES), fc.boolean())
        .map(([{ params, body: b }, contentType, empty]) =>
          build(
            params,
            { contentType, text: empty ? '' : (b?.text ?? '{}') },
            `content-type:${contentType ?? 'missing'}${empty ? ':empty-body' : ''}`,
          ),
        ),
    });
  }
  if (op.parameters.length > 0) {
    cases.push({
      weight: 3,
      arbitrary: fc.tuple(base, fc.nat()).chain(([{ params, body: b }, pick]) => {
        const target = params[pick % params.length] as ParamValues[number];
        const schema = resolveSchema(doc, target.param.schema ?? { type: 'string' });
        const odd =
          target.param.in === 'path'
            ? fc.oneof(
                invalidParameter(doc, schema),
                fc.constantFrom(...RAW_PATH_VALUES).map((text) => ({ mutation: 'raw', text })),
              )
            : invalidParameter(doc, schema);
        return odd.map((mutant) => {
          const changed = params.map((p) => (p === target ? { param: p.param, value: mutant.text } : p));
          const raw = mutant.mutation === 'raw' ? new Set([target.param.name]) : new Set<string>();
          return build(changed, b, `${target.param.in}:${target.param.name}:${mutant.mutation}`, {
            rawPath: raw,
          });
        });
      }),
    });
    const required = op.parameters.filter((p) => p.in === 'query' && p.required === true);
    if (required.length > 0) {
      cases.push({
        weight: 1,
        arbitrary: fc.tuple(base, fc.constantFrom(...required)).map(([{ params, body: b }, dropped]) =>
          build(
            params.map((p) => (p.param === dropped ? { param: p.param, value: undefined } : p)),
            b,
            `query:${dropped.name}:missing`,
          ),
        ),
      });
    }
  }
  return fc.oneof(...cases);
}
