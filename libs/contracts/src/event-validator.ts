import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEventEnvelope } from './cloud-event';
import type { ContractProblem } from './event-definition';
import { definitionOf, type EventType } from './event-registry';
import { WIRE_FORMAT_PHRASES } from './wire-formats';

/**
 * `consumer` accepts unknown extra fields anywhere (SPEC §2: a newer producer may add some) and stops
 * at the first problem, since Kafka input is untrusted and only goes to the DLQ. `producer` is exact —
 * an unknown field is a bug in our own code or a client's typo — and lists every problem, for API errors.
 */
export type ValidationMode = 'consumer' | 'producer';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function newAjv(mode: ValidationMode): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: mode === 'producer',
    verbose: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
  });
  addFormats(ajv, ['date-time', 'date']);
  return ajv;
}

// Producer mode closes every object schema. Done on a plain-JSON copy so the TypeBox schemas (and
// the published JSON Schemas made from them) stay open for consumers.
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!isObject(schema)) return schema;
  const closed: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) closed[key] = closeObjects(value);
  if (
    isObject(closed.properties) &&
    closed.additionalProperties === undefined &&
    closed.patternProperties === undefined
  ) {
    closed.additionalProperties = false;
  }
  return closed;
}

function schemaFor(schema: object, mode: ValidationMode): object {
  const plain: unknown = JSON.parse(JSON.stringify(schema));
  const result = mode === 'producer' ? closeObjects(plain) : plain;
  return isObject(result) ? result : {};
}

class Validators {
  readonly ajv: Ajv;
  readonly envelope: ValidateFunction;
  private readonly byType = new Map<EventType, ValidateFunction>();

  constructor(readonly mode: ValidationMode) {
    this.ajv = newAjv(mode);
    this.envelope = this.ajv.compile(schemaFor(CloudEventEnvelope, mode));
  }

  data(type: EventType): ValidateFunction {
    let validate = this.byType.get(type);
    if (validate === undefined) {
      validate = this.ajv.compile(schemaFor(definitionOf(type).schema, this.mode));
      this.byType.set(type, validate);
    }
    return validate;
  }
}

// Compiled lazily, once per mode and type: compiling is the expensive part of ajv.
const validators: Record<ValidationMode, Validators | undefined> = {
  consumer: undefined,
  producer: undefined,
};

function validatorsFor(mode: ValidationMode): Validators {
  const existing = validators[mode];
  if (existing !== undefined) return existing;
  const created = new Validators(mode);
  validators[mode] = created;
  return created;
}

function describeBranch(branch: unknown): string {
  if (!isObject(branch)) return 'a value';
  if (branch.const !== undefined) return JSON.stringify(branch.const);
  if (typeof branch.pattern === 'string') return WIRE_FORMAT_PHRASES.get(branch.pattern) ?? 'a string';
  if (branch.type === 'null') return 'null';
  if (branch.type === 'object') return 'an object';
  if (branch.type === 'array') return 'an array';
  return typeof branch.type === 'string' ? `a ${branch.type}` : 'a value';
}

// The constant a union branch pins property `name` to (e.g. `kind: "deal_won"`), if any.
function constOf(branch: unknown, name: string): unknown {
  if (!isObject(branch) || !isObject(branch.properties)) return undefined;
  const property = branch.properties[name];
  return isObject(property) ? property.const : undefined;
}

// The property every branch of a union pins to a constant, if there is one.
function discriminatorOf(branches: unknown[]): string | undefined {
  const first = branches[0];
  if (!isObject(first) || !isObject(first.properties)) return undefined;
  return Object.keys(first.properties).find((name) => branches.every((b) => constOf(b, name) !== undefined));
}

// A failed union of tagged objects is reported as the errors of the branch its tag selects, which
// says which field is wrong instead of "must match a schema in anyOf".
function explainUnion(error: ErrorObject, ajv: Ajv): ContractProblem[] {
  const branches: unknown[] = Array.isArray(error.schema) ? error.schema : [];
  const tag = discriminatorOf(branches);
  if (tag !== undefined && isObject(error.data)) {
    const tagValue = error.data[tag];
    const branch = branches.find((b) => constOf(b, tag) === tagValue);
    if (isObject(branch)) {
      // ajv caches compiled schemas by object, so this compiles each branch once per process.
      const validate = ajv.compile(branch);
      validate(error.data);
      return (validate.errors ?? []).flatMap((e) =>
        describe({ ...e, instancePath: error.instancePath + e.instancePath }, ajv),
      );
    }
    const allowed = branches.map((b) => String(constOf(b, tag)));
    return [{ path: `${error.instancePath}/${tag}`, message: `must be one of ${allowed.join(', ')}` }];
  }
  const options = [...new Set(branches.map(describeBranch))];
  return [{ path: error.instancePath, message: `must be ${options.join(' or ')}` }];
}

function describe(error: ErrorObject, ajv: Ajv): ContractProblem[] {
  const path = error.instancePath;
  const params: JsonObject = error.params;
  switch (error.keyword) {
    case 'required':
      return [{ path: `${path}/${String(params.missingProperty)}`, message: 'is required' }];
    case 'additionalProperties':
      return [
        { path: `${path}/${String(params.additionalProperty)}`, message: 'is not a field of this type' },
      ];
    case 'pattern':
    case 'format': {
      const phrase = WIRE_FORMAT_PHRASES.get(String(params.pattern ?? params.format));
      return [
        { path, message: phrase === undefined ? (error.message ?? 'is invalid') : `must be ${phrase}` },
      ];
    }
    case 'enum':
      return [
        { path, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}` },
      ];
    case 'const':
      return [{ path, message: `must be ${JSON.stringify(params.allowedValue)}` }];
    case 'anyOf':
      return explainUnion(error, ajv);
    default:
      return [{ path, message: error.message ?? 'is invalid' }];
  }
}

function problemsOf(errors: ErrorObject[] | null | undefined, ajv: Ajv): ContractProblem[] {
  const all = errors ?? [];
  // Errors inside a union's branches are noise once the union itself is explained.
  const unions = all.filter((e) => e.keyword === 'anyOf').map((e) => `${e.schemaPath}/`);
  const kept = all.filter((e) => !unions.some((prefix) => e.schemaPath.startsWith(prefix)));
  const problems = kept.flatMap((e) => describe(e, ajv));
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export interface DataValidationOptions {
  /** The event's tenant; some rules depend on it (an org KPI's scopeId is the tenant id). */
  tenantId: string;
  mode?: ValidationMode;
}

/** Checks `data` against an event type's schema and rules; returns the problems (empty when valid). */
export function validateEventData(
  type: EventType,
  data: unknown,
  options: DataValidationOptions,
): ContractProblem[] {
  const compiled = validatorsFor(options.mode ?? 'consumer');
  const validate = compiled.data(type);
  if (!validate(data)) return problemsOf(validate.errors, compiled.ajv);
  const problem = definitionOf(type).check?.(data, options.tenantId);
  return problem === undefined ? [] : [problem];
}

/** Checks a CloudEvent envelope (not its data); returns the problems (empty when valid). */
export function validateEnvelope(value: unknown, mode: ValidationMode = 'consumer'): ContractProblem[] {
  const compiled = validatorsFor(mode);
  return compiled.envelope(value) ? [] : problemsOf(compiled.envelope.errors, compiled.ajv);
}
