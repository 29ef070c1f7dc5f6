import type { OpenAPIObject } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem';

// Responses every authenticated operation can give through the shared layers (request-input guard,
// auth guard, validation pipe, problem filter, outage mapping), documented once here so each
// service's OpenAPI document says what the API really answers. Status codes a single operation
// adds (409, 422...) stay with that operation's own decorators.

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', example: 'urn:pacer:problem:validation-failed' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

const SHARED: Record<string, string> = {
  '400': 'Invalid input: a parameter or body field (named in errors[].path), malformed or too deeply nested JSON.',
  '401': 'No valid bearer token.',
  '403': 'The token has no role that may do this.',
  '404': 'No such resource in the caller’s tenant (or no such route).',
  '413': 'The body is larger than PACER_HTTP_BODY_LIMIT.',
  '415': 'A body the operation cannot read (it takes application/json unless it says otherwise).',
  '503': 'Postgres or Kafka is unreachable; see Retry-After.',
};

/** Responses of every operation that changes something: domain rules and concurrency answer these. */
const WRITES: Record<string, string> = {
  '409': 'Conflict: a concurrent change (If-Match), a running operation or an id already used with other content.',
  '422': 'A domain rule refused the change; type names the rule.',
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
const WRITE_METHODS: ReadonlySet<string> = new Set(['put', 'post', 'delete', 'patch']);

type Responses = Record<string, { description?: string; content?: Record<string, unknown> }>;

/** Adds the shared problem responses (and the Problem schema) to every `/v1` operation of `document`. */
export function documentProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components = document.components ?? {};
  document.components.schemas = { ...(document.components.schemas ?? {}), Problem: PROBLEM_SCHEMA };
  const content = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
  for (const [route, item] of Object.entries(document.paths)) {
    if (!route.startsWith('/v1/')) continue;
    const operations = item as Record<string, { responses?: Responses } | undefined>;
    for (const method of METHODS) {
      const operation = operations[method];
      if (!operation) continue;
      const responses: Responses = (operation.responses = operation.responses ?? {});
      const shared = WRITE_METHODS.has(method) ? { ...SHARED, ...WRITES } : SHARED;
      for (const [status, description] of Object.entries(shared)) {
        responses[status] = { description, ...responses[status], content };
      }
      // Statuses an operation documents itself (409, 422, 429...) are problem documents too.
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !response.content) response.content = content;
      }
    }
  }
  return document;
}
