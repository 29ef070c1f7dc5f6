import type { CloudEvent } from './cloud-event';
import { dataschemaOf } from './event-definition';
import { definitionOf, sourceOf, type EventData, type EventType, type PacerEvent } from './event-registry';
import { validateEnvelope, validateEventData } from './event-validator';
import { InvalidEventError } from './invalid-event.error';

export interface MakeEventInput<T extends EventType> {
  /**
   * The CloudEvents id. Required, never generated here: an id must survive redelivery, so it is
   * decided where the event is first stored (see `newEventId` and `deterministicEventId`).
   */
  id: string;
  tenantId: string;
  /** Event time: when it happened in the world (for an activity, its `occurredAt`). */
  time: string;
  data: EventData<T>;
  /** When Pacer recorded it; defaults to now. Pass it when re-creating a stored event. */
  recordedTime?: string;
  /** Who recorded it (the `recordedby`/`recordedrole` extensions); activities carry it. */
  recordedBy?: RecordedBy;
}

/** The token `sub` and acting role an event was recorded with. */
export interface RecordedBy {
  sub: string;
  role: string;
}

export interface MakeEventOptions {
  /**
   * The caller has just proven `data` against the same limits as the type's schema, so the producer
   * check of `data` is skipped; the envelope is still checked. Only for a hot path whose own
   * validation reads the limits these schemas read and whose specs hold the two equal (activity
   * intake: its DTOs, checked per activity, were a second full validation of every activity here).
   */
  dataValidated?: boolean;
}

/**
 * Builds a contract-conforming CloudEvent: fills `specversion`, `source`, `subject`,
 * `datacontenttype`, `dataschema` and `recordedtime`, and throws `InvalidEventError` if the data or
 * envelope break the contract (unknown fields included).
 */
export function makeEvent<T extends EventType>(
  type: T,
  input: MakeEventInput<T>,
  options: MakeEventOptions = {},
): PacerEvent<T> {
  const definition = definitionOf(type);
  const dataProblems =
    options.dataValidated === true
      ? []
      : validateEventData(type, input.data, { tenantId: input.tenantId, mode: 'producer' });
  if (dataProblems.length > 0) {
    throw new InvalidEventError(
      type,
      dataProblems.map((p) => ({ ...p, path: `/data${p.path}` })),
    );
  }
  const event: CloudEvent<T, EventData<T>> = {
    specversion: '1.0',
    id: input.id,
    source: sourceOf(type),
    type,
    time: input.time,
    subject: definition.subject(input.data, input.tenantId),
    datacontenttype: 'application/json',
    dataschema: dataschemaOf(type),
    tenantid: input.tenantId,
    recordedtime: input.recordedTime ?? new Date().toISOString(),
    ...(input.recordedBy ? { recordedby: input.recordedBy.sub, recordedrole: input.recordedBy.role } : {}),
    data: input.data,
  };
  const envelopeProblems = validateEnvelope(event, 'producer');
  if (envelopeProblems.length > 0) throw new InvalidEventError(type, envelopeProblems);
  // The same type as PacerEvent<T>, written per member so a union T gives a discriminated union.
  return event as PacerEvent<T>;
}
