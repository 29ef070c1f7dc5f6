import { dataschemaOf, type ContractProblem } from './event-definition';
import { isEventType, type PacerEvent } from './event-registry';
import { validateEnvelope, validateEventData } from './event-validator';

/**
 * The outcome of reading one Kafka value. Three cases, because a consumer treats them differently:
 * a valid event is processed; an event of a type this contract does not know (say, added by a newer
 * producer) is skipped and its offset committed; anything else is poison and goes to the DLQ.
 */
export type ParseResult =
  | { ok: true; event: PacerEvent }
  | { ok: false; unknownType: true; type: string; id: string; error: string }
  | { ok: false; unknownType: false; error: string };

function failure(error: string): ParseResult {
  return { ok: false, unknownType: false, error };
}

function render(where: string, problems: ContractProblem[]): string {
  return problems
    .map((p) => {
      const at = `${where}${p.path}`.replace(/^\//, '');
      return `${at === '' ? 'the event' : at} ${p.message}`;
    })
    .join('; ');
}

/**
 * Parses and validates a Kafka value as a Pacer CloudEvent: JSON, envelope, known type, `dataschema`,
 * and `data` against its type's schema and rules. Unknown extra fields are allowed and kept.
 */
export function parseCloudEvent(raw: Buffer | string | null | undefined): ParseResult {
  if (raw === null || raw === undefined)
    return failure('empty value (null, e.g. a tombstone): not a CloudEvent');
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    return failure(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure('not a CloudEvent: the value must be a JSON object');
  }
  // Checked first and on its own: a different specversion means every other attribute may differ too.
  const specversion: unknown = (value as { specversion?: unknown }).specversion;
  if (specversion !== '1.0') {
    return failure(
      `not a CloudEvents 1.0 event: specversion is ${specversion === undefined ? 'missing' : JSON.stringify(specversion)}, expected "1.0"`,
    );
  }
  const envelopeProblems = validateEnvelope(value);
  if (envelopeProblems.length > 0)
    return failure(`invalid CloudEvent envelope: ${render('', envelopeProblems)}`);

  // The envelope schema guarantees these are non-empty strings.
  const envelope = value as { id: string; type: string; tenantid: string; dataschema: string; data: unknown };
  if (!isEventType(envelope.type)) {
    return {
      ok: false,
      unknownType: true,
      type: envelope.type,
      id: envelope.id,
      error: `unknown event type ${envelope.type}`,
    };
  }
  const expectedSchema = dataschemaOf(envelope.type);
  if (envelope.dataschema !== expectedSchema) {
    return failure(
      `invalid ${envelope.type}: dataschema must be ${expectedSchema}, got ${envelope.dataschema}`,
    );
  }
  const dataProblems = validateEventData(envelope.type, envelope.data, { tenantId: envelope.tenantid });
  if (dataProblems.length > 0) return failure(`invalid ${envelope.type}: ${render('data', dataProblems)}`);
  return { ok: true, event: value as PacerEvent };
}
