import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { examplesByName, requestArbitrary } from './fuzz-request';
import { listOperations, OpenApiDocument } from './openapi-document';
import { toJsonSchema } from './response-checks';
import { deepNesting, invalidBody, validValue } from './schema-arbitrary';

const doc: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/v1/teams/{teamId}/calls': {
      post: {
        parameters: [
          { name: 'teamId', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'limit',
            in: 'query',
            required: true,
            schema: { type: 'integer', minimum: 1, maximum: 100 },
          },
        ],
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'array', maxItems: 10, items: { $ref: '#/components/schemas/Activity' } },
            },
          },
        },
        responses: { '202': {} },
      },
    },
  },
  components: {
    schemas: {
      Activity: {
        oneOf: [
          { $ref: '#/components/schemas/Call' },
          { $ref: '#/components/schemas/Deal' },
          { $ref: '#/components/schemas/Targets' },
        ],
      },
      // No string property: mutations that want one fall back to another property.
      Targets: {
        type: 'object',
        required: ['targets'],
        properties: {
          targets: { type: 'object', properties: { calls: { type: 'integer' } } },
          weeks: { type: 'integer' },
        },
      },
      Call: {
        type: 'object',
        required: ['kind', 'repId', 'occurredAt', 'durationSec'],
        properties: {
          kind: { type: 'string', enum: ['call_logged'] },
          repId: { type: 'string', minLength: 1, maxLength: 128, example: 'rep-ana' },
          occurredAt: { type: 'string', format: 'date-time' },
          durationSec: { type: 'integer', minimum: 0 },
          note: { type: 'string', nullable: true },
        },
      },
      Deal: {
        type: 'object',
        required: ['kind', 'amount', 'closedOn'],
        properties: {
          kind: { type: 'string', enum: ['deal_won'] },
          amount: { type: 'string', pattern: '^(0|[1-9]\\d{0,14})(\\.\\d{1,2})?$' },
          closedOn: { type: 'string', format: 'date' },
          share: { type: 'number', minimum: 0, maximum: 1 },
        },
      },
    },
  },
};

function validator(): (value: unknown) => boolean {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: toJsonSchema(doc.components) }, 'openapi');
  const validate = ajv.compile({ $ref: 'openapi#/components/schemas/Activity' });
  return (value) => validate(value);
}

describe('validValue', () => {
  it('generates only instances of the schema ($ref, oneOf, enum, format, pattern, bounds, nullable)', () => {
    const valid = validator();
    fc.assert(
      fc.property(validValue(doc, { $ref: '#/components/schemas/Activity' }), (value) => valid(value)),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('invalidBody', () => {
  it('generates bodies the schema rejects, each naming what it broke', () => {
    const valid = validator();
    const kinds = new Set<string>();
    fc.assert(
      fc.property(invalidBody(doc, { $ref: '#/components/schemas/Activity' }), (mutant) => {
        kinds.add(mutant.mutation.split(':')[0] as string);
        let parsed: unknown;
        try {
          parsed = JSON.parse(mutant.text);
        } catch {
          return; // malformed JSON, 2,000-level nesting past the parser, or a number literal JSON.parse cannot keep
        }
        // These break the services' input rules (no unknown or prototype keys, no NUL, bounded text and
        // numbers) rather than a schema without additionalProperties: false or maxLength.
        if (/^(unknown-field|proto-key|huge-number|nul-char|huge-string)/.test(mutant.mutation)) return;
        expect({ mutation: mutant.mutation, valid: valid(parsed) }).toEqual({
          mutation: mutant.mutation,
          valid: false,
        });
      }),
      { seed: 7, numRuns: 400 },
    );
    expect([...kinds].sort()).toEqual(
      [
        'deep-nesting',
        'huge-number',
        'huge-string',
        'impossible-date',
        'malformed-json',
        'nul-char',
        'proto-key',
        'required-dropped',
        'unknown-field',
        'wrong-root',
        'wrong-type',
      ].sort(),
    );
  });

  it('nests 2,000 levels deep', () => {
    expect(deepNesting(2_000, 'array')).toHaveLength(4_000);
    expect(deepNesting(3, 'object')).toBe('{"a":{"a":{"a":1}}}');
  });
});

describe('requestArbitrary', () => {
  it('covers valid requests and every kind of broken one, each with its path filled in', () => {
    const op = listOperations(doc)[0]!;
    const requests = fc.sample(requestArbitrary(doc, op), { seed: 1, numRuns: 600 });
    const kinds = new Set(requests.map((r) => r.mutation.split(':')[0]));
    expect([...kinds].sort()).toEqual(
      ['auth', 'body', 'content-type', 'path', 'query', 'unknown-query', 'valid'].sort(),
    );
    for (const r of requests) expect(r.target).not.toContain('{teamId}');
    expect(
      requests.some(
        (r) => r.mutation.startsWith('content-type:missing') && r.headers['content-type'] === undefined,
      ),
    ).toBe(true);
    expect(requests.some((r) => r.mutation === 'query:limit:missing' && !r.target.includes('limit='))).toBe(
      true,
    );
  });

  it('gives a parameter the examples of body properties of the same name', () => {
    expect(examplesByName(doc).get('repId')).toEqual(['rep-ana']);
    const op = {
      method: 'GET',
      path: '/v1/reps/{repId}',
      parameters: [{ name: 'repId', in: 'path' as const, required: true, schema: { type: 'string' } }],
      responses: {},
    };
    const targets = fc.sample(requestArbitrary(doc, op), { seed: 3, numRuns: 200 }).map((r) => r.target);
    expect(targets).toContain('/v1/reps/rep-ana');
  });

  it('replays the same requests from the same seed', () => {
    const op = listOperations(doc)[0]!;
    expect(fc.sample(requestArbitrary(doc, op), { seed: 5, numRuns: 20 })).toEqual(
      fc.sample(requestArbitrary(doc, op), { seed: 5, numRuns: 20 }),
    );
  });
});
