import { parseCloudEvent } from '@pacer/contracts';
import { DecodeResult } from '@pacer/messaging';
import { InboundEvent, NOTIFIABLE_EVENT_TYPES } from '../domain/notification-from-event';

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Decodes a record like the platform's decoder (a known type is validated against its schema, so a
 * malformed one goes to the DLQ) with one difference: a notifiable type this build's contracts do not
 * know yet (commission events added by a newer producer) is accepted on its envelope alone and read
 * tolerantly by field name, instead of being skipped. Other unknown types are skipped.
 */
export function decodeNotificationInput(value: Buffer | null): DecodeResult<InboundEvent> {
  if (value === null) return { ok: false, skip: true, reason: 'tombstone' };
  const parsed = parseCloudEvent(value);
  if (parsed.ok) return { ok: true, event: parsed.event as unknown as InboundEvent };
  if (!parsed.unknownType) return { ok: false, error: parsed.error };
  if (NOTIFIABLE_EVENT_TYPES[parsed.type] === undefined) return { ok: false, skip: true, reason: parsed.error };
  const raw = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  const data = raw['data'];
  if (!isText(raw['time']) || !isText(raw['recordedtime']) || typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, error: `invalid ${parsed.type}: time, recordedtime and an object data are required` };
  }
  return {
    ok: true,
    event: {
      id: parsed.id,
      type: parsed.type,
      time: raw['time'],
      recordedtime: raw['recordedtime'],
      tenantid: String(raw['tenantid']),
      data: data as Record<string, unknown>,
    },
  };
}
