import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenApiDocument, Operation, ResponseObject, SchemaObject } from './openapi-document';

/** A response as the checks see it. */
export interface FuzzResponse {
  status: number;
  /** The Content-Type header, parameters included, or undefined when absent. */
  contentType: string | undefined;
  body: string;
}

/** The checks, named as Schemathesis names them so a failure reads the same from either fuzzer. */
export type CheckName =
  | 'not_a_server_error'
  | 'status_code_conformance'
  | 'content_type_conformance'
  | 'response_schema_conformance';

export interface CheckFailure {
  check: CheckName;
  message: string;
}

/**
 * OpenAPI 3.0 schema → JSON Schema: `nullable: true` becomes "or null" (ajv's own `nullable` support
 * rejects null when the schema also has an enum or no type), and $refs point into the document
 * registered under the id `openapi`.
 */
export function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'nullable' || key === 'example' || key === 'discriminator') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = `openapi${value}`;
    else out[key] = toJsonSchema(value);
  }
  return (schema as SchemaObject).nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** The documented response of `status`: exact, then `4XX`, then `default`. */
export function documentedResponse(op: Operation, status: number): ResponseObject | undefined {
  return op.responses[String(status)] ?? op.responses[`${String(status)[0]}XX`] ?? op.responses['default'];
}

/** Checks responses against one service's OpenAPI document (validators compiled once per schema). */
export class ResponseChecker {
  private readonly ajv: Ajv;
  private readonly validators = new Map<SchemaObject, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    // strict off: OpenAPI keywords (example, discriminator, xml) are not JSON Schema ones.
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.ajv);
    for (const format of ['binary', 'byte', 'int32', 'int64', 'float', 'double', 'password'])
      this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: 'openapi', components: toJsonSchema(doc.components ?? {}) }, 'openapi');
  }

  check(op: Operation, response: FuzzResponse): CheckFailure[] {
    const failures: CheckFailure[] = [];
    if (response.status >= 500)
      failures.push({ check: 'not_a_server_error', message: `server error ${response.status}` });
    const documented = documentedResponse(op, response.status);
    if (documented === undefined) {
      const known = Object.keys(op.responses).join(', ');
      failures.push({
        check: 'status_code_conformance',
        message: `status ${response.status} is not documented (documented: ${known})`,
      });
      return failures;
    }
    const content = documented.content ?? {};
    // Like Schemathesis: a response documented without content has nothing to conform to.
    if (Object.keys(content).length === 0) return failures;
    const actual = mediaType(response.contentType);
    const match = Object.keys(content).find((t) => mediaType(t) === actual);
    if (match === undefined) {
      failures.push({
        check: 'content_type_conformance',
        message: `content type ${response.contentType ?? '(none)'} is not documented for ${response.status} (documented: ${Object.keys(content).join(', ')})`,
      });
      return failures;
    }
    const schema = content[match]?.schema;
    if (schema === undefined || !(actual === 'application/json' || actual?.endsWith('+json')))
      return failures;
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      failures.push({
        check: 'response_schema_conformance',
        message: `body is not JSON: ${response.body.slice(0, 80)}`,
      });
      return failures;
    }
    const validate = this.validator(schema);
    if (!validate(body)) {
      const first = validate.errors?.[0];
      failures.push({
        check: 'response_schema_conformance',
        message: `body breaks the ${response.status} schema at ${first?.instancePath || '/'}: ${first?.message ?? 'invalid'}`,
      });
    }
    return failures;
  }

  private validator(schema: SchemaObject): ValidateFunction {
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}
