/** The part of an OpenAPI 3.0 document the TypeScript fuzzer reads (what @nestjs/swagger emits). */
export interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  nullable?: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
  allOf?: SchemaObject[];
  example?: unknown;
  default?: unknown;
  [keyword: string]: unknown;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
}

export interface MediaTypeObject {
  schema?: SchemaObject;
}

export interface ResponseObject {
  description?: string;
  content?: Record<string, MediaTypeObject>;
}

export interface OperationObject {
  operationId?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content: Record<string, MediaTypeObject> };
  responses: Record<string, ResponseObject>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

/** One operation of the document, with the path-level parameters merged in. */
export interface Operation {
  method: string;
  path: string;
  parameters: ParameterObject[];
  requestBody?: OperationObject['requestBody'];
  responses: Record<string, ResponseObject>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the document, in document order. */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(op.requestBody ? { requestBody: op.requestBody } : {}),
        responses: op.responses,
      });
    }
  }
  return ops;
}

/** Follows a local `#/components/schemas/X` reference (chains included); other schemas pass through. */
export function resolveSchema(doc: OpenApiDocument, schema: SchemaObject): SchemaObject {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined; hops++) {
    const name = /^#\/components\/schemas\/(.+)$/.exec(current.$ref)?.[1];
    const target = name === undefined ? undefined : doc.components?.schemas?.[name];
    if (target === undefined || hops > 32) throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target;
  }
  return current;
}

/** Operations with a success response documented without a body schema: their 2xx bodies go unchecked. */
export function successesWithoutSchema(ops: Operation[]): Operation[] {
  return ops.filter((op) =>
    Object.entries(op.responses).some(
      ([status, response]) =>
        status.startsWith('2') &&
        status !== '204' &&
        !Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
    ),
  );
}
