import { listOperations, OpenApiDocument } from './openapi-document';
import { FuzzResponse, ResponseChecker } from './response-checks';

// The checks must really fail on what they are meant to catch, or the fuzz could pass by luck.

const problem = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const doc: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/v1/things/{id}': {
      get: {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '204': {},
          '404': { content: problem },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'amount'],
        properties: {
          id: { type: 'string' },
          amount: { type: 'string', pattern: '^\\d+\\.\\d{2}$' },
          closedAt: { type: 'string', format: 'date-time', nullable: true },
          stage: { type: 'string', enum: ['open', 'won'], nullable: true },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
      },
    },
  },
};
const op = listOperations(doc)[0]!;
const checker = new ResponseChecker(doc);
const json = (
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
): FuzzResponse => ({
  status,
  contentType,
  body: JSON.stringify(body),
});
const checks = (response: FuzzResponse): string[] => checker.check(op, response).map((f) => f.check);

describe('ResponseChecker', () => {
  it('passes a documented status with a conforming body, OpenAPI nullable included', () => {
    expect(checks(json(200, { id: 'a', amount: '10.00', closedAt: null, stage: null }))).toEqual([]);
    expect(
      checks(json(200, { id: 'a', amount: '10.00', closedAt: '2026-11-27T09:30:00Z', stage: 'won' })),
    ).toEqual([]);
    expect(
      checks(json(404, { type: 'urn:x', title: 'Not found', status: 404 }, 'application/problem+json')),
    ).toEqual([]);
  });

  it('fails a 5xx even when it is documented-looking', () => {
    expect(
      checks(json(500, { type: 'urn:x', title: 'Oops', status: 500 }, 'application/problem+json')),
    ).toEqual(['not_a_server_error', 'status_code_conformance']);
  });

  it('fails an undocumented status', () => {
    expect(
      checks(json(409, { type: 'urn:x', title: 'Conflict', status: 409 }, 'application/problem+json')),
    ).toEqual(['status_code_conformance']);
  });

  it('fails a body that breaks the schema: a missing required field, a wrong type, a pattern, a non-null null, a bad format', () => {
    expect(checks(json(200, { id: 'a' }))).toEqual(['response_schema_conformance']);
    expect(checks(json(200, { id: 1, amount: '10.00' }))).toEqual(['response_schema_conformance']);
    expect(checks(json(200, { id: 'a', amount: '10' }))).toEqual(['response_schema_conformance']);
    expect(checks(json(200, { id: null, amount: '10.00' }))).toEqual(['response_schema_conformance']);
    expect(checks(json(200, { id: 'a', amount: '10.00', closedAt: '2026-02-30T25:00:00Z' }))).toEqual([
      'response_schema_conformance',
    ]);
    expect(checks(json(200, { id: 'a', amount: '10.00', stage: 'lost' }))).toEqual([
      'response_schema_conformance',
    ]);
    expect(checks({ status: 200, contentType: 'application/json', body: '<html>' })).toEqual([
      'response_schema_conformance',
    ]);
  });

  it('fails a content type the operation does not document: an error must be problem+json', () => {
    expect(checks(json(404, { type: 'urn:x', title: 'Not found', status: 404 }))).toEqual([
      'content_type_conformance',
    ]);
    expect(checks({ status: 200, contentType: 'text/html', body: '<p>hi</p>' })).toEqual([
      'content_type_conformance',
    ]);
    expect(checks({ status: 200, contentType: undefined, body: '' })).toEqual(['content_type_conformance']);
  });

  it('has nothing to check in a response documented without content', () => {
    expect(checks({ status: 204, contentType: undefined, body: '' })).toEqual([]);
  });
});
